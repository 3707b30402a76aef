import { CAMERA_Y_SCALE, cameraDirectionProblem } from '@vrm-lora/manifest/formats';

/** Which side of the subject the camera sees. */
export type CameraView = 'front' | 'back' | 'left side' | 'right side' | 'from above' | 'from below';

/** Elevation beyond which a camera is `from above` / `from below`, in degrees from the horizontal plane. */
export const VIEW_ELEVATION_LIMIT_DEGREES = 45;
/** Azimuth up to which a camera still counts as `front` (and from which it counts as `back`, 180 − this). */
export const VIEW_FRONT_AZIMUTH_DEGREES = 45;
/** The renderer halves y of the manifest direction (CharacterStudio does so); the view follows the real camera. */
export { CAMERA_Y_SCALE };

/** Options of {@link deriveView}. */
export interface DeriveViewOptions {
  /** Factor on y before measuring the elevation; default {@link CAMERA_Y_SCALE} (0.5), as the renderer places the camera. */
  yScale?: number;
}

/**
 * Names the view for a manifest camera direction (subject → camera, as `ResolvedShot.camera.position`: −x is the
 * manifest's `left`, +x `right`, +y `top`, +z `front`, the avatar facing +z).
 *
 * With y scaled by `yScale` (0.5 by default, where the renderer puts the camera):
 * - elevation = atan2(y, √(x²+z²)); above +45° → `from above`, below −45° → `from below`;
 * - otherwise azimuth = atan2(x, z): |az| ≤ 45° → `front`, |az| ≥ 135° → `back`;
 * - in between, the side the camera is on, named as in the manifest: camera at −x (`"left"`) → `left side`,
 *   at +x (`"right"`) → `right side`.
 *
 * Boundaries belong to front/back (exactly 45° is `front`); exactly ±45° elevation is not yet above/below.
 */
export function deriveView(
  position: readonly [number, number, number],
  options: DeriveViewOptions = {},
): CameraView {
  const [x, rawY, z] = position;
  const y = rawY * (options.yScale ?? CAMERA_Y_SCALE);
  if (cameraDirectionProblem([x, y, z]) !== null) {
    throw new Error(
      `Cannot derive a view from camera direction [${position.join(', ')}]: it must be a non-zero finite vector.`,
    );
  }
  const elevationDegrees = (Math.atan2(y, Math.hypot(x, z)) * 180) / Math.PI;
  if (elevationDegrees > VIEW_ELEVATION_LIMIT_DEGREES) return 'from above';
  if (elevationDegrees < -VIEW_ELEVATION_LIMIT_DEGREES) return 'from below';
  const azimuthDegrees = (Math.atan2(x, z) * 180) / Math.PI;
  const absolute = Math.abs(azimuthDegrees);
  if (absolute <= VIEW_FRONT_AZIMUTH_DEGREES) return 'front';
  if (absolute >= 180 - VIEW_FRONT_AZIMUTH_DEGREES) return 'back';
  return azimuthDegrees < 0 ? 'left side' : 'right side';
}
