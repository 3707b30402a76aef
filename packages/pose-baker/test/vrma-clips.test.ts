import fs from 'node:fs';
import path from 'node:path';
import type { VRM } from '@pixiv/three-vrm';
import {
  createVRMAnimationClip,
  type VRMAnimation,
  VRMAnimationLoaderPlugin,
  VRMLookAtQuaternionProxy,
} from '@pixiv/three-vrm-animation';
import { AnimationMixer, LoopOnce, Quaternion } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sharedAsset } from '../../../test/support/shared-assets.js';
import { loadClip, PoseBakeError, sampleClip } from '../src/index.js';
import { loadVrmFile } from './support/load-vrm.js';

const vrmaDir = sharedAsset('vrma');
const vrmPath = sharedAsset('vrm', 'Asian_F_1_Casual.vrm');
const describeAssets = vrmaDir && vrmPath && fs.existsSync(vrmPath) ? describe : describe.skip;

const read = (file: string) => ({
  name: file,
  bytes: new Uint8Array(fs.readFileSync(path.join(vrmaDir!, file))),
});

/** three-vrm-animation's own reading of a VRMA (an independent implementation of the retarget). */
async function loadWithThreeVrm(bytes: Uint8Array): Promise<VRMAnimation[]> {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMAnimationLoaderPlugin(parser));
  const gltf = await loader.parseAsync(bytes.slice().buffer, '');
  return gltf.userData.vrmAnimations as VRMAnimation[];
}

/** Plays a VRMA with three-vrm's own clip builder and returns the avatar's normalized rotations at a time. */
function playWithThreeVrm(vrm: VRM, animation: VRMAnimation, timeSeconds: number) {
  vrm.humanoid.resetNormalizedPose();
  const clip = createVRMAnimationClip(animation, vrm);
  const mixer = new AnimationMixer(vrm.scene);
  const action = mixer.clipAction(clip);
  action.setLoop(LoopOnce, 1);
  action.clampWhenFinished = true;
  action.play();
  mixer.setTime(timeSeconds);
  const rotations = new Map<string, Quaternion>();
  for (const bone of Object.keys(vrm.humanoid.humanBones)) {
    const node = vrm.humanoid.getNormalizedBoneNode(
      bone as Parameters<typeof vrm.humanoid.getNormalizedBoneNode>[0],
    );
    if (node) rotations.set(bone, node.quaternion.clone());
  }
  const result = {
    rotations,
    hipsY: vrm.humanoid.getNormalizedBoneNode('hips')!.position.y,
    happy: vrm.expressionManager?.getValue('happy') ?? null,
    yaw: vrm.lookAt?.yaw ?? null,
    pitch: vrm.lookAt?.pitch ?? null,
  };
  mixer.stopAllAction();
  mixer.uncacheRoot(vrm.scene);
  return result;
}

describeAssets('VRMA clips', () => {
  let vrm: VRM;
  beforeAll(async () => {
    vrm = await loadVrmFile(vrmPath!);
    const proxy = new VRMLookAtQuaternionProxy(vrm.lookAt!);
    proxy.name = 'VRMLookAtQuaternionProxy';
    vrm.scene.add(proxy);
  });

  it('idle_loop.vrma: rotations and hips equal three-vrm playback on a real avatar', async () => {
    const input = read('idle_loop.vrma');
    const clip = await loadClip(input);
    expect(clip.kind).toBe('vrma');
    expect(clip.frameRate).toBe(24);
    expect(clip.tracks.rotations).toHaveLength(21);
    const animations = await loadWithThreeVrm(input.bytes);
    const hipsHeight = vrm.humanoid.normalizedRestPose.hips!.position![1];
    for (const frame of [0, 37.5, 120, clip.frameCount - 1]) {
      const pose = sampleClip(clip, { frame });
      const played = playWithThreeVrm(vrm, animations[0]!, pose.source.timeSeconds);
      for (const [bone, value] of Object.entries(pose.bones)) {
        const baked = new Quaternion().fromArray(value.rotation).normalize();
        expect(
          (baked.angleTo(played.rotations.get(bone)!) * 180) / Math.PI,
          `${bone} @${frame}`,
        ).toBeLessThan(0.05);
      }
      expect(pose.hipsPosition![1] * hipsHeight).toBeCloseTo(played.hipsY, 4);
    }
  });

  it('test.vrma: expression and look-at tracks become expressions and lookAt degrees', async () => {
    const input = read('test.vrma');
    const clip = await loadClip(input);
    const animations = await loadWithThreeVrm(input.bytes);
    expect(clip.tracks.expressions.map((entry) => entry.name)).toEqual(['happy']);
    let sawExpression = false;
    let sawLookAt = false;
    for (const timeSeconds of [0, 0.75, 1.5, 2.25, 3]) {
      const pose = sampleClip(clip, { timeSeconds });
      const played = playWithThreeVrm(vrm, animations[0]!, timeSeconds);
      expect(pose.expressions?.happy).toBeCloseTo(played.happy!, 5);
      expect(pose.lookAt?.yawDegrees).toBeCloseTo(played.yaw!, 3);
      expect(pose.lookAt?.pitchDegrees).toBeCloseTo(played.pitch!, 3);
      sawExpression ||= (pose.expressions?.happy ?? 0) > 0.2;
      sawLookAt ||= Math.abs(pose.lookAt?.yawDegrees ?? 0) + Math.abs(pose.lookAt?.pitchDegrees ?? 0) > 5;
    }
    expect(sawExpression).toBe(true);
    expect(sawLookAt).toBe(true);
  });

  it('prints nothing for any VRMA, including ones without specVersion or with rest hips at y=0', async () => {
    const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => undefined),
    );
    try {
      for (const file of fs.readdirSync(vrmaDir!).filter((name) => name.endsWith('.vrma'))) {
        const clip = await loadClip(read(file));
        sampleClip(clip, { frame: clip.frameCount - 1 });
      }
      expect(spies.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('nop.vrma (zero length, one key) is a one-frame clip: frame 0 works, frame 1 says why not', async () => {
    const clip = await loadClip(read('nop.vrma'));
    expect([clip.frameCount, clip.durationSeconds, clip.frameRate]).toEqual([1, 0, 30]);
    const pose = sampleClip(clip, { frame: 0 });
    expect(pose.hipsPosition).toEqual([0, 1, 0]);
    expect(() => sampleClip(clip, { frame: 1 })).toThrow(
      new PoseBakeError(
        'frame-out-of-range',
        'nop.vrma',
        'nop.vrma: frame 1 is past the end of the clip; take "animation_0" is 1 frame long (frames 0–0 at 30 fps, 0 s). ' +
          'Use a frame between 0 and 0 (time 0–0 s), or enable wrapping to loop around like CharacterStudio.',
      ),
    );
    expect(sampleClip(clip, { frame: 1 }, { wrap: true }).bones).toEqual(pose.bones);
  });

  it('hips_spine_twisting.vrma: rest hips at y=0 give rotations without a hips position', async () => {
    const clip = await loadClip(read('hips_spine_twisting.vrma'));
    expect(clip.frameCount).toBe(1800);
    const pose = sampleClip(clip, { frame: 450 });
    expect(pose.hipsPosition).toBeUndefined();
    expect(Object.keys(pose.bones).length).toBe(6);
  });

  it('reports a truncated VRMA as a corrupt file and a glTF without the extension as unsupported', async () => {
    const input = read('test.vrma');
    const truncated = await loadClip({ name: 'test.vrma', bytes: input.bytes.subarray(0, 200) }).catch(
      (e: unknown) => e,
    );
    expect(truncated).toBeInstanceOf(PoseBakeError);
    expect((truncated as PoseBakeError).code).toBe('corrupt-file');
    expect((truncated as PoseBakeError).message).toMatch(
      /^test\.vrma: not a readable VRMA\/glTF file \(.+\)\. /,
    );
    const plainGltf = new TextEncoder().encode(
      JSON.stringify({ asset: { version: '2.0' }, scenes: [{ nodes: [] }] }),
    );
    const unsupported = await loadClip({ name: 'plain.gltf', bytes: plainGltf }).catch((e: unknown) => e);
    expect((unsupported as PoseBakeError).code).toBe('unsupported-format');
    expect((unsupported as PoseBakeError).message).toBe(
      'plain.gltf: is a glTF file without the VRMC_vrm_animation extension, so it has no humanoid animation. ' +
        'Export it as a VRM Animation (.vrma), e.g. with the VRM Add-on for Blender or UniVRM.',
    );
  });
});
