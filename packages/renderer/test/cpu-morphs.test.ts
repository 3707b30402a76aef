// Morph targets blended on the CPU (src/page/cpu-morphs.ts) give the vertices three.js itself computes for the
// same weights (`Mesh.getVertexPosition`, three's CPU mirror of its morph shader), for relative and absolute
// targets, plain and interleaved attributes, and normals; meshes it cannot handle exactly keep GPU morphs.
import * as THREE from 'three';
import { describe, expect, test } from 'vitest';
import { applyCpuMorphs, moveMorphsToCpu } from '../src/page/cpu-morphs.js';

const VERTICES = 50;
const TARGETS = 6;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function makeMesh(options: { relative: boolean; interleaved: boolean; seed: number }): THREE.Mesh {
  const random = seeded(options.seed);
  const geometry = new THREE.BufferGeometry();
  const values = (n: number) => Float32Array.from({ length: n }, () => random());
  if (options.interleaved) {
    // position xyz, normal xyz, uv — one buffer, stride 8, as GLTFLoader builds for strided buffer views.
    const buffer = new THREE.InterleavedBuffer(values(VERTICES * 8), 8);
    geometry.setAttribute('position', new THREE.InterleavedBufferAttribute(buffer, 3, 0));
    geometry.setAttribute('normal', new THREE.InterleavedBufferAttribute(buffer, 3, 3));
    geometry.setAttribute('uv', new THREE.InterleavedBufferAttribute(buffer, 2, 6));
  } else {
    geometry.setAttribute('position', new THREE.BufferAttribute(values(VERTICES * 3), 3));
    geometry.setAttribute('normal', new THREE.BufferAttribute(values(VERTICES * 3), 3));
  }
  geometry.morphAttributes.position = Array.from(
    { length: TARGETS },
    () => new THREE.BufferAttribute(values(VERTICES * 3), 3),
  );
  geometry.morphAttributes.normal = Array.from(
    { length: TARGETS },
    () => new THREE.BufferAttribute(values(VERTICES * 3), 3),
  );
  geometry.morphTargetsRelative = options.relative;
  const mesh = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial());
  mesh.updateMorphTargets();
  return mesh;
}

/** Vertex positions for the current weights, as three.js computes them (morphs, if the geometry still has them). */
function positions(mesh: THREE.Mesh): number[] {
  const out: number[] = [];
  const v = new THREE.Vector3();
  for (let i = 0; i < VERTICES; i++) out.push(...mesh.getVertexPosition(i, v).toArray());
  return out;
}

/** The normal three's shader would use: base × baseInfluence + Σ w·target, unnormalised. */
function referenceNormals(mesh: THREE.Mesh, weights: number[]): number[] {
  const geometry = mesh.geometry;
  const normal = geometry.getAttribute('normal');
  const targets = geometry.morphAttributes.normal!;
  const sum = weights.reduce((a, b) => a + b, 0);
  const base = geometry.morphTargetsRelative ? 1 : 1 - sum;
  const out: number[] = [];
  for (let i = 0; i < VERTICES; i++) {
    for (const axis of ['getX', 'getY', 'getZ'] as const) {
      let value = normal[axis](i) * base;
      weights.forEach((w, t) => {
        value += targets[t]![axis](i) * w;
      });
      out.push(value);
    }
  }
  return out;
}

function normals(mesh: THREE.Mesh): number[] {
  const normal = mesh.geometry.getAttribute('normal');
  const out: number[] = [];
  for (let i = 0; i < VERTICES; i++) out.push(normal.getX(i), normal.getY(i), normal.getZ(i));
  return out;
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!)));
  expect(worst).toBeLessThan(1e-6);
}

describe('morph targets blended on the CPU', () => {
  for (const relative of [true, false]) {
    for (const interleaved of [false, true]) {
      test(`${relative ? 'relative' : 'absolute'} targets, ${interleaved ? 'interleaved' : 'plain'} attributes: same vertices as three.js`, () => {
        const mesh = makeMesh({ relative, interleaved, seed: (relative ? 1 : 2) + (interleaved ? 10 : 0) });
        const weightSets = [
          [0, 0.7, 0, 0, 0.25, 0],
          [1, 0, 0, 0, 0, 0],
          [0, 0, 0, 0, 0, 0],
          [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
        ];
        // Reference: three.js on the untouched mesh, every weight set.
        const expected = weightSets.map((weights) => {
          mesh.morphTargetInfluences!.splice(0, TARGETS, ...weights);
          return { positions: positions(mesh), normals: referenceNormals(mesh, weights) };
        });
        const uvBefore = interleaved
          ? Array.from({ length: VERTICES }, (_, i) => mesh.geometry.getAttribute('uv').getX(i))
          : [];
        const moved = moveMorphsToCpu(mesh);
        expect(moved).toHaveLength(1);
        expect(mesh.geometry.morphAttributes).toEqual({});
        weightSets.forEach((weights, k) => {
          mesh.morphTargetInfluences!.splice(0, TARGETS, ...weights);
          applyCpuMorphs(moved);
          expectClose(positions(mesh), expected[k]!.positions);
          expectClose(normals(mesh), expected[k]!.normals);
        });
        if (interleaved) {
          // The other attribute sharing the buffer is untouched.
          expect(
            Array.from({ length: VERTICES }, (_, i) => mesh.geometry.getAttribute('uv').getX(i)),
          ).toEqual(uvBefore);
        }
      });
    }
  }

  test('unchanged weights upload nothing; a changed weight re-blends', () => {
    const mesh = makeMesh({ relative: true, interleaved: false, seed: 3 });
    const moved = moveMorphsToCpu(mesh);
    const position = mesh.geometry.getAttribute('position') as THREE.BufferAttribute;
    const version = position.version;
    applyCpuMorphs(moved);
    expect(position.version).toBe(version);
    mesh.morphTargetInfluences![2] = 0.5;
    applyCpuMorphs(moved);
    expect(position.version).toBeGreaterThan(version);
  });

  test('meshes it cannot blend exactly keep GPU morphs: a shared geometry, quantized positions, colour targets', () => {
    const shared = makeMesh({ relative: true, interleaved: false, seed: 4 });
    const twin = new THREE.Mesh(shared.geometry, shared.material);
    twin.updateMorphTargets();
    const quantized = makeMesh({ relative: true, interleaved: false, seed: 5 });
    quantized.geometry.setAttribute(
      'position',
      new THREE.BufferAttribute(new Int16Array(VERTICES * 3), 3, true),
    );
    const coloured = makeMesh({ relative: true, interleaved: false, seed: 6 });
    coloured.geometry.morphAttributes.color = [new THREE.BufferAttribute(new Float32Array(VERTICES * 3), 3)];
    const root = new THREE.Group().add(shared, twin, quantized, coloured);
    expect(moveMorphsToCpu(root)).toEqual([]);
    for (const mesh of [shared, quantized, coloured]) {
      expect(mesh.geometry.morphAttributes.position).toHaveLength(TARGETS);
    }
  });
});
