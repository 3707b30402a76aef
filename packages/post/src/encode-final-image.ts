import sharp from 'sharp';
import { PNG_OPTIONS } from './png-options.js';

/** Encoding of the final image. */
export type ImageFormat = 'png' | 'webp' | 'jpeg';

/** File extension of each {@link ImageFormat}, without the dot. */
export type ImageExtension = 'png' | 'webp' | 'jpg';

/** Raw 8-bit pixels: `width × height × channels` bytes. */
export interface RawPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * Encodes the final image with no metadata, so the same pixels give the same bytes: PNG with {@link PNG_OPTIONS},
 * WebP (lossless at quality 100) or JPEG (4:4:4, no mozjpeg) at `quality` 1..100.
 */
export async function encodeFinalImage(
  pixels: RawPixels,
  format: ImageFormat,
  quality: number,
): Promise<{ image: Buffer; extension: ImageExtension }> {
  const { data, width, height, channels } = pixels;
  const raw = sharp(data, { raw: { width, height, channels } });
  if (format === 'png') return { image: await raw.png(PNG_OPTIONS).toBuffer(), extension: 'png' };
  if (format === 'webp') {
    const options =
      quality === 100
        ? { lossless: true, effort: 4 }
        : { quality, alphaQuality: 100, effort: 4, smartSubsample: true };
    return { image: await raw.webp(options).toBuffer(), extension: 'webp' };
  }
  const image = await raw.jpeg({ quality, chromaSubsampling: '4:4:4', mozjpeg: false }).toBuffer();
  return { image, extension: 'jpg' };
}

/**
 * The separate mask: the alpha channel of straight-alpha RGBA pixels as an 8-bit greyscale PNG, extracted by
 * libvips (no JS loop). The extracted band is already greyscale (b-w): an explicit toColourspace('b-w') here
 * would run a full sRGB → grey conversion (~18 ms at 1024²) that gives the same bytes.
 */
export function encodeSeparateMask(rgba: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .extractChannel(3)
    .png(PNG_OPTIONS)
    .toBuffer();
}
