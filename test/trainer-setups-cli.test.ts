import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, runCli } from './support/run-cli.js';

// The trainer setups as a user gets them from `vrm-lora run`: chosen with --trainers, caption variants in the
// caption files, a size warning naming the entry, and a dataset that still trains after it was moved.

let dir: string;
let manifestFile: string;
let vrm: string;

const manifest = {
  width: 96,
  height: 128,
  topFrameOffsetPixels: 6,
  bottomFrameOffsetPixels: 6,
  backgroundGrayscale: 0,
  backgroundDescription: 'plain black background',
  caption: { variants: [{ style: 'tags', template: '{trigger}, {class}, {view}, {frame}' }] },
  dataCollection: ['t-pose', 'waving'].map((pose, i) => ({
    animationPath: `builtin:${pose}`,
    animationFrame: 0,
    cameraPosition: ['front', 'left'][i],
    cameraFrame: 'fullShot',
    description: `a mannequin ${pose.replace('-', ' ')}`,
  })),
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-trainers-cli-'));
  manifestFile = path.join(dir, 'manifest.json');
  vrm = path.join(dir, 'me.vrm');
  await fs.writeFile(manifestFile, JSON.stringify(manifest));
  await fs.writeFile(vrm, await createMannequinVrm({ specVersion: '1.0' }));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('vrm-lora run --trainers', () => {
  it('writes the chosen setups with caption variants; a moved copy resolves every path from its folder', async () => {
    const out = path.join(dir, 'out');
    const result = await runCli([
      'run',
      manifestFile,
      '--vrm',
      vrm,
      '--out',
      out,
      '--trainers',
      'sd-scripts,onetrainer,diffusers',
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    const events = jsonEvents(String(result.stdout));
    expect(events.find((e) => e.type === 'dataset')?.trainers).toEqual([
      'sd-scripts',
      'onetrainer',
      'diffusers',
    ]);
    const warnings = events.filter((e) => e.type === 'warning').map((e) => e.message);
    expect(warnings).toContain(
      "dataCollection[0] (entry 1): 96×128 is not a multiple of 64 px; trainers' buckets crop it to 64×128. Use sizes that are multiples of 64 (512, 768, 832, 1024, 1216, …).",
    );
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.trainers).toEqual({
      written: ['sd-scripts', 'onetrainer', 'diffusers'],
      skipped: [],
      reg: null,
    });
    expect(report.entries[1].warnings[0]).toMatch(
      /^dataCollection\[1\] \(entry 2\): 96×128 is not a multiple/,
    );
    await expect(fs.access(path.join(out, 'ai-toolkit.yaml'))).rejects.toThrow();

    const moved = path.join(dir, 'elsewhere', 'dataset');
    await fs.cp(out, moved, { recursive: true });
    await fs.rm(out, { recursive: true });
    const toml = parseToml(await fs.readFile(path.join(moved, 'dataset.toml'), 'utf8')) as {
      general: Record<string, unknown>;
      datasets: { subsets: Record<string, unknown>[] }[];
    };
    expect(toml.general).toMatchObject({ caption_extension: '.txt', enable_wildcard: true });
    const subset = toml.datasets[0]!.subsets[0]!;
    expect(subset).toMatchObject({ image_dir: 'img/10_anata person', num_repeats: 10 });
    const imageDir = path.resolve(moved, subset.image_dir as string);
    const images = (await fs.readdir(imageDir)).filter((f) => f.endsWith('.png')).sort();
    expect(images).toEqual(['0001-a-mannequin-t-pose.png', '0002-a-mannequin-waving.png']);
    const caption = await fs.readFile(path.join(imageDir, '0002-a-mannequin-waving.txt'), 'utf8');
    expect(caption).toBe(
      'anata a mannequin waving plain black background\nanata, person, left side, full shot',
    );
    const concepts = JSON.parse(await fs.readFile(path.join(moved, 'onetrainer-concepts.json'), 'utf8'));
    expect(concepts[0]).toMatchObject({ path: 'img/10_anata person', balancing: 10 });
    const rows = (await fs.readFile(path.join(imageDir, 'metadata.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(rows[1]!)).toEqual({ file_name: images[1], text: caption.split('\n') });
    expect(await fs.readFile(path.join(moved, 'TRAINING.md'), 'utf8')).toContain('enable_wildcard');
  });

  it('regularisation images added to reg/ reach every setup on the next run, which renders nothing', async () => {
    const out = path.join(dir, 'with-reg');
    const args = [
      'run',
      manifestFile,
      '--vrm',
      vrm,
      '--out',
      out,
      '--trainers',
      'sd-scripts,onetrainer',
      '--json',
    ];
    expect((await runCli(args)).exitCode).toBe(0);
    expect(await fs.readFile(path.join(out, 'dataset.toml'), 'utf8')).not.toContain('is_reg');
    await fs.mkdir(path.join(out, 'reg'));
    await fs.copyFile(
      path.join(out, 'img', '10_anata person', '0001-a-mannequin-t-pose.png'),
      path.join(out, 'reg', 'p.png'),
    );
    const again = await runCli(args);
    expect(again.exitCode).toBe(0);
    const events = jsonEvents(String(again.stdout));
    expect(events.filter((e) => e.type === 'item' && e.stage === 'render' && e.status === 'done')).toEqual(
      [],
    );
    const toml = parseToml(await fs.readFile(path.join(out, 'dataset.toml'), 'utf8')) as {
      datasets: { subsets: Record<string, unknown>[] }[];
    };
    expect(toml.datasets[0]!.subsets[1]).toEqual({
      image_dir: 'reg',
      is_reg: true,
      caption_extension: '.txt',
      num_repeats: 1,
      class_tokens: 'person',
    });
    const concepts = JSON.parse(await fs.readFile(path.join(out, 'onetrainer-concepts.json'), 'utf8'));
    expect(concepts[1]).toMatchObject({ path: 'reg', text: { prompt_path: 'onetrainer-reg-prompt.txt' } });
    expect(JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8')).trainers.reg).toBe('reg');
    expect(await fs.readFile(path.join(out, 'reg', 'p.png'))).toBeTruthy();
  });

  it('refuses a trainer that cannot read the dataset before rendering anything', async () => {
    const out = path.join(dir, 'refused');
    const result = await runCli([
      'run',
      manifestFile,
      '--vrm',
      vrm,
      '--out',
      out,
      '--trainers',
      'ai-toolkit',
    ]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain(
      'Cannot write the ai-toolkit setup for this dataset: it reads a caption file whole, so caption variants (one per line) would be trained as one caption; drop caption.variants to get its config.',
    );
    await expect(fs.access(path.join(out, 'img'))).rejects.toThrow();
    const unknown = await runCli(['run', manifestFile, '--vrm', vrm, '--out', out, '--trainers', 'kohya']);
    expect(unknown.exitCode).not.toBe(0);
    expect(String(unknown.stderr)).toContain('unknown trainer kohya; expected sd-scripts, ai-toolkit');
  });
});
