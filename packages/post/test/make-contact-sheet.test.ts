import fs, { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeContactSheet, wrapLabel } from '../src/index.js';

async function makeImage(rgb: [number, number, number], alpha = 255): Promise<Buffer> {
  return sharp({
    create: {
      width: 200,
      height: 300,
      channels: 4,
      background: { r: rgb[0], g: rgb[1], b: rgb[2], alpha: alpha / 255 },
    },
  })
    .png()
    .toBuffer();
}

describe('makeContactSheet', () => {
  it('lays out thumbnails in a grid with their labels', async () => {
    const items = [
      {
        image: await makeImage([200, 30, 30]),
        label: '#1 anata a person slowly walking full shot plain black background',
      },
      { image: await makeImage([30, 200, 30]), label: '#2 anata a person saluting medium shot' },
      { image: await makeImage([30, 30, 200], 0), label: '#3 transparent' },
      { image: await makeImage([90, 90, 90]), label: `#4 ${'very long caption '.repeat(20)}` },
    ];
    const sheet = await makeContactSheet(items, { thumbnailPx: 128 });
    const dir = path.join(os.tmpdir(), 'vrm-lora-post-test');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'contact-sheet.png'), sheet);

    const { data, info } = await sharp(sheet).raw().toBuffer({ resolveWithObject: true });
    // 2 columns (ceil √4) of 128 + 2·8 px; rows of 8 + 128 + 8 + 4·17 + 8 px.
    expect([info.width, info.height]).toEqual([288, 440]);
    const at = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x + 3) * 3 - 6),
    ];
    // First thumbnail (200×300 fitted into 128: 85×128, centred) is red.
    expect(at(72, 72)).toEqual([200, 30, 30]);
    expect(at(144 + 72, 72)).toEqual([30, 200, 30]);
    // A transparent thumbnail shows the checkerboard.
    const checker = [at(72 - 20, 220 + 72), at(72 - 12, 220 + 72)];
    expect(checker.map((p) => p[0]).sort()).toEqual([216, 255]);
    // Label text: dark pixels in the label band under the first thumbnail.
    let dark = 0;
    for (let y = 144; y < 212; y++)
      for (let x = 8; x < 136; x++) if ((data[(y * info.width + x) * 3] ?? 255) < 100) dark++;
    expect(dark).toBeGreaterThan(100);
    // Same input, same bytes.
    expect((await makeContactSheet(items, { thumbnailPx: 128 })).equals(sheet)).toBe(true);
  });

  it('reads an image from a file path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-sheet-'));
    try {
      const file = path.join(dir, 'a.png');
      fs.writeFileSync(file, await makeImage([10, 120, 240]));
      const sheet = await makeContactSheet([{ image: file, label: '#1 from a file' }], { thumbnailPx: 64 });
      const { data, info } = await sharp(sheet).raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => [
        ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
      ];
      expect(at(40, 40)).toEqual([10, 120, 240]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wraps labels and ends a cut one with an ellipsis', () => {
    expect(wrapLabel('aa bb cc dd', 5, 3)).toEqual(['aa bb', 'cc dd']);
    expect(wrapLabel('aa bb cc dd ee ff gg', 5, 2)).toEqual(['aa bb', 'cc d…']);
    expect(wrapLabel('abcdefghij', 4, 5)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('makeContactSheet inputs', () => {
  it('draws greyscale, greyscale-with-alpha and 16-bit images like RGB ones', async () => {
    const grey = await sharp(Buffer.alloc(100 * 100, 70), { raw: { width: 100, height: 100, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const greyAlpha = await sharp(Buffer.alloc(100 * 100 * 2, 255), {
      raw: { width: 100, height: 100, channels: 2 },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const deep = await sharp({
      create: { width: 100, height: 100, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 1 } },
    })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await sharp(deep).metadata()).depth).toBe('ushort');
    const sheet = await makeContactSheet(
      [
        { image: grey, label: 'grey' },
        { image: greyAlpha, label: 'grey + alpha' },
        { image: deep, label: '16-bit' },
      ],
      { thumbnailPx: 64, columns: 3 },
    );
    const { data, info } = await sharp(sheet).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [
      ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
    ];
    // Cells are 64 + 2·8 px wide; each thumbnail's centre.
    expect(at(40, 40)).toEqual([70, 70, 70]);
    expect(at(80 + 40, 40)).toEqual([255, 255, 255]);
    // 16 bits resized, then brought to 8: within 1 of the colour.
    expect(at(160 + 40, 40).map((v, i) => Math.abs(v - [10, 20, 30][i]!) <= 1)).toEqual([true, true, true]);
  });
});
