import { poseFileSchema } from '@vrm-lora/manifest';
import { AnimationMixer, LoopOnce, Quaternion, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import {
  BAKER_VERSION,
  type LoadedClip,
  loadClip,
  PoseBakeError,
  parseFbxScene,
  readFbxFrameRate,
  type SampleWrap,
  sampleClip,
} from '../src/index.js';
import {
  rotationAbout,
  type SyntheticTakeSpec,
  writeSyntheticMixamoFbx,
  writeUnknownRigFbx,
} from './support/synthetic-mixamo-rig.js';
import { writeAsciiFbx } from './support/write-ascii-fbx.js';

/** Known normalized rotations per Mixamo bone: what the baker must give back. */
const MAIN_TAKE: SyntheticTakeSpec = {
  name: 'mixamo.com',
  frameRate: 30,
  frameCount: 5,
  rotations: {
    Hips: (f) => rotationAbout('y', 10 * f),
    Spine: (f) => rotationAbout('x', 5 * f),
    LeftArm: (f) => rotationAbout('z', -15 * f),
    RightForeArm: (f) => rotationAbout('y', 20 * f),
    LeftUpLeg: (f) => rotationAbout('x', -12 * f),
    Head: (f) =>
      rotationAbout('x', 8 * f)
        .multiply(rotationAbout('y', -6 * f))
        .multiply(rotationAbout('z', 4 * f)),
  },
  hipsPath: (f) => [2 * f, 100 - 3 * f, 5 * f],
};
const SECOND_TAKE: SyntheticTakeSpec = {
  name: 'second',
  frameRate: 24,
  frameCount: 3,
  rotations: { Hips: () => new Quaternion(), LeftArm: (f) => rotationAbout('z', 30 * f) },
};
const VRM_BONES: Record<string, string> = {
  Hips: 'hips',
  Spine: 'spine',
  LeftArm: 'leftUpperArm',
  RightForeArm: 'rightLowerArm',
  LeftUpLeg: 'leftUpperLeg',
  Head: 'head',
};

const encode = (text: string) => new TextEncoder().encode(text);
const fbxText = writeSyntheticMixamoFbx([MAIN_TAKE, SECOND_TAKE], { emptyFirstTake: true });

function angleDegrees(a: readonly number[] | undefined, b: Quaternion): number {
  if (!a) return Number.POSITIVE_INFINITY;
  // Pose files round to 1e-6, so normalize before measuring (angleTo assumes unit quaternions).
  const q = new Quaternion(a[0], a[1], a[2], a[3]).normalize();
  return (q.angleTo(b) * 180) / Math.PI;
}

function expectCode(run: () => unknown, code: string): PoseBakeError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PoseBakeError);
    expect((error as PoseBakeError).code).toBe(code);
    return error as PoseBakeError;
  }
  throw new Error(`expected a PoseBakeError ${code}`);
}

async function expectLoadCode(run: () => Promise<unknown>, code: string): Promise<PoseBakeError> {
  const error = await run().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PoseBakeError);
  expect((error as PoseBakeError).code).toBe(code);
  return error as PoseBakeError;
}

describe('synthetic Mixamo-rig ASCII FBX (written by test support)', () => {
  let clip: LoadedClip;

  it('loads the default take, skipping the empty "Take 001"', async () => {
    clip = await loadClip({ name: 'fixtures/synthetic.fbx', bytes: encode(fbxText) });
    expect(clip.name).toBe('synthetic.fbx');
    expect(clip.kind).toBe('fbx');
    expect(clip.rig).toBe('mixamo');
    expect(clip.takes).toEqual(['Take 001', 'mixamo.com', 'second']);
    expect(clip.take).toBe('mixamo.com');
    expect(clip.frameRate).toBe(30);
    expect(clip.frameCount).toBe(5);
    expect(clip.durationSeconds).toBeCloseTo(4 / 30, 6);
    expect(clip.tracks.rotations.map((entry) => entry.bone)).toEqual([
      'hips',
      'spine',
      'head',
      'leftUpperLeg',
      'leftUpperArm',
      'rightLowerArm',
    ]);
  });

  it('bakes every known rotation within 0.1° at every frame', () => {
    for (let frame = 0; frame < MAIN_TAKE.frameCount; frame++) {
      const pose = sampleClip(clip, { frame });
      for (const [mixamoBone, expected] of Object.entries(MAIN_TAKE.rotations)) {
        const vrmBone = VRM_BONES[mixamoBone] as keyof typeof pose.bones;
        const error = angleDegrees(pose.bones[vrmBone]?.rotation, expected(frame));
        expect(error, `${mixamoBone} → ${vrmBone} at frame ${frame}`).toBeLessThan(0.1);
      }
    }
  });

  it('gives the hips path in units of the rest hips height (100 cm)', () => {
    for (let frame = 0; frame < MAIN_TAKE.frameCount; frame++) {
      const pose = sampleClip(clip, { frame });
      const [x, y, z] = pose.hipsPosition ?? [Number.NaN, Number.NaN, Number.NaN];
      expect(x).toBeCloseTo((2 * frame) / 100, 5);
      expect(y).toBeCloseTo((100 - 3 * frame) / 100, 5);
      expect(z).toBeCloseTo((5 * frame) / 100, 5);
    }
  });

  it('interpolates between keys like playback (slerp; linear hips)', () => {
    const pose = sampleClip(clip, { frame: 1.5 });
    expect(angleDegrees(pose.bones.leftUpperArm?.rotation, rotationAbout('z', -22.5))).toBeLessThan(0.1);
    expect(angleDegrees(pose.bones.hips?.rotation, rotationAbout('y', 15))).toBeLessThan(0.1);
    expect(pose.hipsPosition?.[2]).toBeCloseTo(0.075, 5);
    const byTime = sampleClip(clip, { timeSeconds: 1.5 / 30 });
    expect(byTime.bones).toEqual(pose.bones);
  });

  it('writes a valid pose file citing its source', () => {
    const pose = sampleClip(clip, { frame: 2 });
    expect(poseFileSchema.parse(pose)).toEqual(pose);
    expect(pose.source).toEqual({
      kind: 'fbx',
      name: 'synthetic.fbx',
      contentSha256: clip.contentSha256,
      take: 'mixamo.com',
      timeSeconds: 0.066667,
      frameRate: 30,
      durationSeconds: 0.133333,
      frameCount: 5,
      bakerVersion: BAKER_VERSION,
    });
    expect(clip.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('same bytes + sampling + version → the same pose file, byte for byte', async () => {
    const again = await loadClip({ name: 'synthetic.fbx', bytes: encode(fbxText) });
    const a = JSON.stringify(sampleClip(clip, { frame: 3 }));
    const b = JSON.stringify(sampleClip(again, { frame: 3 }));
    expect(b).toBe(a);
    expect(again.contentSha256).toBe(clip.contentSha256);
  });

  it('picks a take by name; frames count at the rate the file declares', async () => {
    const second = await loadClip({ name: 'synthetic.fbx', bytes: encode(fbxText) }, { take: 'second' });
    expect(second.take).toBe('second');
    // The file declares TimeMode 6 (30 fps); this take's keys sit at 24 fps: 0.0833 s holds frames 0–2.
    expect([second.frameRate, second.frameRateSource, second.frameCount]).toEqual([30, 'file', 3]);
    const pose = sampleClip(second, { timeSeconds: 2 / 24 });
    expect(angleDegrees(pose.bones.leftUpperArm?.rotation, rotationAbout('z', 60))).toBeLessThan(0.1);
    expect(() => sampleClip(second, { frame: 3 })).toThrow('frame 3 is past the end of the clip');
  });

  it('uses the declared TimeMode (24 fps, custom 12.5 fps), else the key spacing', async () => {
    const rateOf = async (options: { timeMode: number | null; customFrameRate?: number }) => {
      const clip = await loadClip({
        name: 'rate.fbx',
        bytes: encode(writeSyntheticMixamoFbx([SECOND_TAKE], options)),
      });
      return [clip.frameRate, clip.frameRateSource, clip.frameCount];
    };
    expect(await rateOf({ timeMode: 11 })).toEqual([24, 'file', 3]);
    expect(await rateOf({ timeMode: 14, customFrameRate: 12.5 })).toEqual([12.5, 'file', 2]);
    expect(await rateOf({ timeMode: null })).toEqual([24, 'keys', 3]);
  });

  it('reads no frame rate from bytes that do not declare one, without throwing', () => {
    expect(readFbxFrameRate(encode(fbxText))).toBe(30);
    expect(readFbxFrameRate(new Uint8Array(64).fill(7))).toBeNull();
    const binaryHeaderOnly = encode('Kaydara FBX Binary  \0\x1a\0\x74\x1e\0\0\xff\xff');
    expect(readFbxFrameRate(binaryHeaderOnly)).toBeNull();
  });

  it('accepts numbered prefixes (mixamorig1:) with the same result', async () => {
    const numbered = writeSyntheticMixamoFbx([MAIN_TAKE], { prefix: 'mixamorig1:' });
    const other = await loadClip({ name: 'numbered.fbx', bytes: encode(numbered) });
    expect(other.rig).toBe('mixamo');
    expect(sampleClip(other, { frame: 4 }).bones).toEqual(sampleClip(clip, { frame: 4 }).bones);
  });

  it('handles a Blender-style Armature parent (rotated −90° about X, scaled 0.01) with the same result', async () => {
    const blender = writeSyntheticMixamoFbx([MAIN_TAKE], {
      armature: { preRotationDegrees: [-90, 0, 0], scale: 0.01 },
    });
    const other = await loadClip({ name: 'blender.fbx', bytes: encode(blender) });
    const armature = parseFbxScene(encode(blender), 'blender.fbx').getObjectByName('Armature');
    expect(armature?.scale.x).toBeCloseTo(0.01, 6);
    expect(armature?.quaternion.x).toBeCloseTo(-Math.SQRT1_2, 6);
    expect(other.unmappedBones).toEqual([]);
    for (const frame of [0, 2, 4]) {
      const pose = sampleClip(other, { frame });
      for (const [mixamoBone, expected] of Object.entries(MAIN_TAKE.rotations)) {
        const vrmBone = VRM_BONES[mixamoBone] as keyof typeof pose.bones;
        expect(
          angleDegrees(pose.bones[vrmBone]?.rotation, expected(frame)),
          `${vrmBone} @${frame}`,
        ).toBeLessThan(0.1);
      }
      const [x, y, z] = pose.hipsPosition ?? [Number.NaN, Number.NaN, Number.NaN];
      expect([x, y, z].map((value) => Math.round(value * 1e4) / 1e4)).toEqual([
        (2 * frame) / 100,
        (100 - 3 * frame) / 100,
        (5 * frame) / 100,
      ]);
    }
  });

  it('swings an A-pose rig into a T-pose (with a warning): at rest its arms bake 45° down', async () => {
    expect(clip.warnings).toEqual([]);
    const still: SyntheticTakeSpec = {
      name: 'mixamo.com',
      frameRate: 30,
      frameCount: 2,
      rotations: {
        Hips: () => new Quaternion(),
        LeftArm: () => new Quaternion(),
        RightArm: () => new Quaternion(),
      },
    };
    const aPose = await loadClip({
      name: 'a-pose.fbx',
      bytes: encode(writeSyntheticMixamoFbx([still], { restArmsDownDegrees: 45 })),
    });
    expect(aPose.warnings).toEqual([
      "a-pose.fbx: the rig's rest pose is not a T-pose facing +Z (off: left upper arm 45°, right upper arm 45°). " +
        'Its arms and legs were swung into a T-pose for the retarget, which cannot recover limb twist; check the ' +
        'result, or use an animation exported for a T-pose character (on Mixamo, e.g. "Y Bot", or "Without Skin").',
    ]);
    const pose = sampleClip(aPose, { frame: 1 });
    expect(angleDegrees(pose.bones.leftUpperArm?.rotation, rotationAbout('z', -45))).toBeLessThan(0.1);
    expect(angleDegrees(pose.bones.rightUpperArm?.rotation, rotationAbout('z', 45))).toBeLessThan(0.1);
    expect(angleDegrees(pose.bones.hips?.rotation, new Quaternion())).toBeLessThan(0.1);
  });

  it('an A-pose rig still gives the source limb directions on a T-pose avatar', async () => {
    const bytes = encode(writeSyntheticMixamoFbx([MAIN_TAKE], { restArmsDownDegrees: 45 }));
    const aPose = await loadClip({ name: 'a-pose.fbx', bytes });
    const scene = parseFbxScene(bytes, 'a-pose.fbx');
    const mixer = new AnimationMixer(scene);
    const action = mixer.clipAction(scene.animations[0]!);
    action.setLoop(LoopOnce, 1);
    action.clampWhenFinished = true;
    action.play();
    const chains: Array<{ bones: string[]; axis: Vector3; source: [string, string] }> = [
      {
        bones: ['hips', 'spine', 'chest', 'upperChest', 'leftShoulder', 'leftUpperArm'],
        axis: new Vector3(1, 0, 0),
        source: ['LeftArm', 'LeftForeArm'],
      },
      {
        bones: ['hips', 'spine', 'chest', 'upperChest', 'rightShoulder', 'rightUpperArm', 'rightLowerArm'],
        axis: new Vector3(-1, 0, 0),
        source: ['RightForeArm', 'RightHand'],
      },
      { bones: ['hips', 'leftUpperLeg'], axis: new Vector3(0, -1, 0), source: ['LeftUpLeg', 'LeftLeg'] },
    ];
    for (let frame = 0; frame < MAIN_TAKE.frameCount; frame++) {
      const pose = sampleClip(aPose, { frame });
      mixer.setTime(pose.source.timeSeconds);
      scene.updateMatrixWorld(true);
      for (const chain of chains) {
        // Forward kinematics on an ideal T-pose avatar: the product of normalized rotations down the chain.
        const world = new Quaternion();
        for (const bone of chain.bones) {
          const rotation = pose.bones[bone as keyof typeof pose.bones]?.rotation;
          if (rotation) world.multiply(new Quaternion().fromArray(rotation).normalize());
        }
        const onAvatar = chain.axis.clone().applyQuaternion(world);
        const at = (name: string) =>
          scene.getObjectByName(`mixamorig${name}`)!.getWorldPosition(new Vector3());
        const inSource = at(chain.source[1]).sub(at(chain.source[0])).normalize();
        expect((onAvatar.angleTo(inSource) * 180) / Math.PI, `${chain.source[0]} @${frame}`).toBeLessThan(
          0.5,
        );
      }
    }
  });

  it('rejects a frame past the end, stating the clip length in frames and seconds', () => {
    const error = expectCode(() => sampleClip(clip, { frame: 5 }), 'frame-out-of-range');
    expect(error.message).toBe(
      'synthetic.fbx: frame 5 is past the end of the clip; take "mixamo.com" is 5 frames long ' +
        '(frames 0–4 at 30 fps, 0.133 s). Use a frame between 0 and 4 (time 0–0.133 s), ' +
        'or enable wrapping to loop around like CharacterStudio.',
    );
    expect(
      expectCode(() => sampleClip(clip, { timeSeconds: -0.01 }), 'frame-out-of-range').message,
    ).toContain('time -0.01 s is before the start of the clip');
    expect(expectCode(() => sampleClip(clip, { frame: Number.NaN }), 'frame-out-of-range').message).toBe(
      'synthetic.fbx: frame NaN is not a number; take "mixamo.com" is 5 frames long (frames 0–4 at 30 fps, 0.133 s). ' +
        'Give a frame between 0 and 4.',
    );
  });

  it('wraps around like a looping player when asked', () => {
    // Frame 6 is 0.2 s; the loop is 0.1333 s long, so it lands on 0.0667 s = frame 2.
    const wrapped = sampleClip(clip, { frame: 6 }, { wrap: true });
    expect(wrapped.source.timeSeconds).toBeCloseTo(2 / 30, 5);
    expect(wrapped.bones).toEqual(sampleClip(clip, { frame: 2 }).bones);
  });

  it('reports a wrap: the frame asked, the clip length and the frame used', () => {
    const seen: SampleWrap[] = [];
    sampleClip(clip, { frame: 6 }, { wrap: true, onWrap: (w) => seen.push(w) });
    sampleClip(clip, { frame: 3 }, { wrap: true, onWrap: (w) => seen.push(w) });
    sampleClip(clip, { timeSeconds: 0.15 }, { wrap: true, onWrap: (w) => seen.push(w) });
    expect(seen).toEqual([
      {
        clip: 'synthetic.fbx',
        take: 'mixamo.com',
        frameAsked: 6,
        frameCount: 5,
        frameRate: 30,
        durationSeconds: 0.133333,
        frameUsed: 2,
        timeUsedSeconds: 0.066667,
      },
      expect.objectContaining({ timeAskedSeconds: 0.15, frameUsed: 0.5, timeUsedSeconds: 0.016667 }),
    ]);
  });

  it('wraps a 2-frame pose clip to frame 0 whatever frame is asked (CharacterStudio example entries 35, 46)', async () => {
    const pose = await loadClip({
      name: 'FemaleSittingPose.fbx',
      bytes: encode(writeSyntheticMixamoFbx([{ ...MAIN_TAKE, frameCount: 2 }])),
    });
    expect(pose.frameCount).toBe(2);
    for (const frame of [10, 30, 31]) {
      const used: number[] = [];
      const wrapped = sampleClip(pose, { frame }, { wrap: true, onWrap: (w) => used.push(w.frameUsed) });
      // The loop is one frame long (frames 0 and 1 are its two ends): every whole frame lands on frame 0.
      expect(used).toEqual([0]);
      expect(wrapped.bones).toEqual(sampleClip(pose, { frame: 0 }).bones);
    }
  });

  it('names the takes when asked for a missing one', async () => {
    const error = await expectLoadCode(
      () => loadClip({ name: 'synthetic.fbx', bytes: encode(fbxText) }, { take: 'Walk' }),
      'unknown-take',
    );
    expect(error.message).toBe(
      'synthetic.fbx: has no take "Walk". Takes in the file: "Take 001", "mixamo.com", "second". ' +
        'Pick one of these, or omit the take to use the default.',
    );
    const empty = await expectLoadCode(
      () => loadClip({ name: 'synthetic.fbx', bytes: encode(fbxText) }, { take: 'Take 001' }),
      'empty-clip',
    );
    expect(empty.message).toBe(
      'synthetic.fbx: take "Take 001" has no animation tracks. Takes in the file: "Take 001", "mixamo.com", "second". ' +
        'Pick a take with animation.',
    );
  });

  it('reports a file with only empty takes as an empty clip', async () => {
    const onlyEmpty = writeSyntheticMixamoFbx([], { emptyFirstTake: true });
    const error = await expectLoadCode(
      () => loadClip({ name: 'empty.fbx', bytes: encode(onlyEmpty) }),
      'empty-clip',
    );
    expect(error.message).toBe(
      'empty.fbx: contains no animation (no animation takes). Export the file again with its ' +
        'animation included (on Mixamo: Download → Format FBX, Skin "Without Skin", 30 fps).',
    );
  });

  it('names the expected rigs and the unmapped bones for an unknown rig', async () => {
    const error = await expectLoadCode(
      () => loadClip({ name: 'robot.fbx', bytes: encode(writeUnknownRigFbx()) }),
      'unsupported-rig',
    );
    expect(error.message).toBe(
      'robot.fbx: unsupported rig. Expected a Mixamo skeleton (bones mixamorig:Hips, mixamorig:Spine, ' +
        'mixamorig:LeftArm, …) or bones named like VRM humanoid bones (hips, spine, leftUpperArm, …), but could ' +
        'not map any of its animated bones: Bone001, Bone002. Download the animation from Mixamo, or retarget it ' +
        'to a Mixamo skeleton (e.g. in Blender) first.',
    );
  });

  it('bakes a clip that animates only some bones (no hips): those bones, no hips position', async () => {
    const armOnly = writeSyntheticMixamoFbx([
      {
        name: 'mixamo.com',
        frameRate: 30,
        frameCount: 3,
        rotations: { LeftArm: (f) => rotationAbout('z', -20 * f) },
      },
    ]);
    const pose = sampleClip(await loadClip({ name: 'arm.fbx', bytes: encode(armOnly) }), { frame: 2 });
    expect(Object.keys(pose.bones)).toEqual(['leftUpperArm']);
    expect(pose.hipsPosition).toBeUndefined();
    expect(angleDegrees(pose.bones.leftUpperArm?.rotation, rotationAbout('z', -40))).toBeLessThan(0.1);
  });

  it('names mapped and unmapped bones when a Mixamo rig animates no humanoid bone', async () => {
    const endOnly = writeAsciiFbx({
      bones: [
        { name: 'mixamorig:Hips', parent: null, translation: [0, 100, 0], preRotationDegrees: [0, 0, 0] },
        {
          name: 'mixamorig:HeadTop_End',
          parent: 'mixamorig:Hips',
          translation: [0, 70, 0],
          preRotationDegrees: [0, 0, 0],
        },
      ],
      takes: [
        {
          name: 'mixamo.com',
          curves: [
            {
              bone: 'mixamorig:HeadTop_End',
              property: 'rotation',
              timesSeconds: [0, 1 / 30],
              values: [
                [0, 0, 0],
                [5, 0, 0],
              ],
            },
          ],
        },
      ],
    });
    const error = await expectLoadCode(
      () => loadClip({ name: 'ends.fbx', bytes: encode(endOnly) }),
      'unsupported-rig',
    );
    expect(error.message).toBe(
      'ends.fbx: looks like a Mixamo rig, but none of its animated bones could be mapped to VRM humanoid bones with a ' +
        'rotation track (mapped: none; unmapped: mixamorigHeadTop_End). Download the animation from Mixamo again with a ' +
        'Mixamo character, or retarget it to a Mixamo skeleton first.',
    );
  });

  it('reports truncated and non-FBX bytes as corrupt files, never a crash', async () => {
    const truncated = await expectLoadCode(
      () => loadClip({ name: 'cut.fbx', bytes: encode(fbxText.slice(0, Math.floor(fbxText.length / 2))) }),
      'corrupt-file',
    );
    expect(truncated.message).toMatch(
      /^cut\.fbx: not a readable FBX file \(.+\)\. The file may be truncated/,
    );
    const garbage = await expectLoadCode(
      () => loadClip({ name: 'noise.fbx', bytes: new Uint8Array(64).fill(7) }),
      'corrupt-file',
    );
    expect(garbage.message).toMatch(/^noise\.fbx: not a readable FBX file/);
  });

  it('rejects unknown formats with the list of what works', async () => {
    const error = await expectLoadCode(
      () => loadClip({ name: 'walk.bvh', bytes: new Uint8Array(4) }),
      'unsupported-format',
    );
    expect(error.message).toMatch(
      /^walk\.bvh: unsupported animation format "\.bvh"\. Use a Mixamo \.fbx, a \.vrma, or a built-in pose \(builtin:t-pose, /,
    );
  });
});
