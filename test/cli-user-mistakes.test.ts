import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// What a new user gets wrong, found by trying the CLI by hand: an output path that is a file or a folder, a
// single stage read as a dataset, explain asked about another cache or an ambiguous entry. Each must be a
// clear message naming the path or flag and exit 2 (no "internal error"), and say what happened.

let dir: string;
let manifestFile: string;
let vrm: string;
let aFile: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-mistakes-'));
  manifestFile = path.join(dir, 'manifest.json');
  vrm = path.join(dir, 'Alice.vrm');
  aFile = path.join(dir, 'a-file');
  await fs.writeFile(aFile, 'not a folder');
  await fs.writeFile(
    manifestFile,
    JSON.stringify({
      width: 64,
      height: 64,
      topFrameOffsetPixels: 4,
      bottomFrameOffsetPixels: 4,
      dataCollection: ['t-pose', 'waving'].map((pose) => ({
        animationPath: `builtin:${pose}`,
        cameraPosition: 'front',
        cameraFrame: 'fullShot',
        description: `a mannequin ${pose.replace('-', ' ')}`,
      })),
    }),
  );
  await fs.writeFile(vrm, await createMannequinVrm({ specVersion: '1.0' }));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('output paths that cannot be written', () => {
  it('schema -o into a file, or onto a folder, names the path (exit 2)', async () => {
    const inFile = await runCli(['schema', '-o', path.join(aFile, 'schema.json')]);
    expect(inFile.exitCode).toBe(2);
    expect(String(inFile.stderr)).toContain(`its folder ${aFile} is a file, not a folder`);
    expect(String(inFile.stderr)).not.toContain('internal error');
    const onFolder = await runCli(['schema', '-o', dir]);
    expect(onFolder.exitCode).toBe(2);
    expect(String(onFolder.stderr)).toContain(`${dir} is a folder: give a file name`);
  });

  it('init into a file names it (exit 2) and leaves it alone', async () => {
    const result = await runCli(['init', aFile]);
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain(`${aFile} is a file, not a folder; give another folder`);
    expect(await fs.readFile(aFile, 'utf8')).toBe('not a folder');
  });

  it('shot refuses a non-PNG name, an unwritable -o and a missing --animation before rendering', async () => {
    const base = ['shot', '--vrm', vrm, '--width', '64', '--height', '64'];
    const jpg = await runCli([...base, '--animation', 'builtin:waving', '-o', path.join(dir, 's.jpg')]);
    expect(jpg.exitCode).toBe(2);
    expect(String(jpg.stderr)).toContain('shot writes a PNG image; give a file name ending in .png');
    await expect(fs.access(path.join(dir, 's.jpg'))).rejects.toThrow();
    const inFile = await runCli([...base, '--animation', 'builtin:waving', '-o', path.join(aFile, 's.png')]);
    expect(inFile.exitCode).toBe(2);
    expect(String(inFile.stderr)).toContain(`its folder ${aFile} is a file, not a folder`);
    expect(String(inFile.stderr)).not.toMatch(/internal error|starting browser/);
    const missing = path.join(dir, 'Nothere.fbx');
    const noClip = await runCli([...base, '--animation', missing, '-o', path.join(dir, 's.png')]);
    expect(noClip.exitCode).toBe(2);
    expect(String(noClip.stderr)).toContain(`--animation ${missing}: file not found`);
    expect(String(noClip.stderr)).not.toContain('shot.json');
  });
});

describe('single stages and explain', () => {
  it('a single stage says what it made ready in the cache, not "image(s) written"', async () => {
    const result = await runCli(['caption', manifestFile, '--out', path.join(dir, 'cap')]);
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain(
      '2 entries ready up to caption (in the cache; no dataset written), 0 failed',
    );
    expect(String(result.stderr)).not.toContain('image(s) written');
  });

  it('explain says which cache it looked in and to pass --cache-dir, and refuses an entry matching several', async () => {
    const out = path.join(dir, 'out');
    const cacheDir = path.join(dir, 'shared-cache');
    const run = await runCli(['run', manifestFile, '--vrm', vrm, '--out', out, '--cache-dir', cacheDir]);
    expect(run.exitCode).toBe(0);
    const elsewhere = await runCli(['explain', manifestFile, '1', '--vrm', vrm, '--out', out]);
    expect(elsewhere.exitCode).toBe(0);
    expect(String(elsewhere.stdout)).toContain(
      `same inputs as the last run, but not in the cache at ${path.join(out, '.vrm-lora-cache')}: if the run had --cache-dir, pass it here too`,
    );
    const right = await runCli([
      'explain',
      manifestFile,
      '1',
      '--vrm',
      vrm,
      '--out',
      out,
      '--cache-dir',
      cacheDir,
    ]);
    expect(String(right.stdout)).toMatch(/render\s+cached/);
    const ambiguous = await runCli(['explain', manifestFile, 'mannequin', '--vrm', vrm, '--out', out]);
    expect(ambiguous.exitCode).toBe(2);
    expect(String(ambiguous.stderr)).toContain(
      'entry "mannequin" matches 2 entries: 1 (a mannequin t pose), 2 (a mannequin waving); give one entry number or id',
    );
  });
});
