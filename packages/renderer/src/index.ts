export { BASE_BROWSER_FLAGS, glBackendFlags } from './browser-flags.js';
export type { BrowserOptions } from './browser-host.js';
export {
  chooseGlBackend,
  type GlBackendChoice,
  type GpuProbe,
  isSoftwareGlRenderer,
  probeGpu,
} from './choose-gl-backend.js';
export {
  DEPTH_FAR_LEVEL,
  EYE_HEIGHT_ABOVE_HEAD_METRES,
  FINGERTIP_EXTENSION,
  HEAD_KEYPOINT_OFFSETS,
  REFERENCE_HIPS_HEIGHT_METRES,
} from './conditioning-rules.js';
export { type CreateRendererOptions, createRenderer, type RendererLogLevel } from './create-renderer.js';
export {
  BROWSER_ENV_VAR,
  type FindBrowserOptions,
  type FoundBrowser,
  findBrowser,
  SYSTEM_BROWSER_PATHS,
} from './find-browser.js';
export { PAGE_BUNDLE_PATH, type PageBundle, readPageBundle } from './page-bundle.js';
export { PAGE_CSP, type PageServer, type PageServerOptions, startPageServer } from './page-server.js';
export {
  CAMERA_FRAMES,
  type CameraFrame,
  type ExactCamera,
  type Lighting,
  type MapKind,
  type PageKeypoints,
  type PixelBounds,
  type ProjectedKeypoint,
  type RasterRegion,
  type Vec3,
} from './protocol.js';
export { RenderError, type RenderErrorCode } from './render-error.js';
export {
  type ConcreteGlBackend,
  DEFAULT_RENDER_PARAMETERS,
  GL_BACKENDS,
  type GlBackend,
  RENDERER_VERSION,
  type RenderParameters,
} from './render-parameters.js';
export { renderShot } from './render-shot.js';
export type {
  RawImage,
  Renderer,
  RenderMapsRequest,
  RenderMapsResult,
  RenderShotRequest,
  RenderShotResult,
  RuntimeFacts,
} from './renderer.js';
export { validateRequest } from './validate-request.js';
