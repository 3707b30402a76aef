/**
 * Composites straight-alpha RGBA pixels onto an opaque RGB background image of the same size, in sRGB, with the
 * same integer rounding as `compositeOverColor`: each channel becomes round((c·a + bg·(255 − a)) / 255), so
 * alpha 0 gives exactly the background pixel and alpha 255 exactly the colour. Returns RGB, or RGBA with the
 * input's alpha kept when `keepAlpha` is set.
 */
export function compositeOverPixels(rgba: Uint8Array, background: Uint8Array, keepAlpha: boolean): Buffer {
  const count = rgba.length >> 2;
  if (background.length !== count * 3)
    throw new RangeError(`background has ${background.length} bytes, expected ${count * 3} (RGB, same size)`);
  const channels = keepAlpha ? 4 : 3;
  const out = Buffer.alloc(count * channels);
  for (let i = 0, b = 0, o = 0; i < rgba.length; i += 4, b += 3, o += channels) {
    const a = rgba[i + 3]!;
    const rest = 255 - a;
    for (let c = 0; c < 3; c++) {
      const t = rgba[i + c]! * a + background[b + c]! * rest + 128;
      out[o + c] = (t + (t >> 8)) >> 8;
    }
    if (keepAlpha) out[o + 3] = a;
  }
  return out;
}
