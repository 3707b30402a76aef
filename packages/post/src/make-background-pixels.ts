import type { Background } from '@vrm-lora/manifest';
import sharp from 'sharp';

/** A background that is a picture rather than one colour. */
export type PictureBackground = Extract<Background, { kind: 'gradient' } | { kind: 'image' }>;

/**
 * The RGB pixels (`width × height × 3` bytes) of a gradient or image background. A gradient is linear in sRGB,
 * each channel round(from + (to − from)·t), with t from 0 at the first row (column, corner) to 1 at the last. An
 * image is auto-oriented, flattened onto black if it has alpha, scaled to cover the frame and centred (libvips,
 * so the same file and sharp version give the same pixels).
 */
export async function makeBackgroundPixels(
  background: PictureBackground,
  width: number,
  height: number,
): Promise<Buffer> {
  if (background.kind === 'image') {
    return sharp(background.path)
      .rotate()
      .flatten({ background: { r: 0, g: 0, b: 0 } })
      .resize(width, height, { fit: 'cover', position: 'centre' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer();
  }
  const { from, to, direction } = background;
  const out = Buffer.alloc(width * height * 3);
  const tx = (x: number) => (width > 1 ? x / (width - 1) : 0);
  const ty = (y: number) => (height > 1 ? y / (height - 1) : 0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = direction === 'vertical' ? ty(y) : direction === 'horizontal' ? tx(x) : (tx(x) + ty(y)) / 2;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = Math.round(from[c]! + (to[c]! - from[c]!) * t);
    }
  }
  return out;
}
