// Two exports of @pixiv/three-vrm that this repo's type-check cannot see: its type declarations re-export
// them through `export *` with extensionless paths, which NodeNext resolution does not follow (checked: with
// `moduleResolution: Bundler` both are visible). They are there at run time, and esbuild bundles them like
// the rest of three-vrm.
import * as threeVrm from '@pixiv/three-vrm';
import type * as THREE from 'three';

interface HiddenExports {
  VRMUtils: { deepDispose(object: THREE.Object3D): void };
  VRMExpressionLoaderPlugin: { v0v1PresetNameMap: Readonly<Record<string, string>> };
}
const hidden = threeVrm as unknown as HiddenExports;

/** three-vrm's `VRMUtils.deepDispose`: disposes every geometry, material (and its textures) and skeleton below `object`. */
export function deepDispose(object: THREE.Object3D): void {
  hidden.VRMUtils.deepDispose(object);
}

/** three-vrm's `VRMExpressionLoaderPlugin.v0v1PresetNameMap`: VRM 0.x preset names (lower case) → VRM 1.0 names. */
export const V0_V1_PRESET_NAMES: Readonly<Record<string, string | undefined>> =
  hidden.VRMExpressionLoaderPlugin.v0v1PresetNameMap;
