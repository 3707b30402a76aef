// Format identifiers of the files the stages exchange, without the zod schemas (a light subpath,
// `@vrm-lora/manifest/formats`, for packages that write these files but need no validation).

/** `format` of a render's metadata file (`meta.json`). */
export const RENDER_META_FORMAT = 'vrm-lora/render-meta';
/** Bumped on any change of meaning of the render metadata's fields. */
export const RENDER_META_VERSION = 1;

export {
  CAMERA_FRAMES,
  CAMERA_Y_SCALE,
  type CameraFrame,
  cameraDirectionUsed,
  frameCutsBottom,
  type PixelBounds,
  sideMarginPx,
  type Vec3,
} from './framing.js';
