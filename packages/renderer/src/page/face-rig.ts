// The face landmarks' vertices, chosen once per avatar at load (see choose-face-vertices.ts), and the eyes'
// pupils as points carried by the eye bones.
import type { VRM } from '@pixiv/three-vrm';
import * as THREE from 'three';
import {
  chooseFaceVertices,
  FACE_VERTEX_ROLE,
  type FaceVertices,
  faceFitProblem,
} from '../choose-face-vertices.js';
import { HEAD_KEYPOINT_OFFSETS, REFERENCE_HIPS_HEIGHT_METRES } from '../conditioning-rules.js';
import { FACE_TEMPLATE_EYE_DISTANCE_MM } from '../face-template.js';
import { boneWorld, collectWorldVertices } from './avatar-geometry.js';
import { applyCpuMorphs, type CpuMorphMesh } from './cpu-morphs.js';
import { resolveExpression } from './pose-avatar.js';

/** A pupil: a point fixed in its eye bone's frame (the eye's frontmost vertex at rest), or the bone itself. */
interface Pupil {
  node: THREE.Object3D;
  local: THREE.Vector3;
}

/** What the shot needs to place the 70 face points of an avatar. */
export interface FaceRig {
  /** Vertices of `collectWorldVertices` at load; a shot with another count has no face points. */
  vertexCount: number;
  /** Index (in `collectWorldVertices` order) of the vertex carrying each of the 68 landmarks, −1 for none. */
  landmarks: Int32Array;
  /** OpenPose's points 68 (right pupil) and 69 (left pupil); null without eye bones. */
  pupils: [Pupil, Pupil] | null;
  /** The avatar's distance between its eyes, metres. */
  eyeDistanceMetres: number;
}

interface Weights {
  head: Float32Array;
  eye: Float32Array;
  leftEye: Float32Array;
  rightEye: Float32Array;
}

/** Skin weight of each vertex (`collectWorldVertices` order) on the head's bones, the eyes' and each eye's. */
function skinWeights(vrm: VRM, count: number): Weights {
  const node = (name: string) =>
    vrm.humanoid.getRawBoneNode(name as Parameters<typeof vrm.humanoid.getRawBoneNode>[0]);
  const under = (root: THREE.Object3D | null) => {
    const set = new Set<THREE.Object3D>();
    root?.traverse((o) => set.add(o));
    return set;
  };
  const springs = new Set<THREE.Object3D>();
  for (const joint of vrm.springBoneManager?.joints ?? []) springs.add(joint.bone);
  const head = under(node('head'));
  const left = under(node('leftEye'));
  const right = under(node('rightEye'));
  const out: Weights = {
    head: new Float32Array(count),
    eye: new Float32Array(count),
    leftEye: new Float32Array(count),
    rightEye: new Float32Array(count),
  };
  let o = 0;
  vrm.scene.traverseVisible((object: THREE.Object3D) => {
    const mesh = object as THREE.SkinnedMesh;
    const position = mesh.isMesh ? mesh.geometry.getAttribute('position') : undefined;
    if (!position) return;
    const index = mesh.isSkinnedMesh ? mesh.geometry.getAttribute('skinIndex') : undefined;
    const weight = mesh.isSkinnedMesh ? mesh.geometry.getAttribute('skinWeight') : undefined;
    let parentInHead = false;
    mesh.traverseAncestors((a) => {
      parentInHead ||= head.has(a);
    });
    for (let i = 0; i < position.count; i++, o++) {
      if (!index || !weight) {
        out.head[o] = parentInHead ? 1 : 0;
        continue;
      }
      for (let j = 0; j < 4; j++) {
        const bone = mesh.skeleton.bones[index.getComponent(i, j)];
        const w = weight.getComponent(i, j);
        if (!bone || !w) continue;
        if (head.has(bone) && !springs.has(bone)) out.head[o] = out.head[o]! + w;
        if (left.has(bone) || right.has(bone)) out.eye[o] = out.eye[o]! + w;
        if (left.has(bone)) out.leftEye[o] = out.leftEye[o]! + w;
        if (right.has(bone)) out.rightEye[o] = out.rightEye[o]! + w;
      }
    }
  });
  return out;
}

/** The avatar's eyes at rest (the eye bones, else derived from the head as the OpenPose eyes are). */
function restEyes(vrm: VRM, hipsHeightMetres: number): [THREE.Vector3, THREE.Vector3] | null {
  const left = boneWorld(vrm, 'leftEye');
  const right = boneWorld(vrm, 'rightEye');
  if (left && right) return [left, right];
  const head = boneWorld(vrm, 'head');
  if (!head) return null;
  const s = hipsHeightMetres / REFERENCE_HIPS_HEIGHT_METRES;
  const [x, y, z] = HEAD_KEYPOINT_OFFSETS.eye;
  return [
    head.clone().add(new THREE.Vector3(x, y, z).multiplyScalar(s)),
    head.clone().add(new THREE.Vector3(-x, y, z).multiplyScalar(s)),
  ];
}

/** The vertices' vertical drop (mm of the template) under one expression at full weight, or undefined. */
function dropUnder(
  vrm: VRM,
  cpuMorphs: readonly CpuMorphMesh[],
  expression: string,
  rest: Float32Array,
  mmPerMetre: number,
): Float32Array | undefined {
  const manager = vrm.expressionManager;
  const name = manager ? resolveExpression(expression, Object.keys(manager.expressionMap)) : null;
  if (!manager || !name) return undefined;
  manager.setValue(name, 1);
  manager.update();
  applyCpuMorphs(cpuMorphs);
  const moved = collectWorldVertices(vrm);
  manager.setValue(name, 0);
  manager.update();
  applyCpuMorphs(cpuMorphs);
  const drop = new Float32Array(rest.length / 3);
  for (let i = 0; i < drop.length; i++) drop[i] = (rest[i * 3 + 1]! - moved[i * 3 + 1]!) * mmPerMetre;
  return drop;
}

/**
 * The pupil in its eye bone's frame: on the bone's forward axis at rest (the gaze straight ahead, +Z), as far in
 * front of the bone as the eye's frontmost vertex (the cornea); the bone itself without eye vertices.
 */
function pupilOf(vrm: VRM, side: 'left' | 'right', rest: Float32Array, weight: Float32Array): Pupil | null {
  const node = vrm.humanoid.getRawBoneNode(`${side}Eye`);
  if (!node) return null;
  const centre = node.getWorldPosition(new THREE.Vector3());
  let front = 0;
  for (let i = 0; i < weight.length; i++) {
    if (weight[i]! >= 0.5) front = Math.max(front, rest[i * 3 + 2]! - centre.z);
  }
  return { node, local: node.worldToLocal(centre.add(new THREE.Vector3(0, 0, front))) };
}

/**
 * Chooses the face's vertices on the avatar as loaded (rest pose, neutral face, facing +Z, its left +X):
 * the template is placed between the eyes, scaled by their distance, and each landmark takes the vertex
 * `chooseFaceVertices` picks. Null when the avatar has no head, or its head no face (`faceFitProblem`).
 */
export function buildFaceRig(
  vrm: VRM,
  cpuMorphs: readonly CpuMorphMesh[],
  hipsHeightMetres: number,
): FaceRig | null {
  const eyes = restEyes(vrm, hipsHeightMetres);
  if (!eyes) return null;
  const [leftEye, rightEye] = eyes;
  const eyeDistanceMetres = leftEye.distanceTo(rightEye);
  if (!(eyeDistanceMetres > 0)) return null;
  const mmPerMetre = FACE_TEMPLATE_EYE_DISTANCE_MM / eyeDistanceMetres;
  const origin = leftEye.clone().add(rightEye).multiplyScalar(0.5);
  applyCpuMorphs(cpuMorphs);
  const world = collectWorldVertices(vrm);
  const count = world.length / 3;
  const weights = skinWeights(vrm, count);
  const rest = new Float32Array(world.length);
  const role = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const u = (world[i * 3]! - origin.x) * mmPerMetre;
    const v = (world[i * 3 + 1]! - origin.y) * mmPerMetre;
    const w = (world[i * 3 + 2]! - origin.z) * mmPerMetre;
    rest[i * 3] = u;
    rest[i * 3 + 1] = v;
    rest[i * 3 + 2] = w;
    const nearFace = Math.abs(u) < 120 && v > -160 && v < 100 && w > -80;
    if (!nearFace) continue;
    if (weights.eye[i]! >= 0.5) role[i] = FACE_VERTEX_ROLE.occluderOnly;
    else if (weights.head[i]! >= 0.5) role[i] = FACE_VERTEX_ROLE.candidate;
  }
  const vertices: FaceVertices = { rest, role, drop: {} };
  const aa = dropUnder(vrm, cpuMorphs, 'aa', world, mmPerMetre);
  const blink = dropUnder(vrm, cpuMorphs, 'blink', world, mmPerMetre);
  if (aa) vertices.drop.aa = aa;
  if (blink) vertices.drop.blink = blink;
  const right = pupilOf(vrm, 'right', world, weights.rightEye);
  const left = pupilOf(vrm, 'left', world, weights.leftEye);
  const landmarks = chooseFaceVertices(vertices);
  // A head with no face (an egg, a robot's boxes) gets no face points, as a detector would find none.
  if (faceFitProblem(vertices, landmarks)) return null;
  return {
    vertexCount: count,
    landmarks,
    pupils: right && left ? [right, left] : null,
    eyeDistanceMetres,
  };
}
