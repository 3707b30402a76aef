// The rules a shot's size, margins and camera must meet: one home each. Zod-free, so the renderer (which must stay
// safe to call without a manifest) checks its requests with them through `@vrm-lora/manifest/formats`, and the
// manifest's schema and validation check what a user writes with the same limits and functions.
import { CAMERA_FRAMES, type CameraFrame } from './framing.js';

/**
 * The largest image side, in pixels: the smallest maximum drawing-buffer size among the WebGL backends the
 * renderer runs on (SwiftShader, the software fallback of headless Chromium, stops at 8192).
 */
export const MAX_IMAGE_SIDE_PIXELS = 8192;
/** The smallest image side a manifest may ask for, in pixels. */
export const MIN_IMAGE_SIDE_PIXELS = 1;
/** The smallest image side the renderer draws, in pixels (a smaller manifest size fails at its render). */
export const MIN_RENDERED_SIDE_PIXELS = 8;

/**
 * Rows of the image the top and bottom margins must leave for the subject: a manifest's margins must leave at
 * least one row ({@link MANIFEST_SHOT_LIMITS}); the renderer needs {@link RENDERER_SHOT_LIMITS}' eight.
 */
export interface ShotLimits {
  /** The smallest image side, in pixels. */
  minSidePixels: number;
  /** The fewest rows `topFrameOffsetPixels + bottomFrameOffsetPixels` must leave of the height. */
  minSubjectRows: number;
}

/** What a manifest may ask for. */
export const MANIFEST_SHOT_LIMITS: ShotLimits = { minSidePixels: MIN_IMAGE_SIDE_PIXELS, minSubjectRows: 1 };
/** What the renderer draws. */
export const RENDERER_SHOT_LIMITS: ShotLimits = {
  minSidePixels: MIN_RENDERED_SIDE_PIXELS,
  minSubjectRows: 8,
};

/** An image side: a whole number of pixels from `minSidePixels` to {@link MAX_IMAGE_SIDE_PIXELS}. */
export function isImageSide(value: number, minSidePixels = MIN_IMAGE_SIDE_PIXELS): boolean {
  return Number.isInteger(value) && value >= minSidePixels && value <= MAX_IMAGE_SIDE_PIXELS;
}

/** A frame offset (`topFrameOffsetPixels`, `bottomFrameOffsetPixels`): a whole number of pixels, 0 or more. */
export function isFrameOffset(value: number): boolean {
  return Number.isInteger(value) && value >= 0;
}

/** Whether the top and bottom margins leave at least `minSubjectRows` rows of `height` for the subject. */
export function offsetsLeaveRoom(
  topFrameOffsetPixels: number,
  bottomFrameOffsetPixels: number,
  height: number,
  minSubjectRows = MANIFEST_SHOT_LIMITS.minSubjectRows,
): boolean {
  return topFrameOffsetPixels + bottomFrameOffsetPixels <= height - minSubjectRows;
}

/** One of the five {@link CAMERA_FRAMES}, as spelt there. */
export function isCameraFrame(value: unknown): value is CameraFrame {
  return (CAMERA_FRAMES as readonly unknown[]).includes(value);
}

/**
 * What is wrong with a camera direction (subject → camera): `not-finite` unless three finite numbers, `zero` for
 * `[0, 0, 0]` (no direction); null when it is one.
 */
export function cameraDirectionProblem(position: readonly unknown[]): 'not-finite' | 'zero' | null {
  if (position.length !== 3 || !position.every((n) => typeof n === 'number' && Number.isFinite(n)))
    return 'not-finite';
  return position.every((n) => n === 0) ? 'zero' : null;
}

/** A shot's size and margins, as a render request or a resolved manifest entry holds them. */
export interface ShotSize {
  width: number;
  height: number;
  topFrameOffsetPixels: number;
  bottomFrameOffsetPixels: number;
}

/** One broken size rule of {@link shotSizeProblems}, with the values it was checked on. */
export type ShotSizeProblem =
  | { rule: 'side'; field: 'width' | 'height'; value: number; minSidePixels: number }
  | { rule: 'offset'; field: 'topFrameOffsetPixels' | 'bottomFrameOffsetPixels'; value: number }
  | { rule: 'room'; topFrameOffsetPixels: number; bottomFrameOffsetPixels: number; height: number };

/**
 * Every size rule `size` breaks under `limits`: each side from the limits' minimum to {@link MAX_IMAGE_SIDE_PIXELS},
 * whole offsets of 0 or more, and offsets leaving the limits' rows of the height (checked when all three are numbers).
 */
export function shotSizeProblems(size: ShotSize, limits: ShotLimits): ShotSizeProblem[] {
  const problems: ShotSizeProblem[] = [];
  for (const field of ['width', 'height'] as const) {
    if (!isImageSide(size[field], limits.minSidePixels))
      problems.push({ rule: 'side', field, value: size[field], minSidePixels: limits.minSidePixels });
  }
  for (const field of ['topFrameOffsetPixels', 'bottomFrameOffsetPixels'] as const) {
    if (!isFrameOffset(size[field])) problems.push({ rule: 'offset', field, value: size[field] });
  }
  const { topFrameOffsetPixels: top, bottomFrameOffsetPixels: bottom, height } = size;
  const numbers = [top, bottom, height].every(Number.isFinite);
  if (numbers && !offsetsLeaveRoom(top, bottom, height, limits.minSubjectRows))
    problems.push({ rule: 'room', topFrameOffsetPixels: top, bottomFrameOffsetPixels: bottom, height });
  return problems;
}
