// Where the posed avatar is in the world: its CPU-skinned vertices, its bones, and the cut point of a
// partial shot.
import type { VRM } from '@pixiv/three-vrm';
import * as THREE from 'three';
import type { PageShotInput } from '../protocol.js';

/** CPU-skins every visible mesh of the avatar (morphs included) into world-space positions (xyz triplets). */
export function collectWorldVertices(vrm: VRM): Float32Array {
  const meshes: THREE.Mesh[] = [];
  let count = 0;
  vrm.scene.traverseVisible((object: THREE.Object3D) => {
    const mesh = object as THREE.Mesh;
    if (mesh.isMesh && mesh.geometry.getAttribute('position')) {
      meshes.push(mesh);
      count += mesh.geometry.getAttribute('position').count;
    }
  });
  const out = new Float32Array(count * 3);
  const v = new THREE.Vector3();
  let o = 0;
  for (const mesh of meshes) {
    const n = mesh.geometry.getAttribute('position').count;
    for (let i = 0; i < n; i++) {
      mesh.getVertexPosition(i, v);
      v.applyMatrix4(mesh.matrixWorld);
      out[o++] = v.x;
      out[o++] = v.y;
      out[o++] = v.z;
    }
  }
  return out;
}

/** World position of a raw humanoid bone, or null when the avatar lacks it. */
export function boneWorld(vrm: VRM, name: string): THREE.Vector3 | null {
  const node = vrm.humanoid.getRawBoneNode(name as Parameters<typeof vrm.humanoid.getRawBoneNode>[0]);
  return node ? node.getWorldPosition(new THREE.Vector3()) : null;
}

/**
 * The world point (metres) whose image row is the bottom edge of a partial shot, from the posed bones; null
 * for a fullShot, or when the avatar lacks the bones.
 */
export function cutPoint(vrm: VRM, frame: PageShotInput['frame']): THREE.Vector3 | null {
  const b = (name: string) => boneWorld(vrm, name);
  const spine = b('spine');
  const neck = b('neck') ?? b('head');
  switch (frame) {
    case 'fullShot':
      return null;
    case 'cowboyShot': {
      const l0 = b('leftUpperLeg');
      const l1 = b('leftLowerLeg');
      const r0 = b('rightUpperLeg');
      const r1 = b('rightLowerLeg');
      if (!l0 || !l1 || !r0 || !r1) return null;
      return l0.add(l1).add(r0).add(r1).multiplyScalar(0.25);
    }
    case 'mediumShot':
      return spine;
    case 'mediumCloseUp':
      return spine && neck ? spine.lerp(neck, 0.5) : null;
    case 'closeUp':
      return spine && neck ? spine.lerp(neck, 0.78) : null;
  }
}
