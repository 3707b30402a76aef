import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Quaternion, Vector3 } from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticMixamoFbx } from '../packages/pose-baker/test/support/synthetic-mixamo-rig.js';
import { runCli } from './support/run-cli.js';
import { sharedAssetsDir, sharedExamplesDir } from './support/shared-assets.js';

// The "must show": CharacterStudio's own example manifest, unchanged, with every clip present, gives
// 46 of 46 images and exit 0. Entries 35 and 46 ask for frames 30 and 10 of 2-frame pose clips; they wrap
// around as CharacterStudio's looping player does, with a warning each in the output and in report.json.
// 10 of its 38 clips are in ../shared/assets; the other 28 are written here under the example's file names by
// the project's own Mixamo-rig FBX writer (long enough for every frame asked, except the two pose clips).

const assets = sharedAssetsDir();
const examples = sharedExamplesDir();
/** The example's two pose clips: 2 frames each, as the real Mixamo pose downloads are. */
const POSE_CLIPS = new Set(['FemaleSittingPose.fbx', 'Male_Sitting_Pose_1.fbx']);

interface ExampleEntry {
  animationPath: string;
  animationFrame?: number;
}

/** A clip of `frameCount` frames that moves arms, spine and legs by an amount that differs per clip. */
function syntheticClip(index: number, frameCount: number): string {
  const about = (axis: Vector3, degrees: number) =>
    new Quaternion().setFromAxisAngle(axis, (degrees * Math.PI) / 180);
  const x = new Vector3(1, 0, 0);
  const y = new Vector3(0, 1, 0);
  const z = new Vector3(0, 0, 1);
  const phase = (f: number) => Math.sin((f / Math.max(1, frameCount - 1)) * Math.PI * 2 + index);
  return writeSyntheticMixamoFbx([
    {
      name: 'mixamo.com',
      frameRate: 30,
      frameCount,
      rotations: {
        Hips: (f) => about(y, 15 * phase(f)),
        Spine: (f) => about(x, 10 + 5 * phase(f)),
        LeftArm: (f) => about(z, -50 + 30 * phase(f)),
        RightArm: (f) => about(z, 50 - 25 * phase(f)),
        LeftUpLeg: (f) => about(x, -20 * phase(f)),
        RightUpLeg: (f) => about(x, 20 * phase(f)),
      },
    },
  ]);
}

let dir: string;
let manifestFile: string;
let example: { dataCollection: ExampleEntry[] };
const wrapped = ['FemaleSittingPose.fbx: frame 30', 'Male_Sitting_Pose_1.fbx: frame 10'];

beforeAll(async () => {
  if (!assets || !examples) return;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-cs-example-'));
  const text = await fs.readFile(path.join(examples, 'characterstudio-manifest.json'), 'utf8');
  example = JSON.parse(text);
  // The manifest is copied byte for byte: its own assetsLocation + animationsDirectory find the clips.
  manifestFile = path.join(dir, 'characterstudio-manifest.json');
  await fs.writeFile(manifestFile, text);
  const clipsDir = path.join(dir, 'lora-assets', 'animations');
  await fs.mkdir(clipsDir, { recursive: true });
  const shared = new Set(await fs.readdir(path.join(assets, 'fbx')));
  const lastFrame = new Map<string, number>();
  for (const e of example.dataCollection)
    lastFrame.set(e.animationPath, Math.max(lastFrame.get(e.animationPath) ?? 0, e.animationFrame ?? 0));
  let index = 0;
  for (const [clip, frame] of lastFrame) {
    const target = path.join(clipsDir, clip);
    if (shared.has(clip)) await fs.symlink(path.join(assets, 'fbx', clip), target);
    else await fs.writeFile(target, syntheticClip(index, POSE_CLIPS.has(clip) ? 2 : frame + 5));
    index++;
  }
});
afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe.skipIf(!assets || !examples)('the CharacterStudio example, every clip present', () => {
  it('has 46 entries over 38 clips, 28 of them absent from the shared assets', async () => {
    expect(example.dataCollection).toHaveLength(46);
    const clips = new Set(example.dataCollection.map((e) => e.animationPath));
    expect(clips.size).toBe(38);
    const shared = new Set(await fs.readdir(path.join(assets!, 'fbx')));
    expect([...clips].filter((c) => !shared.has(c))).toHaveLength(28);
  });

  it('runs unchanged: 46 of 46 images, exit 0, the two wraps warned in the output and report.json', async () => {
    const out = path.join(dir, 'out');
    const result = await runCli([
      'run',
      manifestFile,
      '--vrm',
      path.join(assets!, 'vrm', 'Asian_F_1_Casual.vrm'),
      '--out',
      out,
    ]);
    const stderr = String(result.stderr);
    expect(result.exitCode, stderr).toBe(0);
    expect(stderr).toMatch(/^46 image\(s\) written, 0 failed/m);
    const warningLines = stderr.split('\n').filter((l) => l.includes('wrapped around'));
    expect(warningLines).toEqual([
      `! entry 35: ${wrapped[0]} is past the end of take "mixamo.com" (2 frames, 0–1 at 30 fps); wrapped around to frame 0, as CharacterStudio's looping player does. Set "wrapAnimation": false (or run with --strict) to make this an error.`,
      `! entry 46: ${wrapped[1]} is past the end of take "mixamo.com" (2 frames, 0–1 at 30 fps); wrapped around to frame 0, as CharacterStudio's looping player does. Set "wrapAnimation": false (or run with --strict) to make this an error.`,
    ]);

    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.summary).toMatchObject({ entries: 46, written: 46, failed: 0 });
    const images = (await fs.readdir(path.join(out, 'img', '10_anata person'))).filter((f) =>
      f.endsWith('.png'),
    );
    expect(images).toHaveLength(46);
    const withWrap = report.entries.filter((e: { wrapped?: unknown }) => e.wrapped);
    expect(withWrap.map((e: { number: number; wrapped: unknown }) => [e.number, e.wrapped])).toEqual([
      [
        35,
        expect.objectContaining({
          clip: 'FemaleSittingPose.fbx',
          frameAsked: 30,
          frameCount: 2,
          frameUsed: 0,
        }),
      ],
      [
        46,
        expect.objectContaining({
          clip: 'Male_Sitting_Pose_1.fbx',
          frameAsked: 10,
          frameCount: 2,
          frameUsed: 0,
        }),
      ],
    ]);
    for (const e of withWrap) expect(e.warnings.some((w: string) => w.includes('wrapped around'))).toBe(true);
    const wrapWarnings = report.entries.flatMap((e: { warnings: string[] }) =>
      e.warnings.filter((w) => w.includes('wrapped around')),
    );
    expect(wrapWarnings).toHaveLength(2);
  }, 600_000);

  it('a re-run serves everything from the cache and still reports both wraps', async () => {
    const out = path.join(dir, 'out');
    const result = await runCli([
      'run',
      manifestFile,
      '--vrm',
      path.join(assets!, 'vrm', 'Asian_F_1_Casual.vrm'),
      '--out',
      out,
    ]);
    expect(result.exitCode).toBe(0);
    expect(String(result.stderr)).toContain('bake 0 done / 46 cached · render 0 done / 46 cached');
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    expect(report.entries.filter((e: { wrapped?: unknown }) => e.wrapped)).toHaveLength(2);
    expect(
      report.entries.flatMap((e: { warnings: string[] }) => e.warnings.filter((w) => w.includes('wrapped'))),
    ).toHaveLength(2);
  }, 300_000);

  it('--strict makes both wraps errors naming the clip length (exit 1)', async () => {
    const result = await runCli([
      'run',
      manifestFile,
      '--vrm',
      path.join(assets!, 'vrm', 'Asian_F_1_Casual.vrm'),
      '--out',
      path.join(dir, 'strict'),
      '--only',
      '35,46',
      '--strict',
    ]);
    expect(result.exitCode).toBe(1);
    const stderr = String(result.stderr);
    expect(stderr).toContain(
      '✗ entry 35 (dataCollection[34]): bake: FemaleSittingPose.fbx: frame 30 is past the end of the clip; take "mixamo.com" is 2 frames long (frames 0–1 at 30 fps, 0.033 s)',
    );
    expect(stderr).toContain(
      '✗ entry 46 (dataCollection[45]): bake: Male_Sitting_Pose_1.fbx: frame 10 is past the end',
    );
  }, 120_000);
});
