import { VRM_HUMAN_BONE_NAMES, type VrmHumanBoneName } from '@vrm-lora/manifest';
import { Euler, MathUtils, Quaternion, QuaternionKeyframeTrack, VectorKeyframeTrack } from 'three';
import { BUILTIN_POSE_TABLE, type BuiltinPose } from './builtin-pose-table.js';
import type { RetargetedTracks } from './loaded-clip.js';

export type { BuiltinPose };

/** Names of the built-in poses (address them as `builtin:<name>`), in table order. */
export function listBuiltinPoses(): string[] {
  return Object.keys(BUILTIN_POSE_TABLE);
}

/** The data of one built-in pose, or `undefined`. */
export function findBuiltinPose(name: string): BuiltinPose | undefined {
  return Object.hasOwn(BUILTIN_POSE_TABLE, name) ? BUILTIN_POSE_TABLE[name] : undefined;
}

/** One-key tracks for a built-in pose (euler degrees, order XYZ, → quaternions). */
export function createBuiltinTracks(pose: BuiltinPose): RetargetedTracks {
  const euler = new Euler();
  const quaternion = new Quaternion();
  const rotations = VRM_HUMAN_BONE_NAMES.flatMap((bone: VrmHumanBoneName) => {
    const degrees = pose.bones[bone];
    if (!degrees) return [];
    euler.set(
      MathUtils.degToRad(degrees[0]),
      MathUtils.degToRad(degrees[1]),
      MathUtils.degToRad(degrees[2]),
      'XYZ',
    );
    quaternion.setFromEuler(euler);
    return [{ bone, track: new QuaternionKeyframeTrack(`${bone}.quaternion`, [0], quaternion.toArray()) }];
  });
  const hipsPosition = pose.hipsPosition
    ? new VectorKeyframeTrack('hips.position', [0], [...pose.hipsPosition])
    : null;
  return { rotations, hipsPosition, expressions: [], lookAt: null };
}
