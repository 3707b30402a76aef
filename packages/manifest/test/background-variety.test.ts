import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assignVarietyChoices, describeBackgroundImage, nameColor } from '../src/index.js';
import { baseEntry, findingLines, loadContent, makeTempDir, withTop } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const lines = (content: unknown) => findingLines(dir, content);
const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ ...baseEntry(), description: `a person ${i}` }));

describe('background variety', () => {
  it('names colours in plain words', () => {
    const names = (
      [
        [0, 0, 0],
        [255, 255, 255],
        [128, 128, 128],
        [60, 60, 60],
        [200, 200, 200],
        [200, 40, 40],
        [16, 32, 96],
        [255, 204, 0],
        [255, 128, 0],
        [120, 70, 20],
        [30, 160, 60],
        [0, 160, 160],
        [120, 40, 200],
        [255, 150, 200],
        [180, 210, 255],
      ] as [number, number, number][]
    ).map(nameColor);
    expect(names).toEqual([
      'black',
      'white',
      'grey',
      'dark grey',
      'light grey',
      'red',
      'dark blue',
      'yellow',
      'orange',
      'brown',
      'green',
      'teal',
      'purple',
      'light pink',
      'light blue',
    ]);
  });

  it('deals backgrounds by seed: reproducible, balanced, independent of entry order', () => {
    const ids = Array.from({ length: 23 }, (_, i) => `entry-${i}`);
    const a = assignVarietyChoices(ids, 5, 7);
    expect(assignVarietyChoices(ids, 5, 7)).toEqual(a);
    const counts = [0, 1, 2, 3, 4].map((c) => a.filter((x) => x === c).length);
    expect(counts.sort()).toEqual([4, 4, 5, 5, 5]);
    const reversed = assignVarietyChoices([...ids].reverse(), 5, 7).reverse();
    expect(reversed).toEqual(a);
    expect(assignVarietyChoices(ids, 5, 8)).not.toEqual(a);
    expect(assignVarietyChoices(ids, 0, 7).every((x) => x === -1)).toBe(true);
  });

  it('resolves colours, gradients and a folder of images; an entry’s own background wins', async () => {
    const images = path.join(dir, 'bgs');
    fs.mkdirSync(images);
    fs.writeFileSync(path.join(images, 'cityStreet.png'), '');
    fs.writeFileSync(path.join(images, 'b_forest_path.jpg'), '');
    fs.writeFileSync(path.join(images, 'b_forest_path.txt'), ' a misty\nforest path \n');
    fs.writeFileSync(path.join(images, 'notes.md'), '');
    expect(describeBackgroundImage(path.join(images, 'cityStreet.png'))).toBe('city street background');
    const { plan, findings } = await loadContent(
      dir,
      withTop({
        backgrounds: {
          seed: 3,
          colors: ['#fff', { color: [200, 40, 40], description: 'a red wall' }],
          gradients: [{ from: '#000', to: '#00f', direction: 'horizontal' }],
          imagesDirectory: 'bgs',
        },
        dataCollection: [
          ...entries(9),
          { ...baseEntry(), description: 'own', backgroundGrayscale: 0.5, backgroundDescription: 'grey' },
        ],
      }),
    );
    expect(findings).toEqual([]);
    expect(plan?.backgroundVariety?.choices.map((c) => c.description)).toEqual([
      'plain white background',
      'a red wall',
      'black to blue gradient background',
      'a misty forest path',
      'city street background',
    ]);
    expect(plan?.backgroundVariety?.choices[3]?.background).toEqual({
      kind: 'image',
      path: path.join(images, 'b_forest_path.jpg'),
    });
    const used = new Set(plan?.shots.slice(0, 9).map((s) => s.backgroundDescription));
    expect(used.size).toBe(5);
    expect(plan?.shots[9]).toMatchObject({
      background: { kind: 'color', rgb: [128, 128, 128] },
      backgroundDescription: 'grey',
    });
  });

  it('refuses an empty variety and a missing folder; warns when captions cannot name it', async () => {
    expect(
      await lines(withTop({ backgrounds: { seed: 1 }, caption: { template: '{trigger} {description}' } })),
    ).toMatchInlineSnapshot(`
      [
        "error backgrounds: offers no background: give "colors", "gradients" and/or "imagesDirectory"",
        "warning caption.template: has no {background}: captions will not name the varied backgrounds, so the LoRA may learn them as part of the avatar",
      ]
    `);
    const missing = await loadContent(dir, withTop({ backgrounds: { imagesDirectory: 'nowhere' } }), {
      checkFiles: true,
    });
    expect(missing.plan).toBeNull();
    expect(missing.findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      `backgrounds.imagesDirectory: folder not found: ${path.join(dir, 'nowhere')} (relative to the manifest's folder)`,
    ]);
    fs.mkdirSync(path.join(dir, 'empty'));
    const empty = await loadContent(dir, withTop({ backgrounds: { imagesDirectory: 'empty' } }), {
      checkFiles: true,
    });
    expect(empty.findings.map((f) => f.message)).toEqual([
      `has no background images (.png, .jpg, .jpeg, .webp): ${path.join(dir, 'empty')}`,
    ]);
    expect(await lines(withTop({ backgrounds: { colors: ['red'] } }))).toMatchInlineSnapshot(`
      [
        "error backgrounds.colors[0]: must be a colour "#rrggbb", "#rgb" or [r, g, b] (0..255); descriptions are one line of words, got "red"",
      ]
    `);
  });

  it('a transparent background without a mask: a warning, and captions name black', async () => {
    const top = { background: 'transparent', backgroundDescription: 'transparent background' };
    expect(await lines(withTop(top))).toMatchInlineSnapshot(`
      [
        "warning background: is "transparent" with image.alphaMask "none": trainers load images as RGB (sd-scripts: PIL convert("RGB") drops alpha) and see a black background, so captions say "plain black background" where they would name it. Use a background colour or "backgrounds", or image.alphaMask "alpha" / "separate" so the trainer masks the background out",
      ]
    `);
    const { plan } = await loadContent(dir, withTop(top));
    expect(plan?.shots[0]?.backgroundDescription).toBe('plain black background');
    const masked = await loadContent(dir, withTop({ ...top, image: { alphaMask: 'alpha' } }));
    expect(masked.findings).toEqual([]);
    expect(masked.plan?.shots[0]?.backgroundDescription).toBe('transparent background');
  });
});
