import type { Background } from '@vrm-lora/manifest';

/** What the subject is composited onto: kept transparent, or an exact sRGB colour (0..255 per channel). */
export type { Background };

/**
 * The background for CharacterStudio's `backgroundGrayscale` g in 0..1: the sRGB grey round(255·g), so 0.5 is
 * exactly 128,128,128. (CharacterStudio sets g as a *linear* three.js colour, which its renderer encodes to
 * sRGB, so its 0.5 comes out as 188; we take the number as the sRGB value a user reads in an image editor.)
 */
export function backgroundFromGrayscale(grayscale: number): Background {
  if (!Number.isFinite(grayscale) || grayscale < 0 || grayscale > 1) {
    throw new RangeError(`backgroundGrayscale must be a number from 0 to 1, got ${grayscale}.`);
  }
  const value = Math.round(255 * grayscale);
  return { kind: 'color', rgb: [value, value, value] };
}
