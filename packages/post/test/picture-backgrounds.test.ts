import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { compositeOverColor } from '../src/composite-over-color.js';
import { compositeOverPixels, makeBackgroundPixels, postProcess } from '../src/index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-post-bg-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A 4×3 RGBA render: alpha 0, 128 and 255 pixels of several colours. */
function render(): Buffer {
  const px: number[] = [];
  for (let i = 0; i < 12; i++)
    px.push((i * 37) % 256, (i * 91) % 256, (i * 53) % 256, [0, 128, 255, 7][i % 4]!);
  return Buffer.from(px);
}

describe('picture backgrounds', () => {
  it('compositing over a uniform picture gives the bytes of compositing over that colour', () => {
    const rgba = render();
    const bg = Buffer.alloc(12 * 3);
    for (let i = 0; i < 12; i++) bg.set([10, 200, 90], i * 3);
    for (const keepAlpha of [false, true])
      expect(compositeOverPixels(rgba, bg, keepAlpha)).toEqual(
        compositeOverColor(rgba, [10, 200, 90], keepAlpha),
      );
    expect(() => compositeOverPixels(rgba, Buffer.alloc(5), false)).toThrow(/expected 36/);
  });

  it('gradients run from the first row (column, corner) to the last', async () => {
    const from: [number, number, number] = [0, 100, 255];
    const to: [number, number, number] = [255, 0, 55];
    const at = (buf: Buffer, w: number, x: number, y: number) => [
      ...buf.subarray((y * w + x) * 3, (y * w + x) * 3 + 3),
    ];
    const v = await makeBackgroundPixels({ kind: 'gradient', from, to, direction: 'vertical' }, 4, 5);
    expect([at(v, 4, 3, 0), at(v, 4, 0, 2), at(v, 4, 2, 4)]).toEqual([from, [128, 50, 155], to]);
    const h = await makeBackgroundPixels({ kind: 'gradient', from, to, direction: 'horizontal' }, 5, 2);
    expect([at(h, 5, 0, 1), at(h, 5, 4, 0)]).toEqual([from, to]);
    const d = await makeBackgroundPixels({ kind: 'gradient', from, to, direction: 'diagonal' }, 3, 3);
    expect([at(d, 3, 0, 0), at(d, 3, 2, 0), at(d, 3, 2, 2)]).toEqual([from, [128, 50, 155], to]);
  });

  it('an image background covers the frame, centred; transparent pixels of a kept-transparent image are black', async () => {
    const file = path.join(dir, 'split.png');
    await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 255, g: 0, b: 0 } } })
      .composite([
        {
          input: { create: { width: 20, height: 20, channels: 3, background: { r: 0, g: 0, b: 255 } } },
          left: 20,
          top: 0,
        },
      ])
      .png()
      .toFile(file);
    const png = await sharp(render(), { raw: { width: 4, height: 3, channels: 4 } })
      .png()
      .toBuffer();
    const result = await postProcess({ png, background: { kind: 'image', path: file } });
    const { data } = await sharp(result.image).raw().toBuffer({ resolveWithObject: true });
    // Pixel 0 (alpha 0): the picture's left half; pixel 3 (alpha 7) of the top row sits in the right half.
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect(data[3 * 3 + 2]).toBeGreaterThan(240);
    await expect(
      postProcess({
        png,
        background: { kind: 'image', path: path.join(dir, 'missing.png') },
        entryLabel: 'entry 4',
      }),
    ).rejects.toThrow(/Cannot read background image .*missing\.png for entry 4/);

    const clear = await postProcess({ png, background: { kind: 'transparent' } });
    const raw = await sharp(clear.image).raw().toBuffer();
    for (let i = 0; i < raw.length; i += 4)
      if (raw[i + 3] === 0) expect([...raw.subarray(i, i + 3)]).toEqual([0, 0, 0]);
  });
});
