import * as THREE from 'three';
import { beforeAll, describe, expect, test } from 'vitest';
import { createMannequinVrm } from '../src/index.js';
import { type LoadedVrm, loadMannequin } from './load-mannequin.js';

/** Longest stretch of any triangle edge (posed length / rest length) over the skinned meshes. */
function measureWorstStretch(vrm: LoadedVrm, rest: Map<THREE.SkinnedMesh, Float32Array>): number {
  vrm.scene.updateMatrixWorld(true);
  let worst = 0;
  const vertex = new THREE.Vector3();
  for (const [mesh, restPositions] of rest) {
    const count = restPositions.length / 3;
    const posed = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) mesh.getVertexPosition(i, vertex).toArray(posed, i * 3);
    const index = mesh.geometry.getIndex();
    if (!index) throw new Error('unindexed mesh');
    for (let t = 0; t < index.count; t += 3) {
      for (let k = 0; k < 3; k++) {
        const a = index.getX(t + k);
        const b = index.getX(t + ((k + 1) % 3));
        const restLength = distance(restPositions, a, b);
        if (restLength < 1e-4) continue; // collapsed pole
        worst = Math.max(worst, distance(posed, a, b) / restLength);
      }
    }
  }
  return worst;
}

function distance(positions: Float32Array, a: number, b: number): number {
  return Math.hypot(
    (positions[a * 3] as number) - (positions[b * 3] as number),
    (positions[a * 3 + 1] as number) - (positions[b * 3 + 1] as number),
    (positions[a * 3 + 2] as number) - (positions[b * 3 + 2] as number),
  );
}

describe('skin weights bend smoothly', () => {
  let vrm: LoadedVrm;
  const rest = new Map<THREE.SkinnedMesh, Float32Array>();
  beforeAll(async () => {
    vrm = await loadMannequin(await createMannequinVrm());
    vrm.scene.updateMatrixWorld(true);
    vrm.scene.traverse((object) => {
      const mesh = object as THREE.SkinnedMesh;
      if (!mesh.isSkinnedMesh) return;
      const count = mesh.geometry.getAttribute('position').count;
      const positions = new Float32Array(count * 3);
      const vertex = new THREE.Vector3();
      for (let i = 0; i < count; i++) mesh.getVertexPosition(i, vertex).toArray(positions, i * 3);
      rest.set(mesh, positions);
    });
  });

  const poses: Record<string, Record<string, [number, number, number]>> = {
    'elbows and knees at 90°, fingers curled': {
      leftLowerArm: [0, -Math.PI / 2, 0],
      rightLowerArm: [0, Math.PI / 2, 0],
      leftUpperLeg: [-Math.PI / 2, 0, 0],
      leftLowerLeg: [Math.PI / 2, 0, 0],
      leftIndexProximal: [0, 0, -1.2],
      leftIndexIntermediate: [0, 0, -1.2],
      leftThumbProximal: [0, -0.8, 0],
    },
    'arms down, spine bent, head turned': {
      leftUpperArm: [0, 0, -1.3],
      rightUpperArm: [0, 0, 1.3],
      spine: [0.4, 0, 0],
      chest: [0.2, 0, 0.2],
      neck: [0, 0.5, 0],
      head: [0.3, 0, 0],
    },
  };

  test.each(Object.entries(poses))('%s: no triangle edge stretches more than 2.5×', (_, pose) => {
    for (const [bone, euler] of Object.entries(pose)) {
      const node = vrm.humanoid.getNormalizedBoneNode(bone);
      if (!node) throw new Error(`no ${bone}`);
      node.rotation.set(...euler);
    }
    vrm.update(0);
    const worst = measureWorstStretch(vrm, rest);
    for (const bone of Object.keys(pose)) vrm.humanoid.getNormalizedBoneNode(bone)?.rotation.set(0, 0, 0);
    vrm.update(0);
    expect(worst).toBeGreaterThan(1.05); // the pose did bend something
    expect(worst).toBeLessThan(2.5);
  });
});
