// The subject-bounds rule shared by the renderer's page (its framing correction) and the post checks.
import { describe, expect, it } from 'vitest';
import { measurePixelBounds } from '../src/formats.js';

/** Pixels of `width` × `height` with `channels` bytes each, alpha (the last byte) 0 but for [x, y, alpha]. */
function image(width: number, height: number, channels: number, pixels: [number, number, number][]) {
  const data = new Uint8Array(width * height * channels).fill(77);
  for (let i = channels - 1; i < data.length; i += channels) data[i] = 0;
  for (const [x, y, a] of pixels) data[(y * width + x) * channels + channels - 1] = a;
  return data;
}

describe('measurePixelBounds', () => {
  it('finds the first and last rows and columns with a visible pixel, rows from the top', () => {
    const rgba = image(10, 8, 4, [
      [3, 2, 1],
      [7, 4, 255],
      [1, 6, 9],
    ]);
    expect(measurePixelBounds(rgba, 10, 8)).toEqual({ left: 1, top: 2, right: 7, bottom: 6 });
  });

  it('reads alpha as the last of `channels` bytes (grey + alpha), colour bytes ignored', () => {
    const ga = image(5, 4, 2, [
      [4, 0, 3],
      [0, 3, 200],
    ]);
    expect(measurePixelBounds(ga, 5, 4, 2)).toEqual({ left: 0, top: 0, right: 4, bottom: 3 });
  });

  it('counts only pixels whose alpha reaches the threshold; null when none does', () => {
    const rgba = image(6, 6, 4, [
      [1, 1, 10],
      [4, 4, 128],
    ]);
    expect(measurePixelBounds(rgba, 6, 6, 4, 100)).toEqual({ left: 4, top: 4, right: 4, bottom: 4 });
    expect(measurePixelBounds(rgba, 6, 6, 4, 200)).toBeNull();
    expect(measurePixelBounds(image(6, 6, 4, []), 6, 6)).toBeNull();
  });

  it('a row with one visible pixel has it as both its left and right end', () => {
    const rgba = image(9, 3, 4, [[5, 1, 1]]);
    expect(measurePixelBounds(rgba, 9, 3)).toEqual({ left: 5, top: 1, right: 5, bottom: 1 });
  });
});
