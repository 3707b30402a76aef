import sharp from 'sharp';

/** Empty margins around the subject, in pixels, measured on the alpha channel. */
export interface SubjectBounds {
  /** Image width in pixels. */
  width: number;
  /** Image height in pixels. */
  height: number;
  /** Empty rows above the subject. */
  topPx: number;
  /** Empty rows below the subject. */
  bottomPx: number;
  /** Empty columns left of the subject. */
  leftPx: number;
  /** Empty columns right of the subject. */
  rightPx: number;
}

/** Options of {@link measureSubjectBounds}. */
export interface MeasureSubjectBoundsOptions {
  /** A pixel belongs to the subject when its alpha is at least this (1..255). Default 1: any visible pixel. */
  alphaThreshold?: number;
}

/**
 * Measures the subject's margins from raw 8-bit pixels whose alpha is channel `channels - 1`.
 * Returns `null` when no pixel reaches the threshold (a blank image).
 */
export function measureRawSubjectBounds(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  alphaThreshold = 1,
): SubjectBounds | null {
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * channels + channels - 1;
    let first = -1;
    let last = -1;
    for (let x = 0; x < width; x++) {
      if ((pixels[row + x * channels] ?? 0) >= alphaThreshold) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    if (top === height) top = y;
    bottom = y;
    if (first < left) left = first;
    if (last > right) right = last;
  }
  if (bottom < 0) return null;
  return {
    width,
    height,
    topPx: top,
    bottomPx: height - 1 - bottom,
    leftPx: left,
    rightPx: width - 1 - right,
  };
}

/**
 * Measures the empty margins around the subject of an image with alpha (PNG or WebP), or `null` when the image
 * has no visible pixel. An image without an alpha channel counts as fully opaque (all margins 0).
 */
export async function measureSubjectBounds(
  image: Buffer,
  options: MeasureSubjectBoundsOptions = {},
): Promise<SubjectBounds | null> {
  const { data, info } = await sharp(image)
    .ensureAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return measureRawSubjectBounds(data, info.width, info.height, info.channels, options.alphaThreshold ?? 1);
}
