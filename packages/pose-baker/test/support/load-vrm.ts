import fs from 'node:fs';
import { type VRM, VRMLoaderPlugin } from '@pixiv/three-vrm';
import type { PoseFile } from '@vrm-lora/manifest';
import { Box3, type Object3D, type SkinnedMesh, Texture, Vector3 } from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';

/**
 * Loads a VRM in plain Node. Textures are answered with empty ones by a GLTFLoader plugin (GLTFLoader's image
 * path needs `self`/`document`); geometry, skin and humanoid are real.
 */
export async function loadVrmFile(filePath: string): Promise<VRM> {
  const bytes = fs.readFileSync(filePath);
  const loader = new GLTFLoader();
  loader.register(() => ({
    name: 'vrm-lora-test-stub-textures',
    loadTexture: () => Promise.resolve(new Texture()),
  }));
  loader.register((parser) => new VRMLoaderPlugin(parser));
  const gltf = await loader.parseAsync(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    '',
  );
  const vrm = gltf.userData.vrm as VRM | undefined;
  if (!vrm) throw new Error(`${filePath}: not a VRM`);
  return vrm;
}

/**
 * Applies a pose file the way the renderer does for a VRM 1.0 model: normalized bone rotations, hips position
 * scaled by the avatar's rest hips height, then `humanoid.update()` copies normalized → raw bones.
 */
export function applyPoseFile(vrm: VRM, pose: PoseFile): void {
  vrm.humanoid.resetNormalizedPose();
  for (const [bone, value] of Object.entries(pose.bones)) {
    const node = vrm.humanoid.getNormalizedBoneNode(
      bone as Parameters<typeof vrm.humanoid.getNormalizedBoneNode>[0],
    );
    node?.quaternion.fromArray(value.rotation).normalize();
  }
  const hipsHeight = vrm.humanoid.normalizedRestPose.hips?.position?.[1] ?? 1;
  if (pose.hipsPosition) {
    vrm.humanoid
      .getNormalizedBoneNode('hips')
      ?.position.fromArray(pose.hipsPosition)
      .multiplyScalar(hipsHeight);
  }
  vrm.humanoid.update();
  vrm.scene.updateMatrixWorld(true);
}

/** World position of a raw humanoid bone. */
export function getBoneWorldPosition(vrm: VRM, bone: string): Vector3 {
  const node = vrm.humanoid.getRawBoneNode(bone as Parameters<typeof vrm.humanoid.getRawBoneNode>[0]);
  if (!node) throw new Error(`avatar has no ${bone}`);
  return node.getWorldPosition(new Vector3());
}

/** Bounds of the skinned meshes in their current pose (every `stride`-th vertex, skinning applied). */
export function measureSkinnedBounds(root: Object3D, stride = 5): Box3 {
  const box = new Box3();
  const vertex = new Vector3();
  root.traverse((object) => {
    const mesh = object as SkinnedMesh;
    if (!mesh.isSkinnedMesh) return;
    const count = mesh.geometry.attributes.position?.count ?? 0;
    for (let i = 0; i < count; i += stride) {
      mesh.getVertexPosition(i, vertex);
      box.expandByPoint(mesh.localToWorld(vertex));
    }
  });
  return box;
}
