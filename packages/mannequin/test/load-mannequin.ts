import { VRMLoaderPlugin } from '@pixiv/three-vrm';
import type * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

/**
 * The parts of three-vrm's `VRM` the tests use. three-vrm's published .d.ts files use extensionless
 * relative imports that NodeNext resolution cannot follow, so its re-exported types arrive as `any`.
 */
export interface LoadedVrm {
  scene: THREE.Group;
  meta: Record<string, unknown> & { metaVersion: '0' | '1' };
  humanoid: {
    getRawBoneNode(name: string): THREE.Object3D | null;
    getNormalizedBoneNode(name: string): THREE.Object3D | null;
  };
  expressionManager?: {
    expressions: { expressionName: string }[];
    getExpression(name: string): unknown;
    setValue(name: string, weight: number): void;
  };
  lookAt?: {
    applier: object;
    faceFront: THREE.Vector3;
    lookAt(target: THREE.Vector3): void;
    update(deltaSeconds: number): void;
    reset(): void;
  };
  springBoneManager?: { joints: Set<{ bone: THREE.Object3D }>; reset(): void };
  update(deltaSeconds: number): void;
}

/** Parses VRM bytes with three's GLTFLoader and three-vrm's loader plugin, in Node (no browser). */
export async function loadMannequin(bytes: Uint8Array): Promise<LoadedVrm> {
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const gltf = await loader.parseAsync(buffer, '');
  const vrm = gltf.userData.vrm as LoadedVrm | undefined;
  if (!vrm) throw new Error('three-vrm found no VRM in the mannequin');
  return vrm;
}

/** Turns a VRM 0.x model to face +Z, as `VRMUtils.rotateVRM0` does (and as the renderer does). */
export function rotateVrm0(vrm: LoadedVrm): void {
  if (vrm.meta.metaVersion === '0') vrm.scene.rotation.y = Math.PI;
}
