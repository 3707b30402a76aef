import { describe, expect, it } from 'vitest';
import { compositeOverColor } from '../src/composite-over-color.js';

describe('compositeOverColor', () => {
  it('gives exactly round((c·a + bg·(255 − a)) / 255) for every colour, alpha and background value', () => {
    // One 65536-pixel image per background value: pixel a·256 + c has colour (c, 255 − c, c ^ 0x5a) and alpha a,
    // over the background (bg, 255 − bg, bg ^ 0xa5): each channel sees every (c, a, bg) of 0..255, 256³ in all.
    const rgba = new Uint8Array(65536 * 4);
    for (let a = 0; a < 256; a++) {
      for (let c = 0; c < 256; c++) rgba.set([c, 255 - c, c ^ 0x5a, a], (a * 256 + c) * 4);
    }
    let checked = 0;
    const mismatches: string[] = [];
    for (let bg = 0; bg < 256; bg++) {
      const background = [bg, 255 - bg, bg ^ 0xa5] as const;
      for (const keepAlpha of [false, true]) {
        const out = compositeOverColor(rgba, background, keepAlpha);
        const channels = keepAlpha ? 4 : 3;
        expect(out.length).toBe(65536 * channels);
        for (let p = 0; p < 65536; p++) {
          const a = rgba[p * 4 + 3]!;
          for (let k = 0; k < 3; k++) {
            const want = Math.round((rgba[p * 4 + k]! * a + background[k]! * (255 - a)) / 255);
            if (out[p * channels + k] !== want && mismatches.length < 5) {
              mismatches.push(
                `c=${rgba[p * 4 + k]} a=${a} bg=${background[k]}: ${out[p * channels + k]} ≠ ${want}`,
              );
            }
            checked++;
          }
          if (keepAlpha && out[p * 4 + 3] !== a && mismatches.length < 5)
            mismatches.push(`alpha ${a} not kept`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(2 * 3 * 256 ** 3);
  });

  it('gives the background for alpha 0 whatever the colour, and the colour for alpha 255', () => {
    const rgba = Uint8Array.from([9, 8, 7, 0, 200, 100, 50, 255, 1, 2, 3, 0]);
    expect([...compositeOverColor(rgba, [30, 40, 50], false)]).toEqual([
      30, 40, 50, 200, 100, 50, 30, 40, 50,
    ]);
    expect([...compositeOverColor(rgba, [30, 40, 50], true)]).toEqual([
      30, 40, 50, 0, 200, 100, 50, 255, 30, 40, 50, 0,
    ]);
  });
});
