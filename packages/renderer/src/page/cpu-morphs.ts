// Morph targets blended on the CPU instead of in the vertex shader.
//
// three.js blends morph targets in the vertex shader: for every vertex it loops over all of the geometry's
// targets (65 on the face mesh of the realistic shared avatar), reading each from a float texture, even when
// its weight is 0. On SwiftShader that loop was 127 ms of a 265 ms 1024² draw, and the targets' texture (tens
// of MB) had to be uploaded before the first draw. A shot uses a handful of targets (one expression, maybe the
// eyes), so the same sum done here for the non-zero weights only costs a few milliseconds, and the shader has
// no morph code at all.
//
// The sum is three.js's own (morphtarget_vertex / morphnormal_vertex): base × baseInfluence + Σ weightᵢ ×
// targetᵢ, baseInfluence = 1 for relative targets (glTF) else 1 − Σ weights; normals the same way. The
// blended position and normal replace the geometry's attributes before framing and before each draw, and the
// geometry loses its morph attributes, so `Mesh.getVertexPosition` (the framing's CPU skinning) and the GPU see
// the same vertices. `mesh.morphTargetInfluences` stays: three-vrm's expressions keep writing their weights there.
import type * as THREE from 'three';

/** Where an attribute's xyz values live: plain (stride 3) or inside an interleaved buffer. */
interface Vec3Store {
  array: Float32Array;
  stride: number;
  offset: number;
  markChanged(): void;
}

interface CpuMorphMesh {
  mesh: THREE.Mesh;
  relative: boolean;
  position: Vec3Store;
  basePosition: Float32Array;
  positionTargets: Float32Array[];
  normal: { store: Vec3Store; base: Float32Array; targets: Float32Array[] } | null;
  /** Weights last blended in, to skip meshes whose weights did not change. */
  applied: Float32Array;
  /** Scratch for one blended attribute, xyz packed. */
  scratch: Float32Array;
}

/** The float xyz storage of an attribute, or null when it is not plain float xyz (quantized, normalized…). */
function vec3Store(
  attribute: THREE.BufferAttribute | THREE.InterleavedBufferAttribute | undefined,
): Vec3Store | null {
  if (attribute?.itemSize !== 3 || attribute.normalized) return null;
  if ((attribute as THREE.InterleavedBufferAttribute).isInterleavedBufferAttribute) {
    const interleaved = attribute as THREE.InterleavedBufferAttribute;
    const array = interleaved.data.array;
    if (!(array instanceof Float32Array)) return null;
    return {
      array,
      stride: interleaved.data.stride,
      offset: interleaved.offset,
      markChanged: () => {
        interleaved.data.needsUpdate = true;
      },
    };
  }
  const plain = attribute as THREE.BufferAttribute;
  if (!(plain.array instanceof Float32Array)) return null;
  return {
    array: plain.array,
    stride: 3,
    offset: 0,
    markChanged: () => {
      plain.needsUpdate = true;
    },
  };
}

/** Copies the xyz values of `store` (`count` vertices) into a packed array. */
function packed(store: Vec3Store, count: number): Float32Array {
  const out = new Float32Array(count * 3);
  for (let v = 0; v < count; v++) {
    const from = v * store.stride + store.offset;
    out[v * 3] = store.array[from]!;
    out[v * 3 + 1] = store.array[from + 1]!;
    out[v * 3 + 2] = store.array[from + 2]!;
  }
  return out;
}

/** Morph targets as packed float xyz arrays of `count` vertices, or null when one is not. */
function packedTargets(
  targets: (THREE.BufferAttribute | THREE.InterleavedBufferAttribute)[],
  count: number,
): Float32Array[] | null {
  const out: Float32Array[] = [];
  for (const target of targets) {
    const store = vec3Store(target);
    if (!store || target.count !== count) return null;
    out.push(packed(store, count));
  }
  return out;
}

/**
 * Moves the morph targets of every mesh under `root` to the CPU, where that can be done exactly: float
 * positions (and normals), no colour targets, the geometry used by this mesh alone. Other meshes keep
 * three.js's GPU morphs. Returns the meshes to pass to {@link applyCpuMorphs}.
 */
export function moveMorphsToCpu(root: THREE.Object3D): CpuMorphMesh[] {
  const users = new Map<THREE.BufferGeometry, number>();
  root.traverse((object) => {
    const mesh = object as THREE.Mesh;
    if (mesh.isMesh) users.set(mesh.geometry, (users.get(mesh.geometry) ?? 0) + 1);
  });
  const moved: CpuMorphMesh[] = [];
  root.traverse((object) => {
    const mesh = object as THREE.Mesh;
    if (!mesh.isMesh || !mesh.morphTargetInfluences || users.get(mesh.geometry) !== 1) return;
    const geometry = mesh.geometry;
    const morphs = geometry.morphAttributes;
    if (!morphs.position?.length || morphs.color) return;
    const positionAttribute = geometry.getAttribute('position');
    const position = vec3Store(positionAttribute);
    if (!position || !positionAttribute) return;
    const count = positionAttribute.count;
    const positionTargets = packedTargets(morphs.position, count);
    if (!positionTargets) return;
    let normal: CpuMorphMesh['normal'] = null;
    if (morphs.normal) {
      const normalAttribute = geometry.getAttribute('normal');
      const store = vec3Store(normalAttribute);
      const targets = packedTargets(morphs.normal, count);
      if (
        !store ||
        !normalAttribute ||
        normalAttribute.count !== count ||
        targets?.length !== positionTargets.length
      ) {
        return;
      }
      normal = { store, base: packed(store, count), targets };
    }
    moved.push({
      mesh,
      relative: geometry.morphTargetsRelative,
      position,
      basePosition: packed(position, count),
      positionTargets,
      normal,
      applied: new Float32Array(positionTargets.length),
      scratch: new Float32Array(count * 3),
    });
    geometry.morphAttributes = {};
  });
  return moved;
}

/** out = base × baseInfluence + Σ weightᵢ × targetᵢ (non-zero weights only), then written into `store`. */
function blendInto(
  store: Vec3Store,
  scratch: Float32Array,
  base: Float32Array,
  targets: Float32Array[],
  weights: Float32Array,
  baseInfluence: number,
): void {
  if (baseInfluence === 1) scratch.set(base);
  else for (let i = 0; i < scratch.length; i++) scratch[i] = base[i]! * baseInfluence;
  for (let t = 0; t < targets.length; t++) {
    const w = weights[t]!;
    if (w === 0) continue;
    const target = targets[t]!;
    for (let i = 0; i < scratch.length; i++) scratch[i] = scratch[i]! + target[i]! * w;
  }
  const { array, stride, offset } = store;
  for (let v = 0, i = 0; i < scratch.length; v++, i += 3) {
    const to = v * stride + offset;
    array[to] = scratch[i]!;
    array[to + 1] = scratch[i + 1]!;
    array[to + 2] = scratch[i + 2]!;
  }
  store.markChanged();
}

/** Blends each mesh's current `morphTargetInfluences` into its position (and normal) attribute. */
export function applyCpuMorphs(meshes: readonly CpuMorphMesh[]): void {
  for (const m of meshes) {
    const weights = m.mesh.morphTargetInfluences!;
    let changed = false;
    for (let t = 0; t < m.applied.length; t++) {
      if (m.applied[t] !== Math.fround(weights[t] ?? 0)) {
        changed = true;
        break;
      }
    }
    if (!changed) continue;
    let sum = 0;
    for (let t = 0; t < m.applied.length; t++) {
      // As three.js passes them to the shader: float32 weights.
      m.applied[t] = weights[t] ?? 0;
      sum += m.applied[t]!;
    }
    const baseInfluence = m.relative ? 1 : Math.fround(1 - sum);
    blendInto(m.position, m.scratch, m.basePosition, m.positionTargets, m.applied, baseInfluence);
    if (m.normal) {
      blendInto(m.normal.store, m.scratch, m.normal.base, m.normal.targets, m.applied, baseInfluence);
    }
  }
}

export type { CpuMorphMesh };
