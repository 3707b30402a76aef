import fs from 'node:fs';
import path from 'node:path';
import type { VRM } from '@pixiv/three-vrm';
import type { PoseFile } from '@vrm-lora/manifest';
import { AnimationMixer, type Group, LoopOnce, Quaternion, Vector3 } from 'three';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedAsset } from '../../../test/support/shared-assets.js';
import { type LoadedClip, loadClip, PoseBakeError, parseFbxScene, sampleClip } from '../src/index.js';
import { applyPoseFile, getBoneWorldPosition, loadVrmFile } from './support/load-vrm.js';

const fbxDir = sharedAsset('fbx');
const vrmPath = sharedAsset('vrm', 'Asian_F_1_Casual.vrm');
const describeAssets = fbxDir && vrmPath && fs.existsSync(vrmPath) ? describe : describe.skip;

/** Limb segments: VRM start → end bone; source start → end node, per rig. The start bone alone turns the segment. */
const SEGMENTS: ReadonlyArray<{ label: string; vrm: [string, string]; mixamo: [string, string] }> = [
  { label: 'L upper arm', vrm: ['leftUpperArm', 'leftLowerArm'], mixamo: ['LeftArm', 'LeftForeArm'] },
  { label: 'L forearm', vrm: ['leftLowerArm', 'leftHand'], mixamo: ['LeftForeArm', 'LeftHand'] },
  { label: 'R upper arm', vrm: ['rightUpperArm', 'rightLowerArm'], mixamo: ['RightArm', 'RightForeArm'] },
  { label: 'R forearm', vrm: ['rightLowerArm', 'rightHand'], mixamo: ['RightForeArm', 'RightHand'] },
  { label: 'L thigh', vrm: ['leftUpperLeg', 'leftLowerLeg'], mixamo: ['LeftUpLeg', 'LeftLeg'] },
  { label: 'L shin', vrm: ['leftLowerLeg', 'leftFoot'], mixamo: ['LeftLeg', 'LeftFoot'] },
  { label: 'R thigh', vrm: ['rightUpperLeg', 'rightLowerLeg'], mixamo: ['RightUpLeg', 'RightLeg'] },
  { label: 'R shin', vrm: ['rightLowerLeg', 'rightFoot'], mixamo: ['RightLeg', 'RightFoot'] },
  { label: 'spine', vrm: ['upperChest', 'neck'], mixamo: ['Spine2', 'Neck'] },
  { label: 'neck', vrm: ['neck', 'head'], mixamo: ['Neck', 'Head'] },
];

/** Source node name for a segment end in a clip's rig. */
function sourceNodeName(clip: LoadedClip, mixamoBone: string, vrmBone: string): string {
  return clip.rig === 'mixamo' ? `mixamorig${mixamoBone}` : vrmBone;
}

interface ClipRow {
  file: string;
  frames: number[];
  meanDegrees: number;
  maxDegrees: number;
  worst: string;
  /** Same comparison done on segment directions only: FBX direction turned by the fixed rest offset. */
  directionMeanDegrees: number;
  directionMaxDegrees: number;
  /** How far the segments moved from rest (shows the comparison is not trivial). */
  motionMeanDegrees: number;
}

const angleBetween = (a: Vector3, b: Vector3) => (a.angleTo(b) * 180) / Math.PI;

describeAssets('real Mixamo clips retargeted onto a real VRM (Asian_F_1_Casual.vrm)', () => {
  let vrm: VRM;
  const clips = new Map<string, { clip: LoadedClip; scene: Group }>();
  let printed: string[] = [];
  const fbxFiles = fbxDir
    ? fs
        .readdirSync(fbxDir)
        .filter((file) => file.endsWith('.fbx'))
        .sort()
    : [];

  beforeAll(async () => {
    vrm = await loadVrmFile(vrmPath!);
    // Libraries never print: watch the console while the baker loads and samples every clip.
    const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    try {
      for (const file of fbxFiles) {
        const bytes = fs.readFileSync(path.join(fbxDir!, file));
        // The baker's clip and an independent parse of the same bytes for the source skeleton.
        const clip = await loadClip({ name: file, bytes });
        sampleClip(clip, { frame: clip.frameCount - 1 });
        clips.set(file, { clip, scene: parseFbxScene(bytes, file) });
      }
      printed = spies.flatMap((spy) => spy.mock.calls.map((call) => call.join(' ')));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('prints nothing while loading and sampling the 14 clips (Samba_Dancing.fbx has skin and textures)', () => {
    expect(printed).toEqual([]);
    expect(clips.size).toBe(14);
  });

  it('same bytes + frame + version give byte-identical JSON (Walking.fbx, loaded twice)', async () => {
    const bytes = fs.readFileSync(path.join(fbxDir!, 'Walking.fbx'));
    const again = await loadClip({ name: 'Walking.fbx', bytes });
    const first = clips.get('Walking.fbx')!.clip;
    expect(again.contentSha256).toBe(first.contentSha256);
    expect(JSON.stringify(sampleClip(again, { frame: 8 }))).toBe(
      JSON.stringify(sampleClip(first, { frame: 8 })),
    );
  });

  it('matches the source skeleton: limb directions within mean 2°, max 5° on every clip', () => {
    // Rest directions, measured once per rig in its rest pose.
    applyPoseFile(vrm, { ...emptyPose(), bones: {} });
    const vrmRest = new Map(SEGMENTS.map((s) => [s.label, segmentOnVrm(vrm, s.vrm)]));
    const rows: ClipRow[] = [];
    for (const [file, { clip, scene }] of clips) {
      const mixer = new AnimationMixer(scene);
      const source = scene.animations.find((take) => take.name === clip.take)!;
      const action = mixer.clipAction(source);
      action.setLoop(LoopOnce, 1);
      action.clampWhenFinished = true;
      scene.updateMatrixWorld(true);
      const sourceRestDirection = new Map(SEGMENTS.map((s) => [s.label, segmentOnSource(scene, clip, s)]));
      const restOffset = new Map(
        SEGMENTS.map((s) => [
          s.label,
          new Quaternion().setFromUnitVectors(sourceRestDirection.get(s.label)!, vrmRest.get(s.label)!),
        ]),
      );
      const restWorld = new Map(
        SEGMENTS.map((s) => [
          s.label,
          scene
            .getObjectByName(sourceNodeName(clip, s.mixamo[0], s.vrm[0]))!
            .getWorldQuaternion(new Quaternion()),
        ]),
      );
      action.play();
      const last = clip.frameCount - 1;
      const frames = [...new Set([0, Math.floor(last / 3), Math.floor((2 * last) / 3), last])];
      const errors: number[] = [];
      const directionErrors: number[] = [];
      const motions: number[] = [];
      let worst = '';
      let worstValue = -1;
      for (const frame of frames) {
        const pose = sampleClip(clip, { frame });
        applyPoseFile(vrm, pose);
        mixer.setTime(pose.source.timeSeconds);
        scene.updateMatrixWorld(true);
        for (const segment of SEGMENTS) {
          const node = scene.getObjectByName(sourceNodeName(clip, segment.mixamo[0], segment.vrm[0]))!;
          // The source segment's rotation since rest, applied to the avatar's rest direction of that segment:
          // this removes the fixed rest-pose difference between the rigs (both face +Z, so facing needs no removal).
          const sinceRest = node
            .getWorldQuaternion(new Quaternion())
            .multiply(restWorld.get(segment.label)!.clone().invert());
          const expected = vrmRest.get(segment.label)!.clone().applyQuaternion(sinceRest);
          const actual = segmentOnVrm(vrm, segment.vrm);
          const error = angleBetween(actual, expected);
          errors.push(error);
          const sourceDirection = segmentOnSource(scene, clip, segment).applyQuaternion(
            restOffset.get(segment.label)!,
          );
          directionErrors.push(angleBetween(actual, sourceDirection));
          motions.push(angleBetween(actual, vrmRest.get(segment.label)!));
          if (error > worstValue) {
            worstValue = error;
            worst = `${segment.label} @${frame}`;
          }
        }
      }
      mixer.stopAllAction();
      rows.push({
        file,
        frames,
        meanDegrees: mean(errors),
        maxDegrees: Math.max(...errors),
        worst,
        directionMeanDegrees: mean(directionErrors),
        directionMaxDegrees: Math.max(...directionErrors),
        motionMeanDegrees: mean(motions),
      });
    }
    process.stdout.write(
      `\nlimb-direction error, baked pose on ${path.basename(vrmPath!)} vs the FBX skeleton (degrees)\n` +
        'mean/max: segment turned like the source bone; dir mean/max: source direction turned by the fixed rest\n' +
        'offset (twist of the rest difference shows here); moved: mean angle of the segments from rest\n' +
        `${'clip'.padEnd(24)}${'frames'.padEnd(16)}${'mean'.padStart(7)}${'max'.padStart(7)}` +
        `${'dir mean'.padStart(9)}${'dir max'.padStart(8)}${'moved'.padStart(7)}  worst\n` +
        rows
          .map(
            (row) =>
              `${row.file.padEnd(24)}${row.frames.join(',').padEnd(16)}${row.meanDegrees.toFixed(3).padStart(7)}` +
              `${row.maxDegrees.toFixed(3).padStart(7)}${row.directionMeanDegrees.toFixed(2).padStart(9)}` +
              `${row.directionMaxDegrees.toFixed(2).padStart(8)}${row.motionMeanDegrees.toFixed(1).padStart(7)}  ${row.worst}`,
          )
          .join('\n') +
        '\n',
    );
    expect(rows.map((row) => row.file)).toEqual(fbxFiles);
    for (const row of rows) {
      // The clips really move the limbs, so a wrong bone, side, time or space would show as large errors.
      if (row.file !== 'T-Pose.fbx') expect(row.motionMeanDegrees, `${row.file} motion`).toBeGreaterThan(20);
      expect(row.meanDegrees, `${row.file} mean`).toBeLessThanOrEqual(2);
      expect(row.maxDegrees, `${row.file} max (${row.worst})`).toBeLessThanOrEqual(5);
    }
  });

  it('T-Pose.fbx bakes to within 1° of identity on every bone', () => {
    const { clip } = clips.get('T-Pose.fbx')!;
    for (const frame of [0, clip.frameCount - 1]) {
      const pose = sampleClip(clip, { frame });
      expect(Object.keys(pose.bones)).toHaveLength(52);
      for (const [bone, value] of Object.entries(pose.bones)) {
        const q = new Quaternion().fromArray(value.rotation).normalize();
        expect((q.angleTo(new Quaternion()) * 180) / Math.PI, `${bone} @${frame}`).toBeLessThan(1);
      }
    }
  });

  it('Walking_ascii.fbx gives the same pose as Walking.fbx at every frame', () => {
    const binary = clips.get('Walking.fbx')!.clip;
    const ascii = clips.get('Walking_ascii.fbx')!.clip;
    expect(ascii.frameCount).toBe(binary.frameCount);
    for (let frame = 0; frame < binary.frameCount; frame++) {
      const a = sampleClip(ascii, { frame });
      const b = sampleClip(binary, { frame });
      // ASCII stores decimal text of the same floats: equal up to the pose file's 1e-6 rounding.
      expect(maxDifference(a, b), `frame ${frame}`).toBeLessThanOrEqual(2e-6);
    }
  });

  it('reads frame rates and lengths as the files declare them (Mixamo 30 fps = CharacterStudio frame / 30)', () => {
    const summary = Object.fromEntries(
      [...clips].map(([file, { clip }]) => [file, `${clip.frameRate}fps ${clip.frameCount}f ${clip.take}`]),
    );
    expect(summary).toMatchObject({
      'Walking.fbx': '30fps 30f mixamo.com',
      'Salute.fbx': '30fps 86f mixamo.com',
      'Boxing.fbx': '30fps 53f mixamo.com',
      'Running.fbx': '30fps 20f mixamo.com',
      'FemaleStandingPose.fbx': '30fps 2f mixamo.com',
      'T-Pose.fbx': '30fps 2f mixamo.com',
      'Samba_Dancing.fbx': '30fps 595f mixamo.com',
      // Declares TimeMode 60 fps (keys every 2nd frame): frames count at the declared rate.
      'idle_drophunter.fbx': '60fps 1081f bakeikScene',
    });
    for (const { clip } of clips.values()) {
      expect(clip.frameRateSource).toBe('file');
      expect(clip.warnings, clip.name).toEqual([]); // every rest pose is a T-pose facing +Z
    }
    expect(clips.get('Samba_Dancing.fbx')!.clip.takes).toEqual(['mixamo.com', 'Take 001']);
    const walking = clips.get('Walking.fbx')!.clip;
    expect(sampleClip(walking, { frame: 8 }).source.timeSeconds).toBeCloseTo(8 / 30, 6);
  });

  it('maps idle_drophunter.fbx (VRM-humanoid-named bones) instead of giving an empty pose', () => {
    const { clip } = clips.get('idle_drophunter.fbx')!;
    expect(clip.rig).toBe('vrm-humanoid');
    const pose = sampleClip(clip, { frame: 100 });
    expect(Object.keys(pose.bones).length).toBeGreaterThanOrEqual(50);
    // Its hips are keyed in metres against centimetre bones; the baker's unit fix puts them at standing height.
    expect(pose.hipsPosition?.[1]).toBeGreaterThan(0.9);
    expect(pose.hipsPosition?.[1]).toBeLessThan(1.1);
  });

  it('states the clip length when a frame is past the end (Walking.fbx, 30 frames)', () => {
    const walking = clips.get('Walking.fbx')!.clip;
    expect(() => sampleClip(walking, { frame: 30 })).toThrow(
      'Walking.fbx: frame 30 is past the end of the clip; take "mixamo.com" is 30 frames long ' +
        '(frames 0–29 at 30 fps, 0.967 s). Use a frame between 0 and 29 (time 0–0.967 s), ' +
        'or enable wrapping to loop around like CharacterStudio.',
    );
    // CharacterStudio's wrap: 31 / 30 s modulo the 0.9667 s loop = 0.0667 s = frame 2.
    const wrapped = sampleClip(walking, { frame: 31 }, { wrap: true });
    expect(wrapped.source.timeSeconds).toBeCloseTo(2 / 30, 5);
    expect(maxDifference(wrapped, sampleClip(walking, { frame: 2 }))).toBeLessThanOrEqual(1e-5);
  });

  it('reports a truncated binary FBX as a corrupt file', async () => {
    const bytes = fs.readFileSync(path.join(fbxDir!, 'Walking.fbx'));
    const error = await loadClip({ name: 'Walking.fbx', bytes: bytes.subarray(0, 20_000) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PoseBakeError);
    expect((error as PoseBakeError).code).toBe('corrupt-file');
    expect((error as PoseBakeError).message).toMatch(
      /^Walking\.fbx: not a readable FBX file \(.+\)\. The file may be truncated/,
    );
  });
});

/** Largest difference between two poses' numbers (bone rotations and hips position). */
function maxDifference(a: PoseFile, b: PoseFile): number {
  expect(Object.keys(a.bones)).toEqual(Object.keys(b.bones));
  const numbers = (pose: PoseFile) => [
    ...Object.values(pose.bones).flatMap((value) => value.rotation),
    ...(pose.hipsPosition ?? []),
  ];
  const [x, y] = [numbers(a), numbers(b)];
  expect(x.length).toBe(y.length);
  return Math.max(...x.map((value, i) => Math.abs(value - y[i]!)));
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

function segmentOnSource(scene: Group, clip: LoadedClip, segment: (typeof SEGMENTS)[number]): Vector3 {
  const position = (mixamoBone: string, vrmBone: string) =>
    scene.getObjectByName(sourceNodeName(clip, mixamoBone, vrmBone))!.getWorldPosition(new Vector3());
  return position(segment.mixamo[1], segment.vrm[1])
    .sub(position(segment.mixamo[0], segment.vrm[0]))
    .normalize();
}

function segmentOnVrm(vrm: VRM, [from, to]: [string, string]): Vector3 {
  return getBoneWorldPosition(vrm, to).sub(getBoneWorldPosition(vrm, from)).normalize();
}

function emptyPose(): PoseFile {
  return {
    format: 'vrm-lora/pose',
    version: 1,
    bones: {},
    source: {
      kind: 'builtin',
      name: 'rest',
      contentSha256: '',
      take: 'rest',
      timeSeconds: 0,
      frameRate: 30,
      durationSeconds: 0,
      frameCount: 1,
      bakerVersion: 'test',
    },
  };
}
