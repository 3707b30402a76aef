import { describe, expect, it } from 'vitest';
import { edgesTouched, measureRegionAlpha } from '../src/page/measure-alpha.js';

/** RGBA rows of `width` × `height`, transparent but for the given [x, y, alpha] pixels. */
function image(width: number, height: number, pixels: [number, number, number][]): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (const [x, y, a] of pixels) rgba[(y * width + x) * 4 + 3] = a;
  return rgba;
}

describe('measureRegionAlpha', () => {
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
