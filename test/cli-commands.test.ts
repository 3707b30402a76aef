import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { poseFileSchema } from '@vrm-lora/manifest';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { execa } from 'execa';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliMain, jsonEvents, runCli, stageCounts } from './support/run-cli.js';

// The CLI as a user runs it: the demo, several avatars, --only, --force, a shared --cache-dir, single
// stages, one-off shots, Ctrl-C and resuming.

let dir: string;
let manifestFile: string;
let vrmA: string;
let vrmB: string;

const manifest = {
  width: 128,
  height: 128,
  topFrameOffsetPixels: 6,
  bottomFrameOffsetPixels: 6,
  backgroundGrayscale: 0,
  backgroundDescription: 'plain black background',
  dataCollection: ['t-pose', 'a-pose', 'waving', 'cheering', 'kneeling'].map((pose, i) => ({
    animationPath: `builtin:${pose}`,
    animationFrame: 0,
    lookAtCamera: false,
    cameraPosition: ['front', 'left', 'front-right', 'back', 'front-top'][i],
    cameraFrame: 'fullShot',
    description: `a mannequin ${pose.replace('-', ' ')}`,
  })),
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-cli-'));
  manifestFile = path.join(dir, 'manifest.json');
  vrmA = path.join(dir, 'Alice.vrm');
  vrmB = path.join(dir, 'Bob_Zero.vrm');
  await fs.writeFile(manifestFile, JSON.stringify(manifest));
  await fs.writeFile(vrmA, await createMannequinVrm({ specVersion: '1.0' }));
  await fs.writeFile(vrmB, await createMannequinVrm({ specVersion: '0.x' }));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('vrm-lora demo', () => {
  it('writes a kohya dataset from the built-in mannequin and poses, with a contact sheet', async () => {
    const out = path.join(dir, 'demo');
    const result = await runCli(['demo', '--out', out]);
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toMatch(/12 image\(s\) written, 0 failed/);
    expect(String(result.stderr)).toContain(
      `train: ${path.join(out, 'TRAINING.md')} (sd-scripts, ai-toolkit, onetrainer, simpletuner, diffusers; cd into the dataset first)`,
    );
    const imgDir = path.join(out, 'img', '10_anata person');
    const files = (await fs.readdir(imgDir)).sort();
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(12);
    expect(files.filter((f) => f.endsWith('.txt'))).toHaveLength(12);
    expect(files[0]).toBe('0001-a-mannequin-standing-relaxed.png');
    expect(await fs.readFile(path.join(imgDir, '0001-a-mannequin-standing-relaxed.txt'), 'utf8')).toBe(
      'anata a mannequin standing relaxed plain grey background',
    );
    const meta = await sharp(path.join(imgDir, files[0]!)).metadata();
    expect([meta.width, meta.height]).toEqual([512, 512]);
    const sheet = await sharp(path.join(out, 'contact-sheet.png')).metadata();
    expect(sheet.width).toBeGreaterThan(512);
    expect(await fs.readFile(path.join(out, 'dataset.toml'), 'utf8')).toContain(
      'image_dir = "img/10_anata person"',
    );
    // Every trainer's setup by default, each naming the image folder relative to the dataset folder.
    for (const [file, text] of [
      ['ai-toolkit.yaml', 'folder_path: img/10_anata person'],
      ['onetrainer-concepts.json', '"path": "img/10_anata person"'],
      ['simpletuner-multidatabackend.json', '"instance_data_dir": "img/10_anata person"'],
      ['img/10_anata person/metadata.jsonl', '"file_name":"0001-a-mannequin-standing-relaxed.png"'],
      ['sample-prompts.txt', 'anata person, full shot, front view, plain background --w 512 --h 512'],
      ['TRAINING.md', '--dataset_config dataset.toml'],
    ]) {
      expect(await fs.readFile(path.join(out, file!), 'utf8')).toContain(text);
    }
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.entries.flatMap((e: { warnings: string[] }) => e.warnings)).toEqual([]);
    expect(report.trainers.written).toEqual([
      'sd-scripts',
      'ai-toolkit',
      'onetrainer',
      'simpletuner',
      'diffusers',
    ]);
  });
});

describe('vrm-lora run with several avatars, --only, --force and a shared cache', () => {
  it('writes one dataset per avatar with its own trigger, baking each pose once', async () => {
    const out = path.join(dir, 'two');
    const result = await runCli(['run', manifestFile, '--vrm', vrmA, '--vrm', vrmB, '--out', out, '--json']);
    expect(result.exitCode).toBe(0);
    const counts = stageCounts(jsonEvents(String(result.stdout)));
    expect(counts.bake).toEqual({ done: 5, cached: 0, failed: 0 });
    expect(counts.render).toEqual({ done: 10, cached: 0, failed: 0 });
    expect((await fs.readdir(path.join(out, 'alice', 'img'))).sort()).toEqual(['10_alice person']);
    expect((await fs.readdir(path.join(out, 'bob-zero', 'img'))).sort()).toEqual(['10_bob_zero person']);
    const caption = await fs.readFile(
      path.join(out, 'bob-zero', 'img', '10_bob_zero person', '0003-a-mannequin-waving.txt'),
      'utf8',
    );
    expect(caption).toBe('bob_zero a mannequin waving plain black background');
  });

  it('--only limits entries; --force render re-renders them; a shared --cache-dir serves another output', async () => {
    const cacheDir = path.join(dir, 'shared-cache');
    const first = await runCli([
      'run',
      manifestFile,
      '--vrm',
      vrmA,
      '--out',
      path.join(dir, 'o1'),
      '--cache-dir',
      cacheDir,
      '--only',
      '2,4-5',
      '--json',
    ]);
    expect(first.exitCode).toBe(0);
    const firstEvents = jsonEvents(String(first.stdout)).filter(
      (e) => e.type === 'item' && e.stage === 'render',
    );
    expect(firstEvents.map((e) => e.number as number).sort((a, b) => a - b)).toEqual([2, 4, 5]); // two shots in flight: any order

    const forced = await runCli([
      'run',
      manifestFile,
      '--vrm',
      vrmA,
      '--out',
      path.join(dir, 'o1'),
      '--cache-dir',
      cacheDir,
      '--only',
      'waving',
      '--force',
      'render',
      '--json',
    ]);
    const forcedCounts = stageCounts(jsonEvents(String(forced.stdout)));
    expect(forcedCounts.render).toEqual({ done: 1, cached: 0, failed: 0 });
    expect(forcedCounts.bake).toEqual({ done: 1, cached: 0, failed: 0 });

    const other = await runCli([
      'run',
      manifestFile,
      '--vrm',
      vrmA,
      '--out',
      path.join(dir, 'o2'),
      '--cache-dir',
      cacheDir,
      '--json',
    ]);
    const otherCounts = stageCounts(jsonEvents(String(other.stdout)));
    expect(otherCounts.render).toEqual({ done: 1, cached: 4, failed: 0 });
    await expect(fs.access(path.join(dir, 'o2', '.vrm-lora-cache'))).rejects.toThrow();
  });

  it('rejects a bad --only with exit 2', async () => {
    const result = await runCli([
      'run',
      manifestFile,
      '--vrm',
      vrmA,
      '--out',
      path.join(dir, 'bad'),
      '--only',
      '9-7',
    ]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('--only: range "9-7" runs backwards; write 7-9');
  });
});

describe('missing animation files', () => {
  // Entry 2 names a clip the --animations folder lacks, as CharacterStudio manifests do where only some of
  // their clips were downloaded.
  let partial: string;
  let clips: string;
  beforeAll(async () => {
    partial = path.join(dir, 'partial.json');
    clips = path.join(dir, 'some-clips');
    await fs.mkdir(clips, { recursive: true });
    const dataCollection = manifest.dataCollection.map((e, i) =>
      i === 1 ? { ...e, animationPath: 'Gone.fbx', description: 'a mannequin gone' } : e,
    );
    await fs.writeFile(partial, JSON.stringify({ ...manifest, dataCollection }));
  });

  it('refuse the run (exit 2, nothing written) and the last line says how to go on', async () => {
    const out = path.join(dir, 'partial-refused');
    const result = await runCli(['run', partial, '--vrm', vrmA, '--animations', clips, '--out', out]);
    expect(result.exitCode).toBe(2);
    const lines = String(result.stderr).trim().split('\n');
    expect(lines).toEqual([
      `${partial}: dataCollection[1].animationPath: animation file not found: ${path.join(clips, 'Gone.fbx')} (looked in the --animations folder)`,
      `1 animation file not found, used by 1 of 5 entries: add it to ${clips}, point --animations at the folder that has it, or run the other 4 with --skip-missing-animations`,
    ]);
    await expect(fs.access(out)).rejects.toThrow();
  });

  it('--skip-missing-animations runs the others with their own numbers and says what it skipped', async () => {
    const out = path.join(dir, 'partial-skipped');
    const flags = ['--animations', clips, '--skip-missing-animations'];
    const validate = await runCli(['validate', partial, ...flags]);
    expect(validate.exitCode).toBe(0);
    expect(String(validate.stdout)).toContain('  entries:     4\n');
    expect(String(validate.stdout)).toContain(
      '  1 animation file not found: 1 of 5 entries skipped, 4 run (--skip-missing-animations)',
    );

    const result = await runCli(['run', partial, '--vrm', vrmA, ...flags, '--out', out, '--json']);
    expect(result.exitCode).toBe(0);
    expect(stageCounts(jsonEvents(String(result.stdout))).render).toEqual({ done: 4, cached: 0, failed: 0 });
    const images = (await fs.readdir(path.join(out, 'img', '10_anata person'))).filter((f) =>
      f.endsWith('.png'),
    );
    expect(images.sort()).toEqual([
      '0001-a-mannequin-t-pose.png',
      '0003-a-mannequin-waving.png',
      '0004-a-mannequin-cheering.png',
      '0005-a-mannequin-kneeling.png',
    ]);
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ entries: 4, written: 4, failed: 0 });
    expect(report.warnings).toEqual([
      `partial.json: dataCollection[1].animationPath: animation file not found: ${path.join(clips, 'Gone.fbx')} (looked in the --animations folder); skipped (--skip-missing-animations)`,
      'partial.json: 1 animation file not found: 1 of 5 entries skipped, 4 run (--skip-missing-animations)',
    ]);

    const explain = await runCli(['explain', partial, '3', '--vrm', vrmA, ...flags, '--out', out]);
    expect(explain.exitCode).toBe(0);
    expect(String(explain.stdout)).toMatch(
      /^entry 3 \(a mannequin waving\) on Alice\.vrm\n {2}bake {5}cached/,
    );
    const unexplained = await runCli([
      'explain',
      partial,
      '3',
      '--vrm',
      vrmA,
      '--animations',
      clips,
      '--out',
      out,
    ]);
    expect(unexplained.exitCode).toBe(2);
    expect(String(unexplained.stderr)).toContain('or run the other 4 with --skip-missing-animations');
  });
});

describe('single stages', () => {
  it('bake prints a table of entries with clip lengths; a second bake is all cached', async () => {
    const out = path.join(dir, 'bake');
    const first = await runCli(['bake', manifestFile, '--out', out]);
    expect(first.exitCode).toBe(0);
    expect(String(first.stdout)).toMatch(/^entry\s+animation\s+time\s+clip length\s+status$/m);
    expect(String(first.stdout)).toMatch(/^3\s+builtin:waving.*baked$/m);
    const second = await runCli(['bake', manifestFile, '--out', out]);
    expect(String(second.stdout).match(/cached$/gm)).toHaveLength(5);
  });

  it('bake --animation prints one pose as JSON', async () => {
    const result = await runCli(['bake', '--animation', 'builtin:waving', '--frame', '0', '--json']);
    expect(result.exitCode).toBe(0);
    const pose = poseFileSchema.parse(JSON.parse(String(result.stdout)));
    expect(pose.source.name).toBe('builtin:waving');
    expect(pose.bones.rightUpperArm ?? pose.bones.leftUpperArm).toBeDefined();
  });

  it('caption needs no avatar and starts no browser', async () => {
    const result = await runCli(['caption', manifestFile, '--out', path.join(dir, 'cap'), '--json']);
    expect(result.exitCode).toBe(0);
    const events = jsonEvents(String(result.stdout));
    expect(stageCounts(events)).toEqual({ caption: { done: 5, cached: 0, failed: 0 } });
    expect(events.some((e) => e.type === 'browser-start')).toBe(false);
  });

  it('render without an avatar says how to give one', async () => {
    const result = await runCli(['render', manifestFile, '--out', path.join(dir, 'r')]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain(
      'no avatar: pass --vrm <file.vrm> or set "avatar" in the manifest (none yet? `vrm-lora demo` runs the whole flow on the built-in mannequin)',
    );
  });

  it('shot renders one framed image', async () => {
    const file = path.join(dir, 'shot.png');
    const result = await runCli([
      'shot',
      '--vrm',
      vrmA,
      '--animation',
      'builtin:cheering',
      '--camera',
      'front',
      '--frame-type',
      'fullShot',
      '--width',
      '96',
      '--height',
      '160',
      '--top',
      '10',
      '--bottom',
      '20',
      '-o',
      file,
      '--cache-dir',
      path.join(dir, 'shot-cache'),
    ]);
    expect(result.exitCode).toBe(0);
    const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([96, 160]);
    const rows: number[] = [];
    for (let y = 0; y < info.height; y++) {
      for (let x = 0; x < info.width; x++)
        if (data[(y * info.width + x) * 4 + 3]! > 0) {
          rows.push(y);
          break;
        }
    }
    expect(Math.abs(rows[0]! - 10)).toBeLessThanOrEqual(2);
    expect(Math.abs(info.height - 1 - rows[rows.length - 1]! - 20)).toBeLessThanOrEqual(2);
  });
});

describe('Ctrl-C', () => {
  it('stops within a second, leaves no partial file, and the next run resumes from the cache', async () => {
    const out = path.join(dir, 'interrupted');
    const child = execa(
      process.execPath,
      [cliMain, 'run', manifestFile, '--vrm', vrmA, '--out', out, '--json'],
      {
        reject: false,
        env: { CI: '1' },
      },
    );
    let rendered = 0;
    let sentAt = 0;
    child.stdout!.on('data', (chunk: Buffer) => {
      for (const line of String(chunk).split('\n')) {
        if (
          line.includes('"stage":"render"') &&
          line.includes('"type":"item"') &&
          ++rendered === 2 &&
          !sentAt
        ) {
          sentAt = Date.now();
          child.kill('SIGINT');
        }
      }
    });
    const result = await child;
    expect(sentAt).toBeGreaterThan(0);
    expect(Date.now() - sentAt).toBeLessThan(3000); // ≤ 1 s of work; the rest is process exit on a loaded machine
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('interrupted');
    const leftovers = (await walk(out)).filter(
      (f) => f.endsWith('.tmp') || f.includes(`${path.sep}.tmp${path.sep}`),
    );
    expect(leftovers).toEqual([]);
    const resumed = await runCli(['run', manifestFile, '--vrm', vrmA, '--out', out, '--json']);
    expect(resumed.exitCode).toBe(0);
    const counts = stageCounts(jsonEvents(String(resumed.stdout)));
    expect(counts.render!.cached).toBeGreaterThanOrEqual(2);
    expect(counts.render!.done + counts.render!.cached).toBe(5);
  });
});

async function walk(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(root, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(root, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}
