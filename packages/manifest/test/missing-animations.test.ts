import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../src/index.js';

// Missing animation files: errors with a hint on what to do, or with skipMissingAnimations the entries that
// use them left out of the plan (a warning per file) and the others kept with their own numbers.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-missing-clips-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const clips = path.join(dir, 'clips');
fs.mkdirSync(clips);
fs.writeFileSync(path.join(clips, 'Here.fbx'), 'not parsed by loadManifest');
fs.mkdirSync(path.join(clips, 'Folder.fbx'));

function write(name: string, animationPaths: string[]): string {
  const file = path.join(dir, name);
  const dataCollection = animationPaths.map((animationPath, i) => ({
    animationPath,
    animationFrame: 0,
    cameraPosition: 'front',
    cameraFrame: 'fullShot',
    description: `shot ${i + 1}`,
  }));
  fs.writeFileSync(file, JSON.stringify({ dataCollection }));
  return file;
}

const mixed = write('mixed.json', ['Here.fbx', 'Gone.fbx', 'builtin:waving', 'Gone.fbx', 'Folder.fbx']);

describe('missing animation files', () => {
  it('are errors, one per file at its first entry, and the hint counts the entries they stop', async () => {
    const { plan, findings, hint } = await loadManifest(mixed, { animationsDir: clips });
    expect(plan).toBeNull();
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([
      [
        'error',
        'dataCollection[1].animationPath',
        `animation file not found: ${path.join(clips, 'Gone.fbx')} (looked in the --animations folder); also used by dataCollection[3]`,
      ],
      [
        'error',
        'dataCollection[4].animationPath',
        `animation file is a folder: ${path.join(clips, 'Folder.fbx')} (looked in the --animations folder)`,
      ],
    ]);
    expect(hint).toBe(
      `2 animation files not found, used by 3 of 5 entries: add them to ${clips}, point --animations at the folder that has them, or run the other 2 with --skip-missing-animations`,
    );
  });

  it('with skipMissingAnimations: warnings, and the plan keeps the other entries with their numbers', async () => {
    const { plan, findings, hint } = await loadManifest(mixed, {
      animationsDir: clips,
      skipMissingAnimations: true,
    });
    expect(plan?.shots.map((s) => [s.number, s.jsonPath])).toEqual([
      [1, 'dataCollection[0]'],
      [3, 'dataCollection[2]'],
    ]);
    expect(findings.map((f) => [f.severity, f.path, f.message])).toEqual([
      [
        'warning',
        'dataCollection[1].animationPath',
        `animation file not found: ${path.join(clips, 'Gone.fbx')} (looked in the --animations folder); skipped (--skip-missing-animations), and with it dataCollection[3]`,
      ],
      [
        'warning',
        'dataCollection[4].animationPath',
        `animation file is a folder: ${path.join(clips, 'Folder.fbx')} (looked in the --animations folder); skipped (--skip-missing-animations)`,
      ],
    ]);
    expect(hint).toBe(
      '2 animation files not found: 3 of 5 entries skipped, 2 run (--skip-missing-animations)',
    );
  });

  it('with skipMissingAnimations and no entry left: an error, nothing to run', async () => {
    const none = write('none.json', ['Gone.fbx', 'AlsoGone.fbx']);
    const { plan, findings } = await loadManifest(none, {
      animationsDir: clips,
      skipMissingAnimations: true,
    });
    expect(plan).toBeNull();
    expect(findings.filter((f) => f.severity === 'error')).toEqual([
      {
        severity: 'error',
        file: none,
        path: 'dataCollection',
        message: 'no entry has its animation file (2 not found): nothing to run',
      },
    ]);
  });

  it('an absolute animationPath that exists as such: the message says how it is read and the fix', async () => {
    const absolute = path.join(clips, 'Here.fbx');
    const file = write('absolute.json', [absolute]);
    const { plan, findings } = await loadManifest(file, { animationsDir: clips });
    expect(plan).toBeNull();
    expect(findings.map((f) => f.message)).toEqual([
      `animation file not found: ${path.join(clips, absolute)} (looked in the --animations folder); ${absolute} exists, but animationPath is read inside the animations folder, as CharacterStudio reads it: give the path relative to that folder, or pass --animations <its folder>`,
    ]);
  });

  it('all there: no finding and no hint', async () => {
    const { plan, findings, hint } = await loadManifest(write('ok.json', ['Here.fbx', 'builtin:t-pose']), {
      animationsDir: clips,
    });
    expect(plan?.shots).toHaveLength(2);
    expect(findings).toEqual([]);
    expect(hint).toBeUndefined();
  });

  it('in a manifest invalid for other reasons: still errors with the hint, never skipped', async () => {
    const file = path.join(dir, 'invalid.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        width: -1,
        dataCollection: [
          { animationPath: 'Gone.fbx', description: 'a' },
          { animationPath: 'Here.fbx', description: 'b' },
        ],
      }),
    );
    for (const skip of [false, true]) {
      const { plan, findings, hint } = await loadManifest(file, {
        animationsDir: clips,
        skipMissingAnimations: skip,
      });
      expect(plan).toBeNull();
      const missing = findings.find((f) => f.path === 'dataCollection[0].animationPath');
      expect(missing?.severity).toBe(skip ? 'warning' : 'error');
      expect(findings.some((f) => f.path === 'width' && f.severity === 'error')).toBe(true);
      expect(hint).toBe(
        skip
          ? undefined
          : `1 animation file not found, used by 1 of 2 entries: add it to ${clips}, point --animations at the folder that has it, or run the other 1 with --skip-missing-animations`,
      );
    }
  });
});
