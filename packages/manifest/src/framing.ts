// Framing rules and camera conventions shared by the renderer, the post checks and the captioner: one home
// each. Zod-free, so the renderer's page bundle and `@vrm-lora/manifest/formats` can carry it.

/** How much of the body a shot shows (CharacterStudio's names). */
export type CameraFrame = 'fullShot' | 'cowboyShot' | 'mediumShot' | 'mediumCloseUp' | 'closeUp';

/** `[x, y, z]`. */
export type Vec3 = [number, number, number];

/** The five frames, widest first. */
/** A shot's camera as a manifest entry asks for it (and a render request carries it). */
export interface ShotCamera {
  /** Direction subject → camera as written or summed from names, before CharacterStudio's y-halving. */
  position: Vec3;
  frame: CameraFrame;
  /** Metres in the camera's own axes (x right, y up, z backward), applied after framing. */
  localOffset: Vec3;
}

export const CAMERA_FRAMES: readonly CameraFrame[] = [
  'fullShot',
  'cowboyShot',
  'mediumShot',
  'mediumCloseUp',
  'closeUp',
];

/** Bounding box in pixels: first/last rows and columns that contain a pixel with alpha > 0 (inclusive). */
export interface PixelBounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * The {@link PixelBounds} of raw 8-bit pixels (rows top to bottom, `channels` bytes a pixel, alpha the last):
 * the first/last rows and columns holding a pixel whose alpha is at least `alphaThreshold` (default 1: any
 * visible pixel); null when there is none. Each row is scanned from both ends up to its first hit.
 */
export function measurePixelBounds(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels = 4,
  alphaThreshold = 1,
): PixelBounds | null {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * channels + channels - 1;
    let rowLeft = -1;
    for (let x = 0; x < width; x++) {
      if ((pixels[row + x * channels] ?? 0) >= alphaThreshold) {
        rowLeft = x;
        break;
      }
    }
    if (rowLeft < 0) continue;
    let rowRight = rowLeft;
    for (let x = width - 1; x > rowLeft; x--) {
      if ((pixels[row + x * channels] ?? 0) >= alphaThreshold) {
        rowRight = x;
        break;
      }
    }
    if (top < 0) top = y;
    bottom = y;
    if (rowLeft < left) left = rowLeft;
    if (rowRight > right) right = rowRight;
  }
  return top < 0 ? null : { left, top, right, bottom };
}

/**
 * Factor on y of a manifest camera direction: CharacterStudio places the camera at `[x, y · 0.5, z]`, and
 * so do the renderer and the captioner's view names.
 */
export const CAMERA_Y_SCALE = 0.5;

/** The direction subject → camera actually used for a manifest `cameraPosition`: y scaled by {@link CAMERA_Y_SCALE}. */
export function cameraDirectionUsed(position: readonly [number, number, number]): Vec3 {
  return [position[0], position[1] * CAMERA_Y_SCALE, position[2]];
}

/**
 * The cut-edge rule: every frame but `fullShot` cuts the body at the image's bottom edge, so it has no
 * bottom margin to fit or check.
 */
export function frameCutsBottom(frame: CameraFrame): boolean {
  return frame !== 'fullShot';
}

/**
 * The margin left and right of a subject too wide for the image ("width" framing), in pixels: the mean of
 * the top and bottom margins, unrounded (the renderer fits to it; checks on whole pixels round it).
 */
export function sideMarginPx(topFrameOffsetPixels: number, bottomFrameOffsetPixels: number): number {
  return (topFrameOffsetPixels + bottomFrameOffsetPixels) / 2;
}
