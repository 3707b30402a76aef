/**
 * The full `width` × `height` straight-alpha RGBA image of a shot from the page's pixel runs (see
 * `page/pack-spans.ts`): `spans` holds (row, first column, length) triplets, `pixels` their RGBA in order;
 * every other pixel is transparent black.
 */
export function unpackSpans(spans: Uint16Array, pixels: Uint8Array, width: number, height: number): Buffer {
  const rgba = Buffer.alloc(width * height * 4);
  let from = 0;
  for (let s = 0; s + 2 < spans.length; s += 3) {
    const y = spans[s]!;
    const x = spans[s + 1]!;
    const bytes = spans[s + 2]! * 4;
    if (y >= height || x * 4 + bytes > width * 4 || from + bytes > pixels.length) {
      throw new Error(`pixel run ${s / 3} (row ${y}, column ${x}) lies outside the ${width}×${height} image`);
    }
    rgba.set(pixels.subarray(from, from + bytes), (y * width + x) * 4);
    from += bytes;
  }
  if (from !== pixels.length) throw new Error(`${pixels.length - from} bytes of pixels are not in any run`);
  return rgba;
}
