import { VRM_HUMAN_BONE_NAMES, type VrmHumanBoneName } from '@vrm-lora/manifest';
import {
  type AnimationClip,
  type KeyframeTrack,
  NumberKeyframeTrack,
  type Object3D,
  Quaternion,
  type QuaternionKeyframeTrack,
  Vector3,
  type VectorKeyframeTrack,
} from 'three';
import { type GLTF, GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import type { RetargetedTracks } from './loaded-clip.js';
import { createStubLoadingManager } from './parse-fbx-scene.js';
import { PoseBakeError } from './pose-bake-error.js';

/** The VRMA extension, as far as the baker reads it. */
interface VrmaExtension {
  specVersion?: string;
  humanoid?: { humanBones?: Record<string, { node?: number } | undefined> };
  expressions?: {
    preset?: Record<string, { node?: number } | undefined>;
    custom?: Record<string, { node?: number } | undefined>;
  };
  lookAt?: { node?: number };
}

/** A parsed VRMA: the glTF and its `VRMC_vrm_animation` extension. */
export interface ParsedVrma {
  takes: string[];
  gltf: GLTF;
  extension: VrmaExtension;
  nodes: Object3D[];
}

const EXTENSION_NAME = 'VRMC_vrm_animation';
const SPEC_VERSIONS: ReadonlySet<string> = new Set(['1.0', '1.0-draft']);
const HUMAN_BONE_SET: ReadonlySet<string> = new Set(VRM_HUMAN_BONE_NAMES);

/**
 * Parses VRMA (VRMC_vrm_animation 1.0) bytes with three.js's GLTFLoader. The extension is read here rather
 * than by three-vrm-animation's loader plugin, which prints warnings (libraries here never print) and does
 * the same retarget maths as the FBX path below.
 */
export async function parseVrma(bytes: Uint8Array, fileName: string): Promise<ParsedVrma> {
  const arrayBuffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const loader = new GLTFLoader(createStubLoadingManager());
  // Known to GLTFLoader (no "unknown extension" warning when a file lists it as required); read below.
  loader.register(() => ({ name: EXTENSION_NAME }));
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
  const json = gltf.parser.json as { extensions?: Record<string, unknown> };
  const extension = json.extensions?.[EXTENSION_NAME] as VrmaExtension | undefined;
  if (!extension) {
    throw new PoseBakeError(
      'unsupported-format',
      fileName,
      `${fileName}: is a glTF file without the VRMC_vrm_animation extension, so it has no humanoid animation. ` +
        'Export it as a VRM Animation (.vrma), e.g. with the VRM Add-on for Blender or UniVRM.',
    );
  }
  if (extension.specVersion !== undefined && !SPEC_VERSIONS.has(extension.specVersion)) {
    throw new PoseBakeError(
      'unsupported-format',
      fileName,
      `${fileName}: VRMC_vrm_animation spec version "${extension.specVersion}" is not supported (supported: 1.0). ` +
        'Export it again as VRMA 1.0.',
    );
  }
  const nodes = (await gltf.parser.getDependencies('node')) as Object3D[];
  gltf.scene.updateMatrixWorld(true);
  return { takes: gltf.animations.map((clip) => clip.name), gltf, extension, nodes };
}

/** Name → node index entries of an extension map, sorted by name. */
function listNodes(map: Record<string, { node?: number } | undefined> | undefined): Array<[string, number]> {
  return Object.entries(map ?? {})
    .flatMap(([name, entry]) => (entry?.node === undefined ? [] : [[name, entry.node] as [string, number]]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Retargets one VRMA animation to normalized bones with the same maths as the FBX path
 * (`parentRestWorld · key · inverse(restWorld)`, rest = the file's node transforms), hips translation in
 * units of the rest hips height, expression weights from the expression nodes' x translation, and the look-at
 * node's rotation.
 */
export function collectVrmaTracks(parsed: ParsedVrma, clip: AnimationClip): RetargetedTracks {
  const tracksByName = new Map(clip.tracks.map((track) => [track.name, track]));
  const trackOf = (nodeIndex: number, property: 'quaternion' | 'position'): KeyframeTrack | undefined => {
    const node = parsed.nodes[nodeIndex];
    return node ? tracksByName.get(`${node.name || node.uuid}.${property}`) : undefined;
  };

  const humanBones = listNodes(parsed.extension.humanoid?.humanBones).filter(([name]) =>
    HUMAN_BONE_SET.has(name),
  );
  const byBone = new Map<VrmHumanBoneName, QuaternionKeyframeTrack>();
  const restWorldInverse = new Quaternion();
  const parentRestWorld = new Quaternion();
  const key = new Quaternion();
  for (const [bone, nodeIndex] of humanBones) {
    const track = trackOf(nodeIndex, 'quaternion');
    const node = parsed.nodes[nodeIndex];
    if (!track || !node) continue;
    node.getWorldQuaternion(restWorldInverse).invert();
    if (node.parent) node.parent.getWorldQuaternion(parentRestWorld);
    else parentRestWorld.identity();
    const retargeted = track.clone() as QuaternionKeyframeTrack;
    const values = new Float32Array(track.values.length);
    // Every 4 values (keys, and cubic-spline tangents: the map is linear) get the same rest conjugation.
    for (let i = 0; i < values.length; i += 4) {
      key.fromArray(track.values, i).premultiply(parentRestWorld).multiply(restWorldInverse);
      key.toArray(values, i);
    }
    retargeted.values = values;
    retargeted.name = `${bone}.quaternion`;
    byBone.set(bone as VrmHumanBoneName, retargeted);
  }
  const rotations = VRM_HUMAN_BONE_NAMES.flatMap((bone) => {
    const track = byBone.get(bone);
    return track ? [{ bone, track }] : [];
  });

  let hipsPosition: VectorKeyframeTrack | null = null;
  const hipsIndex = parsed.extension.humanoid?.humanBones?.hips?.node;
  const hipsNode = hipsIndex === undefined ? undefined : parsed.nodes[hipsIndex];
  const hipsTrack = hipsIndex === undefined ? undefined : trackOf(hipsIndex, 'position');
  const restHipsHeight = hipsNode ? hipsNode.getWorldPosition(new Vector3()).y : 0;
  // A rest hips height of about zero gives no scale: the hips translation is left out (documented).
  if (hipsNode && hipsTrack && restHipsHeight > 1e-3) {
    const parentWorld = hipsNode.parent?.matrixWorld;
    const point = new Vector3();
    const values = new Float32Array(hipsTrack.values.length);
    for (let i = 0; i < values.length; i += 3) {
      point.fromArray(hipsTrack.values, i);
      if (parentWorld) point.applyMatrix4(parentWorld);
      point.divideScalar(restHipsHeight).toArray(values, i);
    }
    hipsPosition = hipsTrack.clone() as VectorKeyframeTrack;
    hipsPosition.values = values;
    hipsPosition.name = 'hips.position';
  }

  const expressionNodes = [
    ...listNodes(parsed.extension.expressions?.preset),
    ...listNodes(parsed.extension.expressions?.custom),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const expressions = expressionNodes.flatMap(([name, nodeIndex]) => {
    const track = trackOf(nodeIndex, 'position');
    if (!track) return [];
    const weights = Array.from({ length: track.values.length / 3 }, (_, i) => track.values[3 * i] ?? 0);
    return [{ name, track: new NumberKeyframeTrack(`${name}.weight`, Array.from(track.times), weights) }];
  });

  const lookAtIndex = parsed.extension.lookAt?.node;
  const lookAtTrack = lookAtIndex === undefined ? undefined : trackOf(lookAtIndex, 'quaternion');
  const lookAt = lookAtTrack ? (lookAtTrack.clone() as QuaternionKeyframeTrack) : null;

  return { rotations, hipsPosition, expressions, lookAt };
}

/** Every track of a retargeted clip, for frame-rate inference and emptiness checks. */
export function listRetargetedTracks(tracks: RetargetedTracks): KeyframeTrack[] {
  return [
    ...tracks.rotations.map((entry) => entry.track),
    ...(tracks.hipsPosition ? [tracks.hipsPosition] : []),
    ...tracks.expressions.map((entry) => entry.track),
    ...(tracks.lookAt ? [tracks.lookAt] : []),
  ];
}
