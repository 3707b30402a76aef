import { type VRM, VRMLoaderPlugin } from '@pixiv/three-vrm';
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import type { PageAvatarInfo, PageResult } from '../protocol.js';
import { moveMorphsToCpu } from './cpu-morphs.js';
import { buildFaceRig } from './face-rig.js';
import { fail, type PageState } from './page-state.js';
import { deepDispose } from './three-vrm-extras.js';

/**
 * Fetches the avatar at `url`, parses it (glTF + VRM), adds it to the scene in place of the one before
 * (disposed) and warms it up; a no-op when `key` is already loaded.
 */
export async function loadAvatar(
  state: PageState,
  key: string,
  url: string,
): Promise<PageResult<{ avatar: PageAvatarInfo }>> {
  if (state.avatar?.info.key === key) return { ok: true, avatar: state.avatar.info };
  const started = performance.now();
  if (state.avatar) {
    state.scene.remove(state.avatar.vrm.scene);
    deepDispose(state.avatar.vrm.scene);
    state.avatar = null;
  }
  const response = await fetch(url);
  const bytes = await response.arrayBuffer();
  const fetched = performance.now();
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  let vrm: VRM | undefined;
  try {
    const gltf = await loader.parseAsync(bytes, `${location.origin}/avatar-resources/`);
    vrm = gltf.userData.vrm as VRM | undefined;
  } catch (error) {
    return fail(
      'invalid-avatar',
      `not a readable glTF/VRM file: ${String((error as Error)?.message ?? error)}`,
    );
  }
  if (!vrm) return fail('invalid-avatar', 'the file is glTF but has no VRM extension (VRMC_vrm or VRM)');
  if (!vrm.humanoid) return fail('invalid-avatar', 'the VRM has no humanoid');
  const isVrm0 = vrm.meta?.metaVersion === '0';
  // VRM 0.x faces -Z; this is the one place where it is turned to face +Z like VRM 1.0 (what three-vrm's
  // VRMUtils.rotateVRM0 does). Pose rotations are converted to match in `toModelSpace` (pose-avatar.ts).
  if (isVrm0) vrm.scene.rotation.y = Math.PI;
  vrm.scene.traverse((object: THREE.Object3D) => {
    object.frustumCulled = false;
  });
  state.scene.add(vrm.scene);
  vrm.humanoid.resetNormalizedPose();
  vrm.humanoid.update();
  vrm.scene.updateMatrixWorld(true);
  const hips = vrm.humanoid.getNormalizedBoneNode('hips');
  if (!hips) return fail('invalid-avatar', 'the VRM humanoid has no hips bone');
  const restHipsPosition = hips.position.clone();
  const hipsWorld = hips.getWorldPosition(new THREE.Vector3());
  const vertexCount = countVertices(vrm);
  if (vrm.lookAt) vrm.lookAt.autoUpdate = false;
  const cpuMorphs = moveMorphsToCpu(vrm.scene);
  const info: PageAvatarInfo = {
    key,
    specVersion: isVrm0 ? '0.x' : '1.0',
    expressionNames: vrm.expressionManager ? Object.keys(vrm.expressionManager.expressionMap) : [],
    hipsHeightMetres: hipsWorld.y,
    lookAtType: vrm.lookAt ? (vrm.lookAt.applier.type as 'bone' | 'expression') : null,
    springJointCount: vrm.springBoneManager?.joints.size ?? 0,
    vertexCount,
    cpuMorphMeshes: cpuMorphs.length,
    loadMs: 0,
    loadPhasesMs: { fetch: fetched - started, parse: performance.now() - fetched, faceRig: 0, warmUp: 0 },
  };
  const faceRigStarted = performance.now();
  const faceRig = buildFaceRig(vrm, cpuMorphs, hipsWorld.y);
  info.loadPhasesMs.faceRig = performance.now() - faceRigStarted;
  state.avatar = { info, vrm, restHipsPosition, cpuMorphs, faceRig };
  const warmUpStarted = performance.now();
  warmUp(state);
  info.loadPhasesMs.warmUp = performance.now() - warmUpStarted;
  info.loadMs = performance.now() - started;
  return { ok: true, avatar: info };
}

/** Vertices of every mesh of the avatar, as loaded. */
function countVertices(vrm: VRM): number {
  let vertexCount = 0;
  vrm.scene.traverse((object: THREE.Object3D) => {
    const mesh = object as THREE.Mesh;
    if (mesh.isMesh) vertexCount += mesh.geometry.getAttribute('position')?.count ?? 0;
  });
  return vertexCount;
}

/**
 * Compiles the avatar's shader programs and uploads its textures with one tiny draw, so the first shot does
 * not pay for them (and a renderer warmed up while poses bake has them done). Every shot sets its own size,
 * pose and camera, so this draw leaves nothing behind that a shot could see.
 */
function warmUp({ renderer, scene, camera }: PageState): void {
  if (!renderer) return;
  renderer.setSize(16, 16, false);
  camera.position.set(0, 1, 4);
  camera.lookAt(0, 1, 0);
  camera.updateMatrixWorld(true);
  renderer.render(scene, camera);
  // One pixel read waits for the GPU process, so the avatar counts as loaded only once it is drawable.
  const gl = renderer.getContext();
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
}
