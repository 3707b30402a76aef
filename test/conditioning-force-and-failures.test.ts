// Conditioning images are counted in the run's summary, `--force` (and `--force conditioning`) draws them again,
// and an entry whose conditioning image failed elsewhere (a farm's worker) fails here with that worker's message.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { demoManifest, type PipelineEvent, runPipeline } from '@vrm-lora/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

let dir: string;
let manifestFile: string;
let avatar: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-conditioning-force-'));
  manifestFile = path.join(dir, 'manifest.json');
  const manifest = demoManifest();
  Object.assign(manifest, { width: 128, height: 128, topFrameOffsetPixels: 8, bottomFrameOffsetPixels: 8 });
  manifest.dataCollection = (manifest.dataCollection as unknown[]).slice(0, 2);
  await fs.writeFile(manifestFile, JSON.stringify(manifest));
  avatar = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(avatar, await createMannequinVrm({ specVersion: '1.0' }));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The summary's counts line of a run (stderr). */
function countsLine(stderr: unknown): string {
  return String(stderr)
    .split('\n')
    .find((l) => l.startsWith('  bake '))!;
}

describe('conditioning images: counted, forced, failures from elsewhere', () => {
  it('counts them in the summary and draws them again under --force and --force conditioning', async () => {
    const out = path.join(dir, 'out');
    const args = ['run', manifestFile, '--vrm', avatar, '--out', out, '--conditioning', 'openpose,depth'];
    const first = await runCli(args);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    expect(countsLine(first.stderr)).toContain('· conditioning 4 done / 0 cached');
    const depth = path.join(out, 'conditioning', 'depth');
    const files = (await fs.readdir(depth)).sort();
    expect(files).toHaveLength(2);
    const before = await Promise.all(files.map((f) => fs.readFile(path.join(depth, f))));

    const again = await runCli(args);
    expect(countsLine(again.stderr)).toContain('render 0 done / 2 cached');
    expect(countsLine(again.stderr)).toContain('· conditioning 0 done / 4 cached');

    // Only the conditioning images are drawn again, from the cached renders; same bytes.
    const forced = await runCli([...args, '--force', 'conditioning']);
    expect(forced.exitCode, String(forced.stderr)).toBe(0);
    expect(countsLine(forced.stderr)).toContain('render 0 done / 2 cached');
    expect(countsLine(forced.stderr)).toContain('· conditioning 4 done / 0 cached');
    const all = await runCli([...args, '--force']);
    expect(countsLine(all.stderr)).toContain('render 2 done / 0 cached');
    expect(countsLine(all.stderr)).toContain('· conditioning 4 done / 0 cached');
    const after = await Promise.all(files.map((f) => fs.readFile(path.join(depth, f))));
    expect(after.map((b, i) => Buffer.compare(b, before[i]!))).toEqual([0, 0]);

    const bad = await runCli([...args, '--force', 'conditionin']);
    expect(bad.exitCode).not.toBe(0);
    expect(String(bad.stderr)).toContain(
      '--force conditionin: expected one of bake, render, post, caption, conditioning',
    );
  });

  it('fails an entry with the message its conditioning failed with elsewhere, and makes the others', async () => {
    const events: PipelineEvent[] = [];
    const result = await runPipeline({
      manifestFile,
      vrmPaths: [avatar],
      outDir: path.join(dir, 'out-elsewhere'),
      conditioning: ['depth'],
      failedElsewhere: new Map([[1, 'conditioning depth: the worker w1 could not read its map']]),
      onEvent: (e) => events.push(e),
    });
    const [first, second] = result.items;
    expect(first?.error).toBe('conditioning depth: the worker w1 could not read its map');
    expect(second?.error).toBeUndefined();
    expect(result.summary.conditioning).toEqual({ done: 1, cached: 0, failed: 1 });
    const made = await fs.readdir(path.join(dir, 'out-elsewhere', 'conditioning', 'depth'));
    expect(made).toHaveLength(1);
  });
});
