import type { Lighting, RasterRegion } from './protocol.js';

/**
 * GL backends Chromium can render WebGL with. `auto` (the default) is a GPU where the machine has one and
 * `swiftshader` (CPU, works on any machine) where it has none (`choose-gl-backend.ts`).
 */
export const GL_BACKENDS = [
  'auto',
  'swiftshader',
  'angle-default',
  'angle-gl',
  'angle-vulkan',
  'egl',
] as const;
export type GlBackend = (typeof GL_BACKENDS)[number];
/** A backend with its own Chromium flags (what `auto` resolves to). */
export type ConcreteGlBackend = Exclude<GlBackend, 'auto'>;

/** Bumped whenever a change in this package can change pixels or metadata of a shot. */
export const RENDERER_VERSION = '6';

/** Parameters of every shot that are not per-shot fields. */
export interface RenderParameters {
  /** Vertical field of view. Default 30. */
  fovDegrees: number;
  /** Spring-bone settle steps before each shot. Default 60. */
  springSteps: number;
  /** Size of one settle step. Default 1/60 s. */
  springStepSeconds: number;
  lighting: Lighting;
  /** Which pixels each draw covers: the subject's box (default) or the whole frame; same pixels (tested). */
  rasterRegion: RasterRegion;
}

export const DEFAULT_RENDER_PARAMETERS: RenderParameters = {
  fovDegrees: 30,
  springSteps: 60,
  springStepSeconds: 1 / 60,
  lighting: { keyIntensity: Math.PI, keyElevation: 0.5, ambientIntensity: 0.8 },
  rasterRegion: 'subject',
};
