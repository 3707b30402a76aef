// @vrm-lora/pose-baker: animation file + frame → avatar-independent pose file.

export { type BakePoseOptions, bakePose } from './bake-pose.js';
export { BAKER_VERSION } from './baker-version.js';
export { BUILTIN_POSE_TABLE as BUILTIN_POSES } from './builtin-pose-table.js';
export { type BuiltinPose, createBuiltinTracks, findBuiltinPose, listBuiltinPoses } from './builtin-poses.js';
export { BUILTIN_PREFIX, type ClipInput, type LoadClipOptions, loadClip } from './load-clip.js';
export type { ClipKind, LoadedClip, RetargetedTracks, SourceRig } from './loaded-clip.js';
export { findMixamoVrmBone, MIXAMO_VRM_BONE_MAP } from './mixamo-vrm-bone-map.js';
export { createStubLoadingManager, parseFbxScene } from './parse-fbx-scene.js';
export { PoseBakeError, type PoseBakeErrorCode } from './pose-bake-error.js';
export { readFbxFrameRate } from './read-fbx-frame-rate.js';
export {
  resolveSampleTime,
  type SampleAt,
  type SampleClipOptions,
  type SampleWrap,
  sampleClip,
} from './sample-clip.js';
