import { measurePixelBounds, type PixelBounds } from '@vrm-lora/manifest/formats';
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
 * Measures the subject's margins from raw 8-bit pixels whose alpha is channel `channels - 1` (the bounds are
 * manifest's `measurePixelBounds`, the renderer's page measures with the same rule).
 * Returns `null` when no pixel reaches the threshold (a blank image).
 */
export function measureRawSubjectBounds(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
  alphaThreshold = 1,
): SubjectBounds | null {
  const bounds = measurePixelBounds(pixels, width, height, channels, alphaThreshold);
  return bounds ? subjectBoundsOf(bounds, width, height) : null;
}

/** The margins around inclusive pixel `bounds` in a `width` × `height` image. */
export function subjectBoundsOf(bounds: PixelBounds, width: number, height: number): SubjectBounds {
  const { top, bottom, left, right } = bounds;
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
