import fs from 'node:fs';
import type { VRM } from '@pixiv/three-vrm';
import { type PoseFile, poseFileSchema } from '@vrm-lora/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedAsset } from '../../../test/support/shared-assets.js';
import {
  BAKER_VERSION,
  BUILTIN_POSES,
  bakePose,
  listBuiltinPoses,
  loadClip,
  PoseBakeError,
  sampleClip,
} from '../src/index.js';
import {
  applyPoseFile,
  getBoneWorldPosition,
  loadVrmFile,
  measureSkinnedBounds,
} from './support/load-vrm.js';

const REQUIRED = [
  't-pose',
  'a-pose',
  'standing-relaxed',
  'arms-crossed',
  'waving',
  'hands-on-hips',
  'sitting-floor',
  'kneeling',
  'cheering',
];

async function bakeBuiltin(name: string): Promise<PoseFile> {
  return sampleClip(await loadClip({ builtin: name }), { frame: 0 });
}

describe('built-in poses', () => {
  it('lists at least the required poses', () => {
    expect(listBuiltinPoses()).toEqual(expect.arrayContaining(REQUIRED));
  });

  it('each is a one-frame clip giving a valid pose file with a stable content hash', async () => {
    const hashes = new Set<string>();
    for (const name of listBuiltinPoses()) {
      const clip = await loadClip({ builtin: name });
      expect([clip.kind, clip.name, clip.take, clip.frameCount, clip.durationSeconds]).toEqual([
        'builtin',
        `builtin:${name}`,
        name,
        1,
        0,
      ]);
      const pose = sampleClip(clip, { frame: 0 });
      expect(poseFileSchema.parse(pose)).toEqual(pose);
      expect(pose.source.bakerVersion).toBe(BAKER_VERSION);
      hashes.add(clip.contentSha256);
      // Addressed the manifest way, `builtin:<name>`, it is the same pose.
      const viaPath = await loadClip({ name: `builtin:${name}`, bytes: new Uint8Array() });
      expect(JSON.stringify(sampleClip(viaPath, { frame: 0 }))).toBe(JSON.stringify(pose));
    }
    expect(hashes.size).toBe(listBuiltinPoses().length);
  });

  it('bakePose is loadClip + sampleClip in one call; every pose has a description', async () => {
    expect(await bakePose({ builtin: 'waving' }, { frame: 0 })).toEqual(await bakeBuiltin('waving'));
    for (const name of listBuiltinPoses())
      expect(BUILTIN_POSES[name]?.description.length).toBeGreaterThan(10);
  });

  it('t-pose is the rest pose; sitting-floor and kneeling lower the hips', async () => {
    expect((await bakeBuiltin('t-pose')).bones).toEqual({});
    expect((await bakeBuiltin('sitting-floor')).hipsPosition?.[1]).toBeLessThan(0.3);
    expect((await bakeBuiltin('kneeling')).hipsPosition?.[1]).toBeLessThan(0.7);
  });

  it('names the known poses for an unknown one', async () => {
    const error = await loadClip({ builtin: 'dab' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PoseBakeError);
    expect((error as PoseBakeError).code).toBe('unknown-builtin');
    expect((error as PoseBakeError).message).toBe(
      `builtin:dab: no such built-in pose. Built-in poses: ${listBuiltinPoses()
        .map((name) => `builtin:${name}`)
        .join(', ')}.`,
    );
  });
});

const vrmPath = sharedAsset('vrm', 'Asian_F_1_Casual.vrm');
const describeAvatar = vrmPath && fs.existsSync(vrmPath) ? describe : describe.skip;

describeAvatar('built-in poses on a real avatar (Asian_F_1_Casual.vrm, metres)', () => {
  let vrm: VRM;
  const at = (bone: string) => getBoneWorldPosition(vrm, bone);
  const pose = async (name: string) => {
    applyPoseFile(vrm, await bakeBuiltin(name));
    return measureSkinnedBounds(vrm.scene);
  };
  beforeAll(async () => {
    vrm = await loadVrmFile(vrmPath!);
  });

  it('standing poses keep the feet on the floor', async () => {
    for (const name of [
      't-pose',
      'a-pose',
      'standing-relaxed',
      'arms-crossed',
      'waving',
      'hands-on-hips',
      'cheering',
    ]) {
      const bounds = await pose(name);
      expect(Math.abs(bounds.min.y), `${name}: lowest point`).toBeLessThan(0.01);
    }
  });

  it('sitting-floor rests the seat on the floor, knees up, nothing below the floor', async () => {
    const bounds = await pose('sitting-floor');
    expect(bounds.min.y).toBeGreaterThan(-0.02);
    expect(bounds.min.y).toBeLessThan(0.02);
    expect(at('hips').y).toBeLessThan(0.2);
    expect(at('leftLowerLeg').y).toBeGreaterThan(at('leftUpperLeg').y);
    expect(at('leftFoot').z).toBeGreaterThan(0.6);
    // Hands on the thighs, in front of the body.
    expect(at('leftHand').z).toBeGreaterThan(0.2);
    expect(at('leftHand').y).toBeLessThan(0.35);
  });

  it('kneeling puts the knees on the floor with the body upright', async () => {
    const bounds = await pose('kneeling');
    expect(bounds.min.y).toBeGreaterThan(-0.02);
    expect(bounds.min.y).toBeLessThan(0.02);
    expect(at('leftLowerLeg').y).toBeLessThan(0.1);
    expect(at('rightLowerLeg').y).toBeLessThan(0.1);
    expect(at('leftFoot').z).toBeLessThan(-0.2);
    expect(at('head').y).toBeGreaterThan(at('hips').y + 0.45);
  });

  it('waving raises the right hand beside the head; the left arm hangs', async () => {
    await pose('waving');
    expect(at('rightHand').y).toBeGreaterThan(at('head').y);
    expect(at('rightHand').x).toBeLessThan(-0.3);
    expect(at('leftHand').y).toBeLessThan(at('hips').y);
  });

  it('cheering raises both hands above the head', async () => {
    await pose('cheering');
    expect(at('leftHand').y).toBeGreaterThan(at('head').y + 0.2);
    expect(at('rightHand').y).toBeGreaterThan(at('head').y + 0.2);
  });

  it('hands-on-hips puts the wrists at the sides of the hips, elbows out', async () => {
    await pose('hands-on-hips');
    for (const side of ['left', 'right'] as const) {
      const hand = at(`${side}Hand`);
      expect(Math.abs(hand.y - at('hips').y), `${side} hand height`).toBeLessThan(0.12);
      expect(Math.abs(hand.x)).toBeGreaterThan(0.12);
      expect(Math.abs(hand.x)).toBeLessThan(0.26);
      expect(Math.abs(at(`${side}LowerArm`).x)).toBeGreaterThan(Math.abs(hand.x) + 0.1);
    }
  });

  it('arms-crossed folds the forearms across the chest, in front of it', async () => {
    await pose('arms-crossed');
    expect(at('leftHand').x).toBeLessThan(0.05);
    expect(at('rightHand').x).toBeGreaterThan(-0.05);
    for (const side of ['left', 'right'] as const) {
      const hand = at(`${side}Hand`);
      expect(hand.z).toBeGreaterThan(at('upperChest').z + 0.12);
      expect(hand.y).toBeGreaterThan(at('spine').y);
      expect(hand.y).toBeLessThan(at(`${side}UpperArm`).y);
    }
  });
});
