import { type VRMAnimation, VRMAnimationLoaderPlugin } from '@pixiv/three-vrm-animation';
import { VRM_HUMAN_BONE_NAMES } from '@vrm-lora/manifest';
import { type KeyframeTrack, NumberKeyframeTrack, VectorKeyframeTrack } from 'three';
import { type GLTF, GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { RetargetedTracks } from './loaded-clip.js';
import { createStubLoadingManager } from './parse-fbx-scene.js';
import { PoseBakeError } from './pose-bake-error.js';

/** A parsed VRMA: its takes (glTF animations) already retargeted by three-vrm-animation's loader plugin. */
export interface ParsedVrma {
  takes: string[];
  animations: VRMAnimation[];
}

/** Parses VRMA (VRMC_vrm_animation 1.0) bytes. Throws {@link PoseBakeError} for unreadable files. */
export async function parseVrma(bytes: Uint8Array, fileName: string): Promise<ParsedVrma> {
  const arrayBuffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const loader = new GLTFLoader(createStubLoadingManager());
  loader.register((parser) => new VRMAnimationLoaderPlugin(parser));
  let gltf: GLTF;
  try {
    gltf = await loader.parseAsync(arrayBuffer, '');
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.replace(/^THREE\.GLTFLoader:\s*/, '') : String(error);
    throw new PoseBakeError(
      'corrupt-file',
      fileName,
      `${fileName}: not a readable VRMA/glTF file (${reason}). The file may be truncated; export it again as VRMA 1.0.`,
      { cause: error },
    );
  }
  const animations = gltf.userData.vrmAnimations as VRMAnimation[] | undefined;
  if (!animations) {
    throw new PoseBakeError(
      'unsupported-format',
      fileName,
      `${fileName}: is a glTF file without the VRMC_vrm_animation extension, so it has no humanoid animation. ` +
        'Export it as a VRM Animation (.vrma), e.g. with the VRM Add-on for Blender or UniVRM.',
    );
  }
  return { takes: gltf.animations.map((clip) => clip.name), animations };
}

/** The tracks of one VRMA animation: rotations are already normalized-bone rotations (the plugin retargets). */
export function collectVrmaTracks(animation: VRMAnimation): RetargetedTracks {
  const rotations = VRM_HUMAN_BONE_NAMES.flatMap((bone) => {
    const track = animation.humanoidTracks.rotation.get(bone);
    return track ? [{ bone, track }] : [];
  });
  const hipsTrack = animation.humanoidTracks.translation.get('hips');
  const restHipsHeight = animation.restHipsPosition.y;
  let hipsPosition: VectorKeyframeTrack | null = null;
  // A rest hips height of about zero gives no scale: the hips translation is left out (documented).
  if (hipsTrack && restHipsHeight > 1e-3) {
    const values = hipsTrack.values.map((value: number) => value / restHipsHeight);
    hipsPosition = new VectorKeyframeTrack('hips.position', Array.from(hipsTrack.times), values);
  }
  const expressionEntries = [
    ...animation.expressionTracks.preset,
    ...animation.expressionTracks.custom,
  ] as Array<[string, NumberKeyframeTrack]>;
  const expressions = expressionEntries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, track]) => ({
      name,
      track: new NumberKeyframeTrack(`${name}.weight`, Array.from(track.times), Array.from(track.values)),
    }));
  return { rotations, hipsPosition, expressions, lookAt: animation.lookAtTrack };
}

/** Every track of a VRMA animation, for frame-rate inference and emptiness checks. */
export function listVrmaTracks(tracks: RetargetedTracks): KeyframeTrack[] {
  return [
    ...tracks.rotations.map((entry) => entry.track),
    ...(tracks.hipsPosition ? [tracks.hipsPosition] : []),
    ...tracks.expressions.map((entry) => entry.track),
    ...(tracks.lookAt ? [tracks.lookAt] : []),
  ];
}
