// The page's pixel runs and Node's unpacking give back exactly the straight-alpha bounds crop they replace.
import { describe, expect, test } from 'vitest';
import { packSpans, unpremultiply } from '../src/page/pack-spans.js';
import { unpackSpans } from '../src/unpack-spans.js';

/** A premultiplied region with holes, partial alpha and a pixel of colour without alpha. */
function makeRegion(width: number, height: number, seed: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  let s = seed;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < width * height; i++) {
    if (rand() < 0.45) continue; // transparent black
    const a = rand() < 0.5 ? 255 : Math.floor(rand() * 256);
    rgba[i * 4] = Math.floor(rand() * (a + 1));
    rgba[i * 4 + 1] = Math.floor(rand() * (a + 1));
    rgba[i * 4 + 2] = Math.floor(rand() * (a + 1));
    rgba[i * 4 + 3] = a;
  }
  return rgba;
}

/** What the page sent before the runs: the bounds crop, un-premultiplied, put back into a full image. */
function referenceImage(
  region: Uint8Array,
  box: { left: number; top: number; right: number; bottom: number },
  bounds: { left: number; top: number; right: number; bottom: number },
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const regionWidth = box.right - box.left + 1;
  for (let y = bounds.top; y <= bounds.bottom; y++) {
    for (let x = bounds.left; x <= bounds.right; x++) {
      const from = ((y - box.top) * regionWidth + x - box.left) * 4;
      out.set(region.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  const copy = out.slice();
  unpremultiply(copy);
  return copy;
}

describe('packSpans / unpackSpans', () => {
  test.each([1, 2, 3])('round trip equals the un-premultiplied bounds crop (seed %i)', (seed) => {
    const width = 64;
    const height = 48;
    const box = { left: 5, top: 7, right: 40, bottom: 30 };
    const bounds = { left: 8, top: 9, right: 38, bottom: 29 };
    const region = makeRegion(box.right - box.left + 1, box.bottom - box.top + 1, seed);
    const packed = packSpans(region, box, bounds);
    const image = unpackSpans(packed.spans, packed.pixels, width, height);
    expect(Buffer.from(image).equals(Buffer.from(referenceImage(region, box, bounds, width, height)))).toBe(
      true,
    );
    // Only non-zero pixels travel.
    let nonZero = 0;
    for (let y = bounds.top; y <= bounds.bottom; y++)
      for (let x = bounds.left; x <= bounds.right; x++) {
        const i = ((y - box.top) * (box.right - box.left + 1) + x - box.left) * 4;
        if (region[i]! | region[i + 1]! | region[i + 2]! | region[i + 3]!) nonZero++;
      }
    expect(packed.pixels.length).toBe(nonZero * 4);
  });

  test('spans never cross rows and a fully transparent region sends nothing', () => {
    const box = { left: 0, top: 0, right: 3, bottom: 1 };
    const region = new Uint8Array(4 * 2 * 4).fill(255);
    const packed = packSpans(region, box, box);
    expect(Array.from(packed.spans)).toEqual([0, 0, 4, 1, 0, 4]);
    const empty = packSpans(new Uint8Array(32), box, box);
    expect(empty.spans.length).toBe(0);
    expect(empty.pixels.length).toBe(0);
  });

  test('a run outside the image is an error, not a silent overwrite', () => {
    expect(() => unpackSpans(Uint16Array.from([0, 6, 4]), new Uint8Array(16), 8, 8)).toThrow(
      /pixel run 0 \(row 0, column 6\) lies outside the 8×8 image/,
    );
    expect(() => unpackSpans(Uint16Array.from([0, 0, 1]), new Uint8Array(8), 8, 8)).toThrow(
      /4 bytes of pixels are not in any run/,
    );
  });
});
