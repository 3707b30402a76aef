// OpenPose keypoints of the posed avatar, projected with the shot's camera (the page side of conditioning).
// Body: the 18-keypoint COCO layout OpenPose draws; hands: OpenPose's 21 points per hand; face: its 70 points
// (project-face.ts). See docs/conditioning.md.
import type { VRM } from '@pixiv/three-vrm';
import * as THREE from 'three';
import {
  EYE_HEIGHT_ABOVE_HEAD_METRES,
  FINGERTIP_EXTENSION,
  HEAD_KEYPOINT_OFFSETS,
  REFERENCE_HIPS_HEIGHT_METRES,
} from '../conditioning-rules.js';
import type { PageKeypoints, ProjectedKeypoint } from '../protocol.js';
import type { FaceRig } from './face-rig.js';
import { projectFace } from './project-face.js';

type BoneName = Parameters<VRM['humanoid']['getRawBoneNode']>[0];

const BODY_BONES: readonly (string | null)[] = [
  null, // 0 nose (derived)
  null, // 1 neck: midpoint of the shoulders, as OpenPose's COCO models place it
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  null, // 14 right eye
  null, // 15 left eye
  null, // 16 right ear
  null, // 17 left ear
];

const FINGERS = ['Thumb', 'Index', 'Middle', 'Ring', 'Little'] as const;

function world(vrm: VRM, name: string): THREE.Vector3 | null {
  const node = vrm.humanoid.getRawBoneNode(name as BoneName);
  return node ? node.getWorldPosition(new THREE.Vector3()) : null;
}

/** Projects world points to image pixels (y down); out of frame or behind the camera → visibility 0. */
function makeProjector(camera: THREE.PerspectiveCamera, width: number, height: number) {
  const view = new THREE.Vector3();
  const ndc = new THREE.Vector3();
  return (p: THREE.Vector3 | null, facing = true): ProjectedKeypoint | null => {
    if (!p) return null;
    view.copy(p).applyMatrix4(camera.matrixWorldInverse);
    ndc.copy(p).project(camera);
    const x = ((ndc.x + 1) / 2) * width;
    const y = ((1 - ndc.y) / 2) * height;
    const inFrame = view.z < 0 && x >= 0 && x < width && y >= 0 && y < height;
    return [round3(x), round3(y), inFrame ? (facing ? 2 : 1) : 0];
  };
}

/** The head's keypoints (eyes, nose, ears) in world space, with whether each faces the camera. */
function headPoints(vrm: VRM, camera: THREE.PerspectiveCamera, hipsHeightMetres: number) {
  const head = world(vrm, 'head');
  const headNode = vrm.humanoid.getNormalizedBoneNode('head');
  if (!head || !headNode) return null;
  // The pose's rotation of the head in world space: the normalized bones rest with identity rotations, so the
  // rest world rotation is the scene's own (180° about Y for VRM 0.x).
  const rotation = headNode
    .getWorldQuaternion(new THREE.Quaternion())
    .multiply(vrm.scene.getWorldQuaternion(new THREE.Quaternion()).invert());
  const boneLeftEye = world(vrm, 'leftEye');
  const boneRightEye = world(vrm, 'rightEye');
  const up = new THREE.Vector3(0, 1, 0).applyQuaternion(rotation);
  const scale =
    boneLeftEye && boneRightEye
      ? boneLeftEye.clone().add(boneRightEye).multiplyScalar(0.5).sub(head).dot(up) /
        EYE_HEIGHT_ABOVE_HEAD_METRES
      : hipsHeightMetres / REFERENCE_HIPS_HEIGHT_METRES;
  const at = (from: THREE.Vector3, offset: readonly number[], side: number) =>
    new THREE.Vector3(side * offset[0]!, offset[1]!, offset[2]!)
      .multiplyScalar(scale)
      .applyQuaternion(rotation)
      .add(from);
  const leftEye = boneLeftEye ?? at(head, HEAD_KEYPOINT_OFFSETS.eye, 1);
  const rightEye = boneRightEye ?? at(head, HEAD_KEYPOINT_OFFSETS.eye, -1);
  const eyes = leftEye.clone().add(rightEye).multiplyScalar(0.5);
  const nose = at(eyes, HEAD_KEYPOINT_OFFSETS.noseFromEyes, 0);
  const leftEar = at(head, HEAD_KEYPOINT_OFFSETS.ear, 1);
  const rightEar = at(head, HEAD_KEYPOINT_OFFSETS.ear, -1);
  // Facing tests (a detector sees no face from behind, and not the far ear from the side).
  const forward = new THREE.Vector3(0, 0, 1).applyQuaternion(rotation);
  const left = new THREE.Vector3(1, 0, 0).applyQuaternion(rotation);
  const toCamera = (p: THREE.Vector3) => camera.position.clone().sub(p).normalize();
  const faces = (p: THREE.Vector3, direction: THREE.Vector3, limit: number) =>
    direction.clone().normalize().dot(toCamera(p)) > limit;
  return {
    nose: [nose, faces(nose, forward, 0)] as const,
    rightEye: [rightEye, faces(rightEye, forward.clone().addScaledVector(left, -0.5), 0)] as const,
    leftEye: [leftEye, faces(leftEye, forward.clone().addScaledVector(left, 0.5), 0)] as const,
    rightEar: [rightEar, faces(rightEar, left.clone().negate(), -0.3)] as const,
    leftEar: [leftEar, faces(leftEar, left, -0.3)] as const,
  };
}

/** OpenPose's 21 hand points (wrist, then thumb, index, middle, ring, little: 4 each), or null without finger bones. */
function handPoints(vrm: VRM, side: 'left' | 'right'): THREE.Vector3[] | null {
  const wrist = world(vrm, `${side}Hand`);
  if (!wrist) return null;
  const points = [wrist];
  for (const finger of FINGERS) {
    const names =
      finger === 'Thumb'
        ? ['ThumbMetacarpal', 'ThumbProximal', 'ThumbDistal']
        : [`${finger}Proximal`, `${finger}Intermediate`, `${finger}Distal`];
    const joints = names.map((n) => world(vrm, `${side}${n}`));
    if (joints.some((j) => j === null)) return null;
    const [, b, c] = joints as THREE.Vector3[];
    const tip = c!.clone().addScaledVector(c!.clone().sub(b!), FINGERTIP_EXTENSION);
    points.push(...(joints as THREE.Vector3[]), tip);
  }
  return points;
}

/** Every keypoint of the posed avatar in image pixels (x right, y down) with COCO visibility (0, 1, 2). */
export function projectKeypoints(
  vrm: VRM,
  camera: THREE.PerspectiveCamera,
  width: number,
  height: number,
  hipsHeightMetres: number,
  face: { rig: FaceRig | null; vertices: Float32Array } | null = null,
): PageKeypoints {
  const project = makeProjector(camera, width, height);
  const headKeypoints = headPoints(vrm, camera, hipsHeightMetres);
  const rightShoulder = world(vrm, 'rightUpperArm');
  const leftShoulder = world(vrm, 'leftUpperArm');
  const neck =
    rightShoulder && leftShoulder ? rightShoulder.clone().add(leftShoulder).multiplyScalar(0.5) : null;
  const derived: Record<number, readonly [THREE.Vector3, boolean] | undefined> = headKeypoints
    ? {
        0: headKeypoints.nose,
        14: headKeypoints.rightEye,
        15: headKeypoints.leftEye,
        16: headKeypoints.rightEar,
        17: headKeypoints.leftEar,
      }
    : {};
  const body = BODY_BONES.map((bone, i) => {
    if (i === 1) return project(neck);
    if (bone) return project(world(vrm, bone));
    const point = derived[i];
    return point ? project(point[0], point[1]) : null;
  });
  const hand = (side: 'left' | 'right') => handPoints(vrm, side)?.map((p) => project(p)!) ?? null;
  const faceFacing = headKeypoints?.nose[1] ?? false;
  const facePoints = projectFace(
    face?.rig ?? null,
    face?.vertices ?? null,
    camera,
    height,
    faceFacing,
    project,
  );
  return { body, leftHand: hand('left'), rightHand: hand('right'), face: facePoints };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
