// A light entry point (`@vrm-lora/renderer/facts`): what a cache key needs from the renderer, without
// loading Playwright or sharp, so an all-cached run starts fast and starts no browser.
export {
  chooseGlBackend,
  type GlBackendChoice,
  type GpuProbe,
  isSoftwareGlRenderer,
  probeGpu,
} from './choose-gl-backend.js';
export { BROWSER_ENV_VAR, type FindBrowserOptions, type FoundBrowser, findBrowser } from './find-browser.js';
export { type PageBundle, pageLibraryVersions, readPageBundle } from './page-bundle.js';
export { RenderError, type RenderErrorCode } from './render-error.js';
export {
  type ConcreteGlBackend,
  DEFAULT_RENDER_PARAMETERS,
  GL_BACKENDS,
  type GlBackend,
  RENDERER_VERSION,
  type RenderParameters,
} from './render-parameters.js';
