import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { backgroundFromGrayscale, measureSubjectBounds, postProcess } from '../src/index.js';

const SIZE = 64;

/** A 64×64 transparent render: an opaque red block at rows 10..49, columns 20..39, half-alpha green at row 50. */
async function makeRender(): Promise<Buffer> {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 10; y < 50; y++) {
    for (let x = 20; x < 40; x++) pixels.set([255, 0, 0, 255], (y * SIZE + x) * 4);
  }
  for (let x = 20; x < 40; x++) pixels.set([0, 255, 0, 128], (50 * SIZE + x) * 4);
  return sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 4 } })
    .png()
    .toBuffer();
}

async function readPixels(image: Buffer) {
  const { data, info: rawInfo } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const info = { ...rawInfo, format: (await sharp(image).metadata()).format };
  const at = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * info.channels, (y * info.width + x + 1) * info.channels),
  ];
  return { info, at };
}

describe('postProcess backgrounds', () => {
  it.each([
    [0, 0],
    [0.5, 128],
    [1, 255],
  ])('backgroundGrayscale %s gives exactly %s in every background pixel', async (grayscale, value) => {
    const result = await postProcess({
      png: await makeRender(),
      background: backgroundFromGrayscale(grayscale),
    });
    const { info, at } = await readPixels(result.image);
    expect(info.format).toBe('png');
    expect(info.channels).toBe(3);
    expect(at(0, 0)).toEqual([value, value, value]);
    expect(at(63, 63)).toEqual([value, value, value]);
    expect(at(19, 30)).toEqual([value, value, value]);
    expect(at(25, 30)).toEqual([255, 0, 0]);
    // Half alpha (128) green over the grey, blended in sRGB.
    const g = Math.round((255 * 128 + value * 127) / 255);
    const rb = Math.round((value * 127) / 255);
    expect(at(25, 50)).toEqual([rb, g, rb]);
    expect(result.extension).toBe('png');
    expect(result.mask).toBeNull();
  });

  it('composites onto an exact colour', async () => {
    const result = await postProcess({
      png: await makeRender(),
      background: { kind: 'color', rgb: [12, 200, 99] },
    });
    const { at } = await readPixels(result.image);
    expect(at(1, 1)).toEqual([12, 200, 99]);
    expect(at(25, 50)).toEqual([6, 228, 49]);
  });

  it('keeps the alpha channel when the background is transparent', async () => {
    const result = await postProcess({ png: await makeRender(), background: { kind: 'transparent' } });
    const { info, at } = await readPixels(result.image);
    expect(info.channels).toBe(4);
    expect(at(0, 0)[3]).toBe(0);
    expect(at(25, 30)).toEqual([255, 0, 0, 255]);
    expect(at(25, 50)).toEqual([0, 255, 0, 128]);
  });

  it('keeps alpha beside the composited colour for sd-scripts alpha_mask', async () => {
    const result = await postProcess({
      png: await makeRender(),
      background: backgroundFromGrayscale(0.5),
      alphaMask: 'alpha',
    });
    const { info, at } = await readPixels(result.image);
    expect(info.channels).toBe(4);
    expect(at(0, 0)).toEqual([128, 128, 128, 0]);
    expect(at(25, 30)).toEqual([255, 0, 0, 255]);
    expect(at(25, 50)).toEqual([64, 192, 64, 128]);
  });

  it('writes a separate greyscale mask from the alpha channel', async () => {
    const result = await postProcess({
      png: await makeRender(),
      background: backgroundFromGrayscale(1),
      alphaMask: 'separate',
    });
    expect(result.mask).not.toBeNull();
    const { info, at } = await readPixels(result.mask!);
    expect(info.format).toBe('png');
    expect(info.format).toBe('png');
    expect((await sharp(result.mask!).metadata()).channels).toBe(1);
    expect([at(0, 0)[0], at(25, 30)[0], at(25, 50)[0]]).toEqual([0, 255, 128]);
    expect((await readPixels(result.image)).info.channels).toBe(3);
  });

  it('gives the same bytes for the same input', async () => {
    const png = await makeRender();
    const a = await postProcess({ png, background: backgroundFromGrayscale(0.5), alphaMask: 'separate' });
    const b = await postProcess({ png, background: backgroundFromGrayscale(0.5), alphaMask: 'separate' });
    expect(a.image.equals(b.image)).toBe(true);
    expect(a.mask!.equals(b.mask!)).toBe(true);
  });
});

describe('postProcess formats', () => {
  it('writes WebP (lossless at quality 100) and JPEG with quality', async () => {
    const png = await makeRender();
    const lossless = await postProcess({
      png,
      background: backgroundFromGrayscale(0.5),
      format: 'webp',
      quality: 100,
    });
    expect(lossless.extension).toBe('webp');
    const webp = await readPixels(lossless.image);
    expect(webp.info.format).toBe('webp');
    expect(webp.at(0, 0)).toEqual([128, 128, 128]);
    expect(webp.at(25, 30)).toEqual([255, 0, 0]);

    const high = await postProcess({
      png,
      background: backgroundFromGrayscale(0.5),
      format: 'jpeg',
      quality: 95,
    });
    const low = await postProcess({
      png,
      background: backgroundFromGrayscale(0.5),
      format: 'jpeg',
      quality: 20,
    });
    expect(high.extension).toBe('jpg');
    expect((await sharp(high.image).metadata()).format).toBe('jpeg');
    expect(low.image.length).toBeLessThan(high.image.length);
    const jpeg = await readPixels(high.image);
    for (const channel of jpeg.at(0, 0)) expect(Math.abs(channel - 128)).toBeLessThanOrEqual(1);
  });

  it('refuses JPEG when alpha must be kept, naming the entry and the fix', async () => {
    const png = await makeRender();
    await expect(
      postProcess({
        png,
        background: { kind: 'transparent' },
        format: 'jpeg',
        entryLabel: 'dataCollection[2] (entry 3)',
      }),
    ).rejects.toThrow(
      'JPEG cannot keep an alpha channel (dataCollection[2] (entry 3)): use image.format "png" or "webp", or a background colour.',
    );
    await expect(
      postProcess({ png, background: backgroundFromGrayscale(0), format: 'jpeg', alphaMask: 'alpha' }),
    ).rejects.toThrow('or image.alphaMask "separate"');
  });

  it('names the entry when the render is not an image', async () => {
    await expect(
      postProcess({
        png: Buffer.from('not a png'),
        background: { kind: 'transparent' },
        entryLabel: 'dataCollection[1]',
      }),
    ).rejects.toThrow('Cannot read the render of dataCollection[1] as an image: ');
  });

  it('refuses a blank render', async () => {
    const blank = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    await expect(
      postProcess({ png: blank, background: { kind: 'transparent' }, entryLabel: 'dataCollection[0]' }),
    ).rejects.toThrow(
      'The render of dataCollection[0] is blank (no pixel has alpha): nothing to post-process.',
    );
  });
});

describe('margins', () => {
  it('measures the subject from the alpha channel', async () => {
    const png = await makeRender();
    expect(await measureSubjectBounds(png)).toEqual({
      width: 64,
      height: 64,
      topPx: 10,
      bottomPx: 13,
      leftPx: 20,
      rightPx: 24,
    });
    expect(await measureSubjectBounds(png, { alphaThreshold: 200 })).toMatchObject({ bottomPx: 14 });
  });

  it('warns when a margin is more than 2 px off, naming the entry; skips a cut bottom', async () => {
    const png = await makeRender();
    const ok = await postProcess({
      png,
      background: backgroundFromGrayscale(0),
      expected: { topPx: 12, bottomPx: 11 },
    });
    expect(ok.warnings).toEqual([]);
    expect(ok.measured).toEqual({ topPx: 10, bottomPx: 13, leftPx: 20, rightPx: 24 });
    const off = await postProcess({
      png,
      background: backgroundFromGrayscale(0),
      expected: { topPx: 13, bottomPx: 16 },
      entryLabel: 'dataCollection[4] (entry 5)',
    });
    expect(off.warnings).toEqual([
      'dataCollection[4] (entry 5): top margin is 10 px, expected 13 px (±2 px); check the framing.',
      'dataCollection[4] (entry 5): bottom margin is 13 px, expected 16 px (±2 px); check the framing.',
    ]);
    const cut = await postProcess({
      png,
      background: backgroundFromGrayscale(0),
      expected: { topPx: 10, bottomPx: null },
    });
    expect(cut.warnings).toEqual([]);
  });

  it('checks left and right instead of top and bottom for a subject fitted to the width', async () => {
    const png = await makeRender();
    const fitted = await postProcess({
      png,
      background: backgroundFromGrayscale(0),
      expected: { topPx: null, bottomPx: null, leftPx: 21, rightPx: 22 },
    });
    expect(fitted.warnings).toEqual([]);
    const off = await postProcess({
      png,
      background: backgroundFromGrayscale(0),
      expected: { topPx: null, bottomPx: null, leftPx: 16, rightPx: 24 },
      entryLabel: 'entry 2',
    });
    expect(off.warnings).toEqual([
      'entry 2: left margin is 20 px, expected 16 px (±2 px); check the framing.',
    ]);
  });
});

describe('a render in memory', () => {
  it('gives the same bytes from its pixels as from its PNG, for every background and mask mode', async () => {
    const png = await makeRender();
    const cases = [
      { background: backgroundFromGrayscale(0.5) },
      { background: { kind: 'transparent' as const } },
      {
        background: { kind: 'color' as const, rgb: [12, 200, 99] as [number, number, number] },
        alphaMask: 'separate' as const,
      },
      { background: backgroundFromGrayscale(1), alphaMask: 'alpha' as const, format: 'webp' as const },
    ];
    for (const options of cases) {
      const fromPng = await postProcess({ png, ...options, expected: { topPx: 13, bottomPx: 13 } });
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      const fromPixels = await postProcess({
        pixels: { data, width: info.width, height: info.height, channels: 4 },
        ...options,
        expected: { topPx: 13, bottomPx: 13 },
      });
      expect(fromPixels.image.equals(fromPng.image)).toBe(true);
      if (fromPng.mask) expect(fromPixels.mask?.equals(fromPng.mask)).toBe(true);
      else expect(fromPixels.mask).toBeNull();
      expect(fromPixels.measured).toEqual(fromPng.measured);
      expect(fromPixels.warnings).toEqual([
        'the image: top margin is 10 px, expected 13 px (±2 px); check the framing.',
      ]);
    }
  });

  it('takes the margins from known subject bounds instead of measuring the pixels again', async () => {
    const png = await makeRender();
    // Bounds that are not the pixels' (rows 10..50, columns 20..39): the result follows the bounds given.
    const result = await postProcess({
      png,
      background: backgroundFromGrayscale(0),
      subjectBounds: { left: 5, top: 6, right: 60, bottom: 61 },
      expected: { topPx: 6, bottomPx: 2 },
    });
    expect(result.measured).toEqual({ topPx: 6, bottomPx: 2, leftPx: 5, rightPx: 3 });
    expect(result.warnings).toEqual([]);
    await expect(
      postProcess({
        png,
        background: backgroundFromGrayscale(0),
        subjectBounds: { left: 5, top: 6, right: 64, bottom: 61 },
        entryLabel: 'entry 3',
      }),
    ).rejects.toThrow('The subject bounds given for entry 3 (5, 6)–(64, 61) do not lie in its 64×64 render.');
  });

  it('refuses pixels that are not RGBA of their size', async () => {
    const data = Buffer.alloc(64 * 64 * 4, 255);
    await expect(
      postProcess({
        pixels: { data, width: 64, height: 63, channels: 4 },
        background: backgroundFromGrayscale(0),
        entryLabel: 'entry 1',
      }),
    ).rejects.toThrow('The render of entry 1 holds 16384 bytes, not 64×63 RGBA pixels.');
    await expect(
      postProcess({
        pixels: { data, width: 64, height: 64, channels: 3 },
        background: backgroundFromGrayscale(0),
        entryLabel: 'entry 1',
      }),
    ).rejects.toThrow('Expected an RGBA render for entry 1, got 3 channels.');
  });
});

describe('PNG encoding', () => {
  it('gives the same pixels as the former zlib level 9 encoding (image and separate mask)', async () => {
    // 256×64 render: alpha runs through every value along x (column 0 transparent), colours vary along both axes.
    const width = 256;
    const height = 64;
    const rgba = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) rgba.set([x, y * 4, (x * y) & 255, x], (y * width + x) * 4);
    }
    const png = await sharp(rgba, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    const result = await postProcess({
      png,
      background: { kind: 'color', rgb: [64, 32, 200] },
      alphaMask: 'separate',
    });
    // What post/1 wrote: the blend formula in floating point, encoded at level 9.
    const rgb = Buffer.alloc(width * height * 3);
    const alpha = Buffer.alloc(width * height);
    for (let p = 0; p < width * height; p++) {
      const a = rgba[p * 4 + 3]!;
      [64, 32, 200].forEach((bg, k) => {
        rgb[p * 3 + k] = Math.round((rgba[p * 4 + k]! * a + bg * (255 - a)) / 255);
      });
      alpha[p] = a;
    }
    const level9 = { compressionLevel: 9, adaptiveFiltering: false, palette: false } as const;
    const formerImage = await sharp(rgb, { raw: { width, height, channels: 3 } })
      .png(level9)
      .toBuffer();
    const formerMask = await sharp(alpha, { raw: { width, height, channels: 1 } })
      .toColourspace('b-w')
      .png(level9)
      .toBuffer();
    const decode = (image: Buffer) => sharp(image).raw().toBuffer({ resolveWithObject: true });
    // sharp reads a greyscale PNG as sRGB: take one band.
    const decodeGrey = (image: Buffer) =>
      sharp(image).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    const [image, mask, former, formerM] = await Promise.all([
      decode(result.image),
      decodeGrey(result.mask!),
      decode(formerImage),
      decodeGrey(formerMask),
    ]);
    expect(image.info.channels).toBe(3);
    expect(image.data.equals(former.data)).toBe(true);
    expect(image.data.equals(rgb)).toBe(true);
    expect(mask.info.channels).toBe(1);
    expect(await sharp(result.mask!).metadata()).toMatchObject({ channels: 1, space: 'b-w' });
    expect(mask.data.equals(formerM.data)).toBe(true);
    expect(mask.data.equals(alpha)).toBe(true);
  });
});
