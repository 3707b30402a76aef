import { describe, expect, it } from 'vitest';
import { edgesTouched, measureAlpha, measureRegionAlpha } from '../src/page/measure-alpha.js';

/** RGBA rows of `width` × `height`, transparent but for the given [x, y, alpha] pixels. */
function image(width: number, height: number, pixels: [number, number, number][]): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (const [x, y, a] of pixels) rgba[(y * width + x) * 4 + 3] = a;
  return rgba;
}

describe('measureAlpha', () => {
  it('finds the first and last rows and columns with alpha > 0, rows counted from the top', () => {
    const rgba = image(10, 8, [
      [3, 2, 1],
      [7, 4, 255],
      [1, 6, 9],
    ]);
    expect(measureAlpha(rgba, 10, 8)).toEqual({ left: 1, top: 2, right: 7, bottom: 6 });
  });

  it('is null for a fully transparent image, whatever the colour bytes hold', () => {
    const rgba = new Uint8Array(6 * 5 * 4).fill(200);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0;
    expect(measureAlpha(rgba, 6, 5)).toBeNull();
  });

  it('measures a region in full-image pixels (offset by the region box)', () => {
    const rgba = image(4, 3, [[2, 1, 128]]);
    const region = { rgba, box: { left: 100, top: 50, right: 103, bottom: 52 }, renderMs: 0, readbackMs: 0 };
    expect(measureRegionAlpha(region)).toEqual({ left: 102, top: 51, right: 102, bottom: 51 });
  });
});

describe('edgesTouched', () => {
  it('names each image edge the bounds reach, and none inside', () => {
    expect(edgesTouched({ left: 0, top: 0, right: 99, bottom: 49 }, 100, 50)).toEqual([
      'top',
      'bottom',
      'left',
      'right',
    ]);
    expect(edgesTouched({ left: 1, top: 1, right: 98, bottom: 48 }, 100, 50)).toEqual([]);
    expect(edgesTouched({ left: 5, top: 3, right: 40, bottom: 49 }, 100, 50)).toEqual(['bottom']);
  });
});
