import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, runCli, stageCounts } from './support/run-cli.js';

// Background variety, run by the built CLI on the mannequin: every image's background pixels are the background
// its caption names (colours exactly, gradients at both ends, images in both halves); changing only the
// backgrounds re-runs post-processing and captions and renders nothing. And a transparent background without
// a mask: a warning, black pixels under alpha 0, and a caption that says black.

type Rgb = [number, number, number];
const SIZE = 192;
const LEFT: Rgb = [190, 120, 60];
const RIGHT: Rgb = [40, 130, 50];

let dir: string;
let vrm: string;
const poses = [
  'waving',
  'arms-crossed',
  'kneeling',
  'cheering',
  't-pose',
  'a-pose',
  'standing-relaxed',
  'hands-on-hips',
];

/** What each background's words promise: the colour of every background pixel at (x, y). */
const backgrounds: Record<string, (x: number, y: number) => Rgb> = {
  'plain dark blue background': () => [16, 32, 96],
  'plain red background': () => [200, 40, 40],
  'white studio backdrop': () => [240, 240, 240],
  'yellow to red gradient background': (_x, y) => ramp([255, 204, 0], [255, 0, 0], y / (SIZE - 1)),
  'black to blue gradient background': (x, y) =>
    ramp([0, 0, 0], [100, 200, 255], (x / (SIZE - 1) + y / (SIZE - 1)) / 2),
  // The picture scaled to cover the square and centred: its left half, then its right half.
  'a sandy beach and a meadow': (x) => (x < SIZE / 2 - 2 ? LEFT : x >= SIZE / 2 + 2 ? RIGHT : [-1, -1, -1]),
};

function ramp(from: Rgb, to: Rgb, t: number): Rgb {
  return [0, 1, 2].map((c) => Math.round(from[c]! + (to[c]! - from[c]!) * t)) as Rgb;
}

function manifest(seed: number): Record<string, unknown> {
  return {
    width: SIZE,
    height: SIZE,
    topFrameOffsetPixels: 12,
    bottomFrameOffsetPixels: 12,
    backgroundGrayscale: 0,
    backgroundDescription: 'plain black background',
    image: { alphaMask: 'separate' },
    backgrounds: {
      seed,
      colors: ['#102060', [200, 40, 40], { color: '#f0f0f0', description: 'white studio backdrop' }],
      gradients: [
        { from: '#ffcc00', to: '#ff0000' },
        { from: '#000000', to: [100, 200, 255], direction: 'diagonal' },
      ],
      imagesDirectory: 'backgrounds',
    },
    dataCollection: poses.flatMap((pose, i) =>
      ['front', 'left'].map((camera) => ({
        animationPath: `builtin:${pose}`,
        cameraPosition: camera,
        cameraFrame: i % 3 === 2 ? 'cowboyShot' : 'fullShot',
        description: `a mannequin ${pose} from the ${camera}`,
      })),
    ),
  };
}

async function pixelAt(file: string, x: number, y: number): Promise<Rgb> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const o = (y * info.width + x) * 3;
  return [data[o]!, data[o + 1]!, data[o + 2]!];
}

/**
 * Every written entry's caption names one known background, and every background pixel of its image (mask 0)
 * is that background's colour there. Returns how often each background was used.
 */
async function expectPixelsMatchCaptions(out: string): Promise<Map<string, number>> {
  const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
  const used = new Map<string, number>();
  for (const e of report.entries) {
    const caption = (await fs.readFile(path.join(out, e.output.caption), 'utf8')).trim();
    const named = Object.keys(backgrounds).filter((words) => caption.endsWith(words));
    expect(named, `${e.jsonPath}: "${caption}"`).toHaveLength(1);
    const words = named[0]!;
    used.set(words, (used.get(words) ?? 0) + 1);
    const image = await sharp(path.join(out, e.output.image)).raw().toBuffer({ resolveWithObject: true });
    const mask = await sharp(path.join(out, e.output.mask)).extractChannel(0).raw().toBuffer();
    expect(image.info.channels).toBe(3);
    let checked = 0;
    const wrong: string[] = [];
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        if (mask[y * SIZE + x] !== 0) continue;
        const want = backgrounds[words]!(x, y);
        if (want[0] < 0) continue; // the picture's seam, resampled
        const o = (y * SIZE + x) * 3;
        const got = [image.data[o], image.data[o + 1], image.data[o + 2]];
        checked++;
        if (got.some((v, c) => v !== want[c]) && wrong.length < 3) wrong.push(`${x},${y}: ${got} ≠ ${want}`);
      }
    }
    expect(wrong, `${e.jsonPath} (${words})`).toEqual([]);
    expect(checked, e.jsonPath).toBeGreaterThan((SIZE * SIZE) / 3);
  }
  return used;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-bg-'));
  vrm = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(vrm, await createMannequinVrm({ specVersion: '1.0' }));
  await fs.mkdir(path.join(dir, 'backgrounds'));
  // A landscape picture, two flat halves: scaled to cover a square and centred, each half reaches its edge.
  const half = (rgb: Rgb) =>
    sharp({
      create: { width: 200, height: 200, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
    })
      .png()
      .toBuffer();
  await sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .composite([
      { input: await half(LEFT), left: 0, top: 0 },
      { input: await half(RIGHT), left: 200, top: 0 },
    ])
    .png()
    .toFile(path.join(dir, 'backgrounds', 'beach_meadow.png'));
  await fs.writeFile(path.join(dir, 'backgrounds', 'beach_meadow.txt'), 'a sandy beach and a meadow\n');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(file: string, out: string) {
  const result = await runCli(['run', file, '--vrm', vrm, '--out', out, '--json']);
  const events = jsonEvents(String(result.stdout));
  return { result, events, counts: stageCounts(events) };
}

describe('vrm-lora run: background variety', () => {
  const out = () => path.join(dir, 'out');
  const file = () => path.join(dir, 'manifest.json');

  it('each image gets one of the backgrounds, about equally often, and its caption names what its pixels show', async () => {
    await fs.writeFile(file(), JSON.stringify(manifest(1), null, 2));
    const { result, counts } = await run(file(), out());
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(counts.render?.done).toBe(16);
    const used = await expectPixelsMatchCaptions(out());
    // 16 images, 6 backgrounds: each used 2 or 3 times.
    expect([...used.keys()].sort()).toEqual(Object.keys(backgrounds).sort());
    for (const n of used.values()) expect(n === 2 || n === 3).toBe(true);
  }, 300_000);

  it('a new seed changes backgrounds and captions: post and captions re-run, 0 renders, 0 bakes', async () => {
    const before = await fs.readFile(path.join(out(), 'report.json'), 'utf8');
    await fs.writeFile(file(), JSON.stringify(manifest(2), null, 2));
    const { result, counts } = await run(file(), out());
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(counts.bake).toEqual({ done: 0, cached: 16, failed: 0 });
    expect(counts.render).toEqual({ done: 0, cached: 16, failed: 0 });
    expect(counts.post!.done).toBeGreaterThan(8);
    expect(counts.caption!.done).toBeGreaterThan(8);
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.summary.stages.render).toMatchObject({ done: 0, cached: 16 });
    expect(report.entries.map((e: { caption: string }) => e.caption)).not.toEqual(
      JSON.parse(before).entries.map((e: { caption: string }) => e.caption),
    );
    await expectPixelsMatchCaptions(out());
  }, 300_000);

  it('the same seed again gives the same backgrounds (served from the cache)', async () => {
    await fs.writeFile(file(), JSON.stringify(manifest(1), null, 2));
    const { counts } = await run(file(), out());
    expect(counts.render).toEqual({ done: 0, cached: 16, failed: 0 });
    expect(counts.post).toEqual({ done: 0, cached: 16, failed: 0 });
    await expectPixelsMatchCaptions(out());
  }, 300_000);
});

describe('vrm-lora run: a transparent background without a mask', () => {
  it('warns, stores black under alpha 0 (what RGB trainers see), and the caption says black', async () => {
    const m = {
      width: 128,
      height: 128,
      topFrameOffsetPixels: 8,
      bottomFrameOffsetPixels: 8,
      background: 'transparent',
      backgroundDescription: 'transparent background',
      dataCollection: [{ animationPath: 'builtin:waving', description: 'a mannequin waving' }],
    };
    const file = path.join(dir, 'transparent.json');
    await fs.writeFile(file, JSON.stringify(m, null, 2));
    const out = path.join(dir, 'out-transparent');
    const { result, events } = await run(file, out);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const warning = events.find((e) => e.type === 'warning');
    expect(String(warning?.message)).toContain(
      'transparent.json: background: is "transparent" with image.alphaMask "none": trainers load images as RGB',
    );
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.warnings).toEqual([warning?.message]);
    const entry = report.entries[0];
    expect(entry.caption).toBe('anata a mannequin waving plain black background');
    const image = path.join(out, entry.output.image);
    const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    let transparent = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] !== 0) continue;
      transparent++;
      expect([data[i], data[i + 1], data[i + 2]]).toEqual([0, 0, 0]);
    }
    expect(transparent).toBeGreaterThan(128 * 64);
    // What a trainer that drops alpha sees at a corner.
    expect(await pixelAt(image, 0, 0)).toEqual([0, 0, 0]);
  }, 120_000);
});
