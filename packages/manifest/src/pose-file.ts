import { z } from 'zod';

/**
 * The pose file: one sampled animation frame, independent of any avatar.
 *
 * Written by `@vrm-lora/pose-baker`, read by `@vrm-lora/renderer`. Rotations are in three-vrm's
 * *normalized* humanoid bone space (every bone's rest rotation is identity, the avatar faces +Z as in
 * VRM 1.0), so a pose applies to any VRM via `vrm.humanoid.getNormalizedBoneNode(name).quaternion`.
 * Turning the pose for VRM 0.x models is the renderer's job, not this file's.
 */
export const POSE_FILE_FORMAT = 'vrm-lora/pose';
/** Bumped on any change of meaning of the fields below. */
export const POSE_FILE_VERSION = 1;

/** The VRM 1.0 humanoid bone names (three-vrm's `VRMHumanBoneName` values). */
export const VRM_HUMAN_BONE_NAMES = [
  'hips',
  'spine',
  'chest',
  'upperChest',
  'neck',
  'head',
  'leftEye',
  'rightEye',
  'jaw',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
  'leftToes',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
  'rightToes',
  'leftShoulder',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightShoulder',
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  'leftThumbMetacarpal',
  'leftThumbProximal',
  'leftThumbDistal',
  'leftIndexProximal',
  'leftIndexIntermediate',
  'leftIndexDistal',
  'leftMiddleProximal',
  'leftMiddleIntermediate',
  'leftMiddleDistal',
  'leftRingProximal',
  'leftRingIntermediate',
  'leftRingDistal',
  'leftLittleProximal',
  'leftLittleIntermediate',
  'leftLittleDistal',
  'rightThumbMetacarpal',
  'rightThumbProximal',
  'rightThumbDistal',
  'rightIndexProximal',
  'rightIndexIntermediate',
  'rightIndexDistal',
  'rightMiddleProximal',
  'rightMiddleIntermediate',
  'rightMiddleDistal',
  'rightRingProximal',
  'rightRingIntermediate',
  'rightRingDistal',
  'rightLittleProximal',
  'rightLittleIntermediate',
  'rightLittleDistal',
] as const;
export type VrmHumanBoneName = (typeof VRM_HUMAN_BONE_NAMES)[number];

const finite = z.number().finite();
/** A unit quaternion `[x, y, z, w]`. */
export const quaternionSchema = z.tuple([finite, finite, finite, finite]);
export const vector3Schema = z.tuple([finite, finite, finite]);

export const poseSourceSchema = z.object({
  /** What kind of input the pose came from. */
  kind: z.enum(['fbx', 'vrma', 'builtin']),
  /** File name (not a path: pose files are shareable) or `builtin:<name>`. */
  name: z.string(),
  /** sha256 (hex) of the input file's bytes; for built-in poses, of the pose's data. */
  contentSha256: z.string(),
  /** The animation take / clip name that was sampled. */
  take: z.string(),
  /** Time sampled, seconds from the clip start. */
  timeSeconds: finite,
  /** The clip's frame rate as stored in the file (frames per second). */
  frameRate: finite,
  /** The clip's length. */
  durationSeconds: finite,
  frameCount: z.number().int().nonnegative(),
  /** Version string of the baker that wrote the file. */
  bakerVersion: z.string(),
});

export const poseFileSchema = z.object({
  format: z.literal(POSE_FILE_FORMAT),
  version: z.literal(POSE_FILE_VERSION),
  /** Per humanoid bone: local rotation in normalized-bone space. Bones absent here stay at rest. */
  bones: z.partialRecord(z.enum(VRM_HUMAN_BONE_NAMES), z.object({ rotation: quaternionSchema })),
  /**
   * Hips position in the avatar's normalized space, in units of the *source* rig's rest hips height
   * (so standing upright is about `[0, 1, 0]`). The renderer multiplies by its avatar's hips height.
   * Absent: hips stay at rest height.
   */
  hipsPosition: vector3Schema.optional(),
  /** Expression weights 0..1 by expression name (from VRMA expression tracks). */
  expressions: z.record(z.string(), z.number().min(0).max(1)).optional(),
  /** Eye direction (from VRMA look-at tracks), degrees: yaw positive to the avatar's left, pitch positive up. */
  lookAt: z.object({ yawDegrees: finite, pitchDegrees: finite }).optional(),
  source: poseSourceSchema,
});

export type PoseFile = z.infer<typeof poseFileSchema>;
export type PoseSource = z.infer<typeof poseSourceSchema>;
