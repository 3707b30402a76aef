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
  measurePixelBounds,
  type PixelBounds,
  type ShotCamera,
  sideMarginPx,
  type Vec3,
} from './framing.js';
export {
  cameraDirectionProblem,
  isCameraFrame,
  isFrameOffset,
  isImageSide,
  MANIFEST_SHOT_LIMITS,
  MAX_IMAGE_SIDE_PIXELS,
  MIN_IMAGE_SIDE_PIXELS,
  MIN_RENDERED_SIDE_PIXELS,
  offsetsLeaveRoom,
  RENDERER_SHOT_LIMITS,
  type ShotLimits,
  type ShotSize,
  type ShotSizeProblem,
  shotSizeProblems,
} from './shot-rules.js';

/**
 * Conditioning images a shot can have beside its image, each aligned to the image's pixels:
 * `openpose` (body, 18 COCO keypoints), `openpose_full` (body, hands and the face's 70 points), `depth` and `normal` maps.
 * See docs/conditioning.md.
 */
export const CONDITIONING_KINDS = ['openpose', 'openpose_full', 'depth', 'normal'] as const;
export type ConditioningKind = (typeof CONDITIONING_KINDS)[number];

/** A list in the canonical order of {@link CONDITIONING_KINDS}, without repeats. */
export function normalizeConditioning(kinds: readonly string[]): ConditioningKind[] {
  return CONDITIONING_KINDS.filter((kind) => kinds.includes(kind));
}

/**
 * Parses the CLI's `--conditioning openpose,depth,normal` (or `none`); returns an error message naming the
 * fix for an unknown kind.
 */
export function parseConditioningList(text: string): ConditioningKind[] | string {
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 1 && words[0] === 'none') return [];
  const unknown = words.filter((w) => !(CONDITIONING_KINDS as readonly string[]).includes(w));
  if (unknown.length > 0)
    return `unknown conditioning kind ${unknown.map((w) => `"${w}"`).join(', ')}: use a comma-separated list of ${CONDITIONING_KINDS.join(', ')} (or none)`;
  return normalizeConditioning(words);
}

/** What the contact sheet shows: each image, or each image with its conditioning images beside it. */
export const CONTACT_SHEET_MODES = ['images', 'with-conditioning'] as const;
export type ContactSheetMode = (typeof CONTACT_SHEET_MODES)[number];
