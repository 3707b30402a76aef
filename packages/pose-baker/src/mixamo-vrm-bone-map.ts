import type { VrmHumanBoneName } from '@vrm-lora/manifest';

/**
 * Mixamo bone name (without the `mixamorig:` / `mixamorig1:` prefix) → VRM humanoid bone.
 * The same table as three-vrm's `examples/humanoidAnimation/mixamoVRMRigMap.js`.
 */
export const MIXAMO_VRM_BONE_MAP: Readonly<Record<string, VrmHumanBoneName>> = {
  Hips: 'hips',
  Spine: 'spine',
  Spine1: 'chest',
  Spine2: 'upperChest',
  Neck: 'neck',
  Head: 'head',
  LeftShoulder: 'leftShoulder',
  LeftArm: 'leftUpperArm',
  LeftForeArm: 'leftLowerArm',
  LeftHand: 'leftHand',
  LeftHandThumb1: 'leftThumbMetacarpal',
  LeftHandThumb2: 'leftThumbProximal',
  LeftHandThumb3: 'leftThumbDistal',
  LeftHandIndex1: 'leftIndexProximal',
  LeftHandIndex2: 'leftIndexIntermediate',
  LeftHandIndex3: 'leftIndexDistal',
  LeftHandMiddle1: 'leftMiddleProximal',
  LeftHandMiddle2: 'leftMiddleIntermediate',
  LeftHandMiddle3: 'leftMiddleDistal',
  LeftHandRing1: 'leftRingProximal',
  LeftHandRing2: 'leftRingIntermediate',
  LeftHandRing3: 'leftRingDistal',
  LeftHandPinky1: 'leftLittleProximal',
  LeftHandPinky2: 'leftLittleIntermediate',
  LeftHandPinky3: 'leftLittleDistal',
  RightShoulder: 'rightShoulder',
  RightArm: 'rightUpperArm',
  RightForeArm: 'rightLowerArm',
  RightHand: 'rightHand',
  RightHandPinky1: 'rightLittleProximal',
  RightHandPinky2: 'rightLittleIntermediate',
  RightHandPinky3: 'rightLittleDistal',
  RightHandRing1: 'rightRingProximal',
  RightHandRing2: 'rightRingIntermediate',
  RightHandRing3: 'rightRingDistal',
  RightHandMiddle1: 'rightMiddleProximal',
  RightHandMiddle2: 'rightMiddleIntermediate',
  RightHandMiddle3: 'rightMiddleDistal',
  RightHandIndex1: 'rightIndexProximal',
  RightHandIndex2: 'rightIndexIntermediate',
  RightHandIndex3: 'rightIndexDistal',
  RightHandThumb1: 'rightThumbMetacarpal',
  RightHandThumb2: 'rightThumbProximal',
  RightHandThumb3: 'rightThumbDistal',
  LeftUpLeg: 'leftUpperLeg',
  LeftLeg: 'leftLowerLeg',
  LeftFoot: 'leftFoot',
  LeftToeBase: 'leftToes',
  RightUpLeg: 'rightUpperLeg',
  RightLeg: 'rightLowerLeg',
  RightFoot: 'rightFoot',
  RightToeBase: 'rightToes',
};

/**
 * Mixamo's node-name prefix as three.js's FBXLoader leaves it: `mixamorig:Hips` becomes `mixamorigHips`
 * (the colon is stripped), `mixamorig1:Hips` becomes `mixamorig1Hips`; an underscore variant is accepted too.
 */
const MIXAMO_PREFIX = /^mixamorig\d*[:_]?/i;

/** The VRM bone for a (sanitized) Mixamo node name, or `undefined` when it is not a mapped Mixamo bone. */
export function findMixamoVrmBone(nodeName: string): VrmHumanBoneName | undefined {
  const match = MIXAMO_PREFIX.exec(nodeName);
  if (!match) return undefined;
  const suffix = nodeName.slice(match[0].length);
  return Object.hasOwn(MIXAMO_VRM_BONE_MAP, suffix) ? MIXAMO_VRM_BONE_MAP[suffix] : undefined;
}

/** Whether a node name carries Mixamo's prefix at all. */
export function isMixamoNodeName(nodeName: string): boolean {
  return MIXAMO_PREFIX.test(nodeName);
}
