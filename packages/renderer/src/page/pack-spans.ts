// What leaves the page for a shot: the runs of non-transparent pixels of the subject's bounds, not the whole
// box. A subject fills about a third of its bounding box (0.15 of 0.46 megapixels over the example's shots),
// and every byte sent costs base64, the DevTools protocol's relay and Node's decoding. Pure, no DOM.
import type { PixelBox } from './subject-box.js';

/** Pixel runs of an image and their pixels. */
export interface PackedSpans {
  /** (row, first column, length) triplets in full-image pixels, rows top to bottom. */
  spans: Uint16Array;
  /** Straight-alpha RGBA of the spans' pixels, in span order. */
  pixels: Uint8Array;
}

/**
 * The runs of pixels inside `bounds` that are not (0, 0, 0, 0) in `rgba` (premultiplied, the pixels of
 * `box`, rows top to bottom), with their colour un-premultiplied. Everything else is transparent black.
 */
export function packSpans(rgba: Uint8Array, box: PixelBox, bounds: PixelBox): PackedSpans {
  const stride = (box.right - box.left + 1) * 4;
  const spans: number[] = [];
  let pixelCount = 0;
  const isZero = (i: number) => (rgba[i]! | rgba[i + 1]! | rgba[i + 2]! | rgba[i + 3]!) === 0;
  for (let y = bounds.top; y <= bounds.bottom; y++) {
    const row = (y - box.top) * stride;
    let x = bounds.left;
    while (x <= bounds.right) {
      while (x <= bounds.right && isZero(row + (x - box.left) * 4)) x++;
      if (x > bounds.right) break;
      const start = x;
      while (x <= bounds.right && !isZero(row + (x - box.left) * 4)) x++;
      spans.push(y, start, x - start);
      pixelCount += x - start;
    }
  }
  const pixels = new Uint8Array(pixelCount * 4);
  let o = 0;
  for (let s = 0; s < spans.length; s += 3) {
    const from = (spans[s]! - box.top) * stride + (spans[s + 1]! - box.left) * 4;
    const bytes = spans[s + 2]! * 4;
    pixels.set(rgba.subarray(from, from + bytes), o);
    o += bytes;
  }
  unpremultiply(pixels);
  return { spans: Uint16Array.from(spans), pixels };
}

/** Premultiplied → straight alpha, in place (the framebuffer blends colour into a transparent black clear). */
export function unpremultiply(rgba: Uint8Array): void {
  for (let i = 0; i < rgba.length; i += 4) {
    const a = rgba[i + 3]!;
    if (a === 0 || a === 255) continue;
    rgba[i] = Math.min(255, Math.round((rgba[i]! * 255) / a));
    rgba[i + 1] = Math.min(255, Math.round((rgba[i + 1]! * 255) / a));
    rgba[i + 2] = Math.min(255, Math.round((rgba[i + 2]! * 255) / a));
  }
}
