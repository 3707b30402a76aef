/**
 * Composites straight-alpha RGBA pixels onto an opaque sRGB colour, in sRGB (no colour management): each colour
 * channel becomes round((c·a + bg·(255 − a)) / 255), so alpha 0 gives exactly the background and alpha 255 exactly
 * the colour. Returns RGB, or RGBA with the input's alpha kept when `keepAlpha` is set.
 *
 * Integer-only, and exactly those bytes (a test checks every c, a and bg against the formula): for the integer
 * x = c·a + bg·(255 − a) in 0..65025, round(x / 255) = (t + (t >> 8)) >> 8 with t = x + 128. Pixels with alpha 0
 * (most of a render) are skipped, the output being pre-filled with the background; alpha 255 copies the colour.
 */
export function compositeOverColor(
  rgba: Uint8Array,
  rgb: readonly [number, number, number],
  keepAlpha: boolean,
): Buffer {
  const [br, bg, bb] = rgb;
  const channels = keepAlpha ? 4 : 3;
  const out = Buffer.alloc(
    (rgba.length >> 2) * channels,
    Uint8Array.from(keepAlpha ? [br, bg, bb, 0] : [br, bg, bb]),
  );
  // bg·(255 − a) + 128 for each alpha, per channel: one multiply-add per channel left in the loop.
  const rest = new Int32Array(768);
  for (let a = 0; a < 256; a++) {
    rest[a] = br * (255 - a) + 128;
    rest[256 + a] = bg * (255 - a) + 128;
    rest[512 + a] = bb * (255 - a) + 128;
  }
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += channels) {
    const a = rgba[i + 3]!;
    if (a === 0) continue;
    if (a === 255) {
      out[o] = rgba[i]!;
      out[o + 1] = rgba[i + 1]!;
      out[o + 2] = rgba[i + 2]!;
    } else {
      let t = rgba[i]! * a + rest[a]!;
      out[o] = (t + (t >> 8)) >> 8;
      t = rgba[i + 1]! * a + rest[256 + a]!;
      out[o + 1] = (t + (t >> 8)) >> 8;
      t = rgba[i + 2]! * a + rest[512 + a]!;
      out[o + 2] = (t + (t >> 8)) >> 8;
    }
    if (keepAlpha) out[o + 3] = a;
  }
  return out;
}
