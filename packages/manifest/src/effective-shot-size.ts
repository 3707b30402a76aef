import { parseCameraFrame } from './camera.js';
import type { CameraFrame } from './framing.js';
import { CHARACTER_STUDIO_DEFAULTS } from './manifest-schema.js';
import { isCameraFrame } from './shot-rules.js';
import { type ImageSize, resolveShotSize, type SizeFields } from './size-presets.js';

/**
 * The image size of an entry as the plan will resolve it (entry `width`/`height`, entry `size`, top level's,
 * CharacterStudio's 512), for checks that run before the plan exists. An unreadable camera frame counts as
 * `fullShot` (its own error is reported elsewhere).
 */
export function effectiveShotSize(top: SizeFields, entry: SizeFields & { cameraFrame?: unknown }): ImageSize {
  const parsed = parseCameraFrame(entry.cameraFrame ?? 'fullShot');
  const frame: CameraFrame = isCameraFrame(parsed) ? parsed : 'fullShot';
  return resolveShotSize(top, entry, frame, CHARACTER_STUDIO_DEFAULTS);
}

/** The error of a level (top or entry) that gives both `size` and `width`/`height`, or null. */
export function sizeConflict(fields: SizeFields): { field: 'size'; message: string } | null {
  if (fields.size === undefined) return null;
  const sides = (['width', 'height'] as const).filter((k) => fields[k] !== undefined);
  if (sides.length === 0) return null;
  return {
    field: 'size',
    message: `give either "size" (${JSON.stringify(fields.size)}) or ${sides.map((s) => `"${s}"`).join(' and ')}, not both`,
  };
}
