// Conditioning images end to end through the built CLI on the mannequin: every kind aligned with its image,
// the trainer layouts complete and valid, each kind cached on its own, and a kind turned off removed.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import sharp from 'sharp';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, runCli, stageCounts } from './support/run-cli.js';

let dir: string;
let manifestFile: string;
let vrmFile: string;
const out = () => path.join(dir, 'out');

const manifest = {
  width: 256,
  height: 256,
  topFrameOffsetPixels: 12,
  bottomFrameOffsetPixels: 12,
  background: 'transparent',
  conditioning: ['openpose', 'depth'],
  dataCollection: [
    { animationPath: 'builtin:waving', cameraPosition: 'front', description: 'a mannequin waving' },
    {
      animationPath: 'builtin:arms-crossed',
      cameraPosition: 'left-front',
      cameraFrame: 'mediumShot',
      description: 'a mannequin with arms crossed',
    },
    {
      animationPath: 'builtin:kneeling',
      cameraPosition: 'right',
      description: 'a mannequin kneeling',
      conditioning: ['openpose_full', 'depth', 'normal'],
    },
  ],
};

async function run(extra: string[] = []) {
  const result = await runCli(['run', manifestFile, '--vrm', vrmFile, '--out', out(), '--json', ...extra]);
  expect(result.exitCode, String(result.stderr)).toBe(0);
  return stageCounts(jsonEvents(String(result.stdout)));
}

async function raw(file: string) {
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function listFiles(sub: string): Promise<string[]> {
  return (await fs.readdir(path.join(out(), sub)).catch(() => [] as string[])).sort();
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-conditioning-'));
  vrmFile = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(vrmFile, await createMannequinVrm({ specVersion: '1.0' }));
  manifestFile = path.join(dir, 'manifest.json');
  await fs.writeFile(manifestFile, JSON.stringify(manifest, null, 2));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('conditioning images', () => {
  it('writes every kind each entry asks for, each map with the silhouette of its image (±1 px)', async () => {
    await run();
    const images = (await listFiles('img/10_anata person')).filter((f) => f.endsWith('.png'));
    expect(images).toHaveLength(3);
    expect(await listFiles('conditioning/openpose')).toEqual(images.slice(0, 2));
    expect(await listFiles('conditioning/openpose_full')).toEqual([images[2]]);
    expect(await listFiles('conditioning/depth')).toEqual(images);
    expect(await listFiles('conditioning/normal')).toEqual([images[2]]);
    for (const kind of ['depth', 'normal']) {
      for (const name of await listFiles(`conditioning/${kind}`)) {
        const image = await raw(path.join(out(), 'img/10_anata person', name));
        const map = await raw(path.join(out(), 'conditioning', kind, name));
        expect([map.width, map.height]).toEqual([image.width, image.height]);
        const inside = (d: Buffer, p: number, alpha: boolean) =>
          alpha ? d[p * 4 + 3]! > 0 : d[p * 4]! + d[p * 4 + 1]! + d[p * 4 + 2]! > 0;
        let subject = 0;
        let off = 0;
        for (let y = 0; y < image.height; y++) {
          for (let x = 0; x < image.width; x++) {
            const p = y * image.width + x;
            const a = inside(image.data, p, true);
            if (a) subject++;
            if (a === inside(map.data, p, false)) continue;
            // A mismatch counts only when no pixel within 1 px has the map's value.
            let near = false;
            for (let dy = -1; dy <= 1 && !near; dy++)
              for (let dx = -1; dx <= 1 && !near; dx++) {
                const q = (y + dy) * image.width + (x + dx);
                if (q >= 0 && q < image.width * image.height && inside(image.data, q, true) !== a)
                  near = true;
              }
            if (!near) off++;
          }
        }
        expect(subject, `${kind} ${name}`).toBeGreaterThan(1000);
        expect(off, `${kind} ${name}: pixels off the silhouette by more than 1 px`).toBe(0);
      }
    }
  });

  it('draws the limbs in the OpenPose palette: every non-black pixel is a limb (×0.6) or joint colour', async () => {
    const colours = [
      [255, 0, 0],
      [255, 85, 0],
      [255, 170, 0],
      [255, 255, 0],
      [170, 255, 0],
      [85, 255, 0],
      [0, 255, 0],
      [0, 255, 85],
      [0, 255, 170],
      [0, 255, 255],
      [0, 170, 255],
      [0, 85, 255],
      [0, 0, 255],
      [85, 0, 255],
      [170, 0, 255],
      [255, 0, 255],
      [255, 0, 170],
      [255, 0, 85],
    ];
    const allowed = new Set(
      colours.flatMap((c) => [c.join(','), c.map((v) => Math.floor(v * 0.6)).join(',')]),
    );
    for (const name of await listFiles('conditioning/openpose')) {
      const { data } = await raw(path.join(out(), 'conditioning/openpose', name));
      const seen = new Set<string>();
      for (let i = 0; i < data.length; i += 4) {
        const c = `${data[i]},${data[i + 1]},${data[i + 2]}`;
        if (c === '0,0,0') continue;
        expect(allowed.has(c), `${name}: colour ${c}`).toBe(true);
        seen.add(c);
      }
      expect(seen.size, name).toBeGreaterThan(8);
    }
  });

  it("writes sd-scripts' ControlNet config with every image paired, and COCO keypoints", async () => {
    // openpose and normal are not on every entry: no config for them (a trainer needs every image paired).
    expect((await fs.readdir(out())).filter((f) => f.startsWith('controlnet-')).sort()).toEqual([
      'controlnet-depth.toml',
    ]);
    const toml = parseToml(await fs.readFile(path.join(out(), 'controlnet-depth.toml'), 'utf8')) as {
      general: Record<string, unknown>;
      datasets: { subsets: Record<string, unknown>[] }[];
    };
    const subset = toml.datasets[0]!.subsets[0]!;
    // sd-scripts config_util.py: ControlNet subsets allow these keys (class_tokens is not one of them).
    const allowed = ['image_dir', 'conditioning_data_dir', 'caption_extension', 'num_repeats', 'keep_tokens'];
    expect(Object.keys(subset).filter((k) => !allowed.includes(k))).toEqual([]);
    const stems = (files: string[], ext: RegExp) =>
      files.filter((f) => ext.test(f)).map((f) => f.replace(/\.[^.]+$/, ''));
    const imageDir = path.join(out(), subset.image_dir as string);
    const conditioningDir = path.join(out(), subset.conditioning_data_dir as string);
    const imageStems = stems(await fs.readdir(imageDir), /\.(png|webp|jpg)$/);
    expect(imageStems).toHaveLength(3);
    expect(stems(await fs.readdir(conditioningDir), /\.png$/)).toEqual(imageStems);
    for (const stem of imageStems) await fs.access(path.join(imageDir, `${stem}${subset.caption_extension}`));

    const coco = JSON.parse(await fs.readFile(path.join(out(), 'keypoints.json'), 'utf8'));
    expect(coco.categories[0].keypoints).toHaveLength(17);
    expect(coco.images).toHaveLength(3);
    for (const [i, image] of coco.images.entries()) {
      await fs.access(path.join(out(), image.file_name));
      const annotation = coco.annotations[i];
      expect(annotation.image_id).toBe(image.id);
      expect(annotation.keypoints).toHaveLength(51);
      for (let k = 0; k < 51; k += 3) {
        const [x, y, v] = annotation.keypoints.slice(k, k + 3);
        if (v === 0) continue;
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(image.width);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(image.height);
      }
    }
    expect(coco.annotations[2].lefthand_kpts).toHaveLength(63);
  });

  it('each kind is its own cached product: adding normal renders nothing else; removing depth removes its files', async () => {
    const edited = { ...manifest, conditioning: ['openpose', 'normal'] };
    await fs.writeFile(manifestFile, JSON.stringify(edited, null, 2));
    const counts = await run(['--contact-sheet', 'with-conditioning']);
    expect(counts.render).toEqual({ done: 0, cached: 3, failed: 0 });
    expect(counts.post).toEqual({ done: 0, cached: 3, failed: 0 });
    // Entry 3 keeps its own list (depth included); entries 1 and 2 lost depth.
    expect(await listFiles('conditioning/depth')).toHaveLength(1);
    expect(await listFiles('conditioning/normal')).toHaveLength(3);
    expect((await fs.readdir(out())).filter((f) => f.startsWith('controlnet-')).sort()).toEqual([
      'controlnet-normal.toml',
    ]);
    const sheet = await sharp(path.join(out(), 'contact-sheet.png')).metadata();
    expect(sheet.width).toBeGreaterThan(sheet.height! / 3); // rows of image + conditioning panels
    // --conditioning none turns every run-level kind off; the entry's own list stays.
    await run(['--conditioning', 'none']);
    expect(await listFiles('conditioning/openpose')).toEqual([]);
    expect(await listFiles('conditioning/normal')).toHaveLength(1);
  });

  it('the jsonl layout writes diffusers ControlNet metadata whose files all exist', async () => {
    await fs.writeFile(manifestFile, JSON.stringify({ ...manifest, layout: 'jsonl' }, null, 2));
    await run();
    const lines = (await fs.readFile(path.join(out(), 'controlnet/depth/metadata.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['conditioning_image', 'image', 'text']);
      await fs.access(path.join(out(), line.image));
      await fs.access(path.join(out(), line.conditioning_image));
      expect(path.basename(line.image)).toBe(path.basename(line.conditioning_image));
    }
  });
});
