import { VRM_HUMAN_BONE_NAMES, type VrmHumanBoneName } from '@vrm-lora/manifest';
import {
  type AnimationClip,
  type Group,
  type KeyframeTrack,
  Matrix4,
  type Object3D,
  Quaternion,
  QuaternionKeyframeTrack,
  Vector3,
  VectorKeyframeTrack,
} from 'three';
import type { RetargetedTracks, SourceRig } from './loaded-clip.js';
import { findMixamoVrmBone, isMixamoNodeName } from './mixamo-vrm-bone-map.js';
import { PoseBakeError } from './pose-bake-error.js';

const HUMAN_BONE_SET: ReadonlySet<string> = new Set(VRM_HUMAN_BONE_NAMES);

/** The take a caller asked for, or the default one: `mixamo.com` when non-empty, else the first non-empty take. */
export function selectTake(clips: readonly AnimationClip[], fileName: string, take?: string): AnimationClip {
  const takes = clips.map((clip) => `"${clip.name}"`).join(', ') || 'none';
  if (take !== undefined) {
    const chosen = clips.find((clip) => clip.name === take);
    if (!chosen) {
      throw new PoseBakeError(
        'unknown-take',
        fileName,
        `${fileName}: has no take "${take}". Takes in the file: ${takes}. Pick one of these, or omit the take to use the default.`,
      );
    }
    if (chosen.tracks.length === 0) {
      throw new PoseBakeError(
        'empty-clip',
        fileName,
        `${fileName}: take "${take}" has no animation tracks. Takes in the file: ${takes}. Pick a take with animation.`,
      );
    }
    return chosen;
  }
  const nonEmpty = clips.filter((clip) => clip.tracks.length > 0);
  const chosen = nonEmpty.find((clip) => clip.name === 'mixamo.com') ?? nonEmpty[0];
  if (!chosen) {
    throw new PoseBakeError(
      'empty-clip',
      fileName,
      `${fileName}: contains no animation (${clips.length > 0 ? `takes ${takes} have no keyframes` : 'no animation takes'}). ` +
        'Export the file again with its animation included (on Mixamo: Download → Format FBX, Skin "Without Skin", 30 fps).',
    );
  }
  return chosen;
}

/** Splits `node.property` track names; node names never contain dots after three's sanitizing. */
function splitTrackName(trackName: string): { nodeName: string; property: string } {
  const dot = trackName.lastIndexOf('.');
  return { nodeName: trackName.slice(0, dot), property: trackName.slice(dot + 1) };
}

/** Which convention the scene's bones follow, or `null` when neither. */
function detectRig(scene: Group): Exclude<SourceRig, 'vrma' | 'builtin'> | null {
  let mixamo = false;
  let humanoidHips = false;
  scene.traverse((node) => {
    if (isMixamoNodeName(node.name)) mixamo = true;
    if (node.name === 'hips') humanoidHips = true;
  });
  if (mixamo) return 'mixamo';
  return humanoidHips ? 'vrm-humanoid' : null;
}

function mapBone(rig: 'mixamo' | 'vrm-humanoid', nodeName: string): VrmHumanBoneName | undefined {
  if (rig === 'mixamo') return findMixamoVrmBone(nodeName);
  return HUMAN_BONE_SET.has(nodeName) ? (nodeName as VrmHumanBoneName) : undefined;
}

function listNames(names: readonly string[], limit = 12): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown} (+${names.length - limit} more)` : shown;
}

/**
 * Retargets one FBX take to normalized VRM bones, following three-vrm's Mixamo example:
 * `rotation = parentRestWorldRotation · key · inverse(restWorldRotation)`, where "rest" is the pose the
 * file's nodes are in before any animation is applied (a T-pose facing +Z for Mixamo). The hips position is
 * taken to the rig's world space and divided by the rest hips height.
 */
export function retargetFbxTake(
  scene: Group,
  clip: AnimationClip,
  fileName: string,
): { rig: 'mixamo' | 'vrm-humanoid'; tracks: RetargetedTracks; unmappedBones: string[]; warnings: string[] } {
  const animatedNodes = [...new Set(clip.tracks.map((track) => splitTrackName(track.name).nodeName))].sort();
  const rig = detectRig(scene);
  if (!rig) throw unsupportedRigError(fileName, animatedNodes);
  scene.updateMatrixWorld(true);
  const boneNodes = findBoneNodes(scene, rig);
  const offTPose = measureRestPoseOffsets(boneNodes);
  // A rest pose that is not a T-pose (an A-pose rig) is swung into one, limb by limb, before the retarget.
  const corrections = offTPose.length > 0 ? computeTPoseCorrections(scene, boneNodes) : null;
  const getRestWorld = (node: Object3D | null, target: Quaternion): Quaternion => {
    if (!node) return target.identity();
    node.getWorldQuaternion(target);
    const correction = corrections?.get(node);
    return correction ? target.premultiply(correction) : target;
  };

  const { byBone, hipsPosition, unmapped } = retargetTracks(scene, clip, rig, getRestWorld);
  if (corrections) addRestTracks(byBone, boneNodes, getRestWorld);

  const mappedAnimated = animatedNodes.filter((nodeName) => !unmapped.has(nodeName));
  if (byBone.size === 0) throw noMappedBonesError(fileName, rig, mappedAnimated, unmapped);

  const rotations = VRM_HUMAN_BONE_NAMES.flatMap((bone) => {
    const track = byBone.get(bone);
    return track ? [{ bone, track }] : [];
  });
  return {
    rig,
    tracks: { rotations, hipsPosition, expressions: [], lookAt: null },
    unmappedBones: [...unmapped].sort(),
    warnings: offTPose.length === 0 ? [] : [notTPoseWarning(fileName, offTPose)],
  };
}

/** A node's rest world rotation (identity for none), swung into a T-pose where the rig needed it. */
type RestWorld = (node: Object3D | null, target: Quaternion) => Quaternion;

/** The take's rotation tracks retargeted to VRM bones, the hips position, and the nodes no bone maps. */
function retargetTracks(
  scene: Group,
  clip: AnimationClip,
  rig: 'mixamo' | 'vrm-humanoid',
  getRestWorld: RestWorld,
): {
  byBone: Map<VrmHumanBoneName, QuaternionKeyframeTrack>;
  hipsPosition: VectorKeyframeTrack | null;
  unmapped: Set<string>;
} {
  const byBone = new Map<VrmHumanBoneName, QuaternionKeyframeTrack>();
  let hipsPosition: VectorKeyframeTrack | null = null;
  const unmapped = new Set<string>();
  const restWorldInverse = new Quaternion();
  const parentRestWorld = new Quaternion();
  const key = new Quaternion();

  for (const track of clip.tracks) {
    const { nodeName, property } = splitTrackName(track.name);
    const bone = mapBone(rig, nodeName);
    const node = scene.getObjectByName(nodeName);
    if (!bone || !node) {
      unmapped.add(nodeName);
      continue;
    }
    if (property === 'quaternion') {
      getRestWorld(node, restWorldInverse).invert();
      getRestWorld(node.parent, parentRestWorld);
      const values = new Float32Array(track.values.length);
      for (let i = 0; i < track.values.length; i += 4) {
        key.fromArray(track.values, i).premultiply(parentRestWorld).multiply(restWorldInverse).normalize();
        key.toArray(values, i);
      }
      byBone.set(bone, new QuaternionKeyframeTrack(`${bone}.quaternion`, Array.from(track.times), values));
    } else if (property === 'position' && bone === 'hips') {
      hipsPosition = retargetHipsPosition(node, track);
    }
  }
  return { byBone, hipsPosition, unmapped };
}

/** A bone the take leaves alone still stands at its rest, which after the T-pose swing is a rotation. */
function addRestTracks(
  byBone: Map<VrmHumanBoneName, QuaternionKeyframeTrack>,
  boneNodes: ReturnType<typeof findBoneNodes>,
  getRestWorld: RestWorld,
): void {
  const restWorld = new Quaternion();
  for (const [bone, node] of boneNodes) {
    if (byBone.has(bone)) continue;
    const rest = getRestWorld(node.parent, new Quaternion())
      .multiply(node.quaternion)
      .multiply(getRestWorld(node, restWorld).invert());
    if (rest.angleTo(new Quaternion()) > 1e-6) {
      byBone.set(bone, new QuaternionKeyframeTrack(`${bone}.quaternion`, [0], rest.normalize().toArray()));
    }
  }
}

function unsupportedRigError(fileName: string, animatedNodes: string[]): PoseBakeError {
  return new PoseBakeError(
    'unsupported-rig',
    fileName,
    `${fileName}: unsupported rig. Expected a Mixamo skeleton (bones mixamorig:Hips, mixamorig:Spine, ` +
      'mixamorig:LeftArm, …) or bones named like VRM humanoid bones (hips, spine, leftUpperArm, …), ' +
      `but could not map any of its animated bones: ${listNames(animatedNodes)}. ` +
      'Download the animation from Mixamo, or retarget it to a Mixamo skeleton (e.g. in Blender) first.',
  );
}

function noMappedBonesError(
  fileName: string,
  rig: 'mixamo' | 'vrm-humanoid',
  mappedAnimated: string[],
  unmapped: Set<string>,
): PoseBakeError {
  return new PoseBakeError(
    'unsupported-rig',
    fileName,
    `${fileName}: looks like a ${rig === 'mixamo' ? 'Mixamo' : 'VRM-humanoid-named'} rig, but none of its animated ` +
      `bones could be mapped to VRM humanoid bones with a rotation track (mapped: ${listNames(mappedAnimated) || 'none'}; ` +
      `unmapped: ${listNames([...unmapped].sort()) || 'none'}). ` +
      'Download the animation from Mixamo again with a Mixamo character, or retarget it to a Mixamo skeleton first.',
  );
}

function notTPoseWarning(fileName: string, offTPose: string[]): string {
  return (
    `${fileName}: the rig's rest pose is not a T-pose facing +Z (off: ${offTPose.join(', ')}). ` +
    'Its arms and legs were swung into a T-pose for the retarget, which cannot recover limb twist; ' +
    'check the result, or use an animation exported for a T-pose character (on Mixamo, e.g. "Y Bot", ' +
    'or "Without Skin").'
  );
}

/** Limb segments and their direction in a T-pose facing +Z (the avatar's left is +X). */
const T_POSE_SEGMENTS: ReadonlyArray<{
  from: VrmHumanBoneName;
  to: VrmHumanBoneName;
  label: string;
  axis: Vector3;
  checked: boolean;
}> = [
  {
    from: 'leftUpperArm',
    to: 'leftLowerArm',
    label: 'left upper arm',
    axis: new Vector3(1, 0, 0),
    checked: true,
  },
  { from: 'leftLowerArm', to: 'leftHand', label: 'left forearm', axis: new Vector3(1, 0, 0), checked: false },
  {
    from: 'rightUpperArm',
    to: 'rightLowerArm',
    label: 'right upper arm',
    axis: new Vector3(-1, 0, 0),
    checked: true,
  },
  {
    from: 'rightLowerArm',
    to: 'rightHand',
    label: 'right forearm',
    axis: new Vector3(-1, 0, 0),
    checked: false,
  },
  {
    from: 'leftUpperLeg',
    to: 'leftLowerLeg',
    label: 'left thigh',
    axis: new Vector3(0, -1, 0),
    checked: true,
  },
  { from: 'leftLowerLeg', to: 'leftFoot', label: 'left shin', axis: new Vector3(0, -1, 0), checked: false },
  {
    from: 'rightUpperLeg',
    to: 'rightLowerLeg',
    label: 'right thigh',
    axis: new Vector3(0, -1, 0),
    checked: true,
  },
  {
    from: 'rightLowerLeg',
    to: 'rightFoot',
    label: 'right shin',
    axis: new Vector3(0, -1, 0),
    checked: false,
  },
];
/** A checked rest segment further than this from its T-pose direction means the rest is not a T-pose. */
const T_POSE_TOLERANCE_DEGREES = 20;

/** The first node of the scene mapped to each humanoid bone. */
function findBoneNodes(scene: Group, rig: 'mixamo' | 'vrm-humanoid'): Map<VrmHumanBoneName, Object3D> {
  const nodes = new Map<VrmHumanBoneName, Object3D>();
  scene.traverse((node) => {
    const bone = mapBone(rig, node.name);
    if (bone && !nodes.has(bone)) nodes.set(bone, node);
  });
  return nodes;
}

function getSegmentDirection(
  nodes: Map<VrmHumanBoneName, Object3D>,
  from: VrmHumanBoneName,
  to: VrmHumanBoneName,
) {
  const start = nodes.get(from);
  const end = nodes.get(to);
  if (!start || !end) return null;
  const direction = end.getWorldPosition(new Vector3()).sub(start.getWorldPosition(new Vector3()));
  return direction.lengthSq() > 0 ? direction.normalize() : null;
}

/** Upper arms and thighs whose rest direction is off the T-pose, as `"left upper arm 45°"`. */
function measureRestPoseOffsets(nodes: Map<VrmHumanBoneName, Object3D>): string[] {
  const off: string[] = [];
  for (const segment of T_POSE_SEGMENTS.filter((candidate) => candidate.checked)) {
    const direction = getSegmentDirection(nodes, segment.from, segment.to);
    if (!direction) continue;
    const degrees = (direction.angleTo(segment.axis) * 180) / Math.PI;
    if (degrees > T_POSE_TOLERANCE_DEGREES) off.push(`${segment.label} ${Math.round(degrees)}°`);
  }
  return off;
}

/**
 * Per node, the world rotation that takes its rest into a T-pose: each limb segment is swung (shortest arc)
 * onto its T-pose axis after its parents' swings; every other node inherits its parent's correction.
 */
function computeTPoseCorrections(
  scene: Group,
  nodes: Map<VrmHumanBoneName, Object3D>,
): Map<Object3D, Quaternion> {
  const swingByNode = new Map<Object3D, { direction: Vector3; axis: Vector3 }>();
  for (const segment of T_POSE_SEGMENTS) {
    const node = nodes.get(segment.from);
    const direction = getSegmentDirection(nodes, segment.from, segment.to);
    if (node && direction) swingByNode.set(node, { direction, axis: segment.axis });
  }
  const corrections = new Map<Object3D, Quaternion>();
  scene.traverse((node) => {
    // traverse visits parents before children
    const inherited = (node.parent && corrections.get(node.parent)?.clone()) || new Quaternion();
    const swing = swingByNode.get(node);
    if (swing) {
      const corrected = swing.direction.clone().applyQuaternion(inherited);
      inherited.premultiply(new Quaternion().setFromUnitVectors(corrected, swing.axis));
    }
    corrections.set(node, inherited);
  });
  return corrections;
}

/**
 * Hips position keys → rig world space (through the hips' parent rest matrix), in units of the rest hips
 * height. `null` when the rest hips height is not positive (no meaningful scale). Keys whose median height is
 * 0.3–3% of the rest height are taken as metres against centimetre bones and scaled by 100.
 */
function retargetHipsPosition(hips: Object3D, track: KeyframeTrack): VectorKeyframeTrack | null {
  const restWorld = hips.getWorldPosition(new Vector3());
  if (!(restWorld.y > 1e-6)) return null;
  const parentWorld = hips.parent ? hips.parent.matrixWorld : new Matrix4();
  const values = new Float32Array(track.values.length);
  const point = new Vector3();
  const heights: number[] = [];
  for (let i = 0; i < track.values.length; i += 3) {
    heights.push(point.fromArray(track.values, i).applyMatrix4(parentWorld).y);
  }
  heights.sort((a, b) => a - b);
  const medianRatio = (heights[Math.floor(heights.length / 2)] ?? 0) / restWorld.y;
  // Some exporters key the hips in metres while the bones rest in centimetres (FBXLoader ignores the
  // file's unit scale); a hips that would hover at ~1% of its rest height is that, not a real motion.
  const unitFix = medianRatio > 0.003 && medianRatio < 0.03 ? 100 : 1;
  for (let i = 0; i < track.values.length; i += 3) {
    point
      .fromArray(track.values, i)
      .applyMatrix4(parentWorld)
      .multiplyScalar(unitFix)
      .divideScalar(restWorld.y);
    point.toArray(values, i);
  }
  return new VectorKeyframeTrack('hips.position', Array.from(track.times), values);
}
