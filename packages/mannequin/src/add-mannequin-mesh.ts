import type { Buffer, Document, Material, Mesh, TypedArray } from '@gltf-transform/core';
import type { MaterialName, MeshBuilder } from './mesh-builder.js';
import type { Vec3 } from './vec3.js';

/** The vertex arrays of one primitive: the triangles of one material, their vertices renumbered from 0. */
interface PrimitiveArrays {
  positions: Float32Array;
  normals: Float32Array;
  joints: Uint8Array;
  weights: Float32Array;
  /** Per morph target (in `MeshBuilder.morphNames` order): position deltas. */
  morphPositions: Float32Array[];
  /** Per morph target: normal deltas. */
  morphNormals: Float32Array[];
  /** Triangle indices, 16-bit when every index fits. */
  indices: Uint16Array | Uint32Array;
}

/**
 * Adds a mesh builder to `document` as a skinned glTF mesh: one primitive per material that has triangles,
 * in the order of `materials`, each with POSITION, NORMAL, JOINTS_0, WEIGHTS_0, indices and the builder's
 * morph targets (named, so the written mesh carries `extras.targetNames`). Accessors go into `buffer`.
 */
export function addMannequinMesh(
  document: Document,
  buffer: Buffer,
  builder: MeshBuilder,
  materials: ReadonlyMap<MaterialName, Material>,
  jointNames: readonly string[],
  orient: (v: Vec3) => [number, number, number],
): Mesh {
  const mesh = document.createMesh(builder.name);
  const accessor = (type: 'SCALAR' | 'VEC3' | 'VEC4', array: TypedArray) =>
    document.createAccessor().setType(type).setArray(array).setBuffer(buffer);
  for (const [name, material] of materials) {
    const arrays = collectPrimitiveArrays(builder, name, jointNames, orient);
    if (!arrays) continue;
    const primitive = document
      .createPrimitive()
      .setAttribute('POSITION', accessor('VEC3', arrays.positions))
      .setAttribute('NORMAL', accessor('VEC3', arrays.normals))
      .setAttribute('JOINTS_0', accessor('VEC4', arrays.joints))
      .setAttribute('WEIGHTS_0', accessor('VEC4', arrays.weights))
      .setIndices(accessor('SCALAR', arrays.indices))
      .setMaterial(material);
    builder.morphNames.forEach((morphName, m) => {
      const target = document
        .createPrimitiveTarget(morphName)
        .setAttribute('POSITION', accessor('VEC3', arrays.morphPositions[m] as Float32Array))
        .setAttribute('NORMAL', accessor('VEC3', arrays.morphNormals[m] as Float32Array));
      primitive.addTarget(target);
    });
    mesh.addPrimitive(primitive);
  }
  if (builder.morphNames.length > 0) mesh.setWeights(builder.morphNames.map(() => 0));
  return mesh;
}

/** The arrays of the primitive of one material, or `null` when the builder has no triangle of it. */
function collectPrimitiveArrays(
  builder: MeshBuilder,
  material: MaterialName,
  jointNames: readonly string[],
  orient: (v: Vec3) => [number, number, number],
): PrimitiveArrays | null {
  const triangles = builder.triangles.filter((triangle) => triangle.material === material);
  if (triangles.length === 0) return null;
  const remap = new Map<number, number>();
  const used: number[] = [];
  const indices: number[] = [];
  for (const triangle of triangles) {
    for (const vertex of triangle.indices) {
      let local = remap.get(vertex);
      if (local === undefined) {
        local = used.length;
        remap.set(vertex, local);
        used.push(vertex);
      }
      indices.push(local);
    }
  }
  const count = used.length;
  const arrays: PrimitiveArrays = {
    positions: new Float32Array(count * 3),
    normals: new Float32Array(count * 3),
    joints: new Uint8Array(count * 4),
    weights: new Float32Array(count * 4),
    morphPositions: builder.morphNames.map(() => new Float32Array(count * 3)),
    morphNormals: builder.morphNames.map(() => new Float32Array(count * 3)),
    indices: count <= 65536 ? Uint16Array.from(indices) : Uint32Array.from(indices),
  };
  used.forEach((vertexIndex, i) => {
    const vertex = builder.vertices[vertexIndex];
    if (!vertex) throw new Error('mannequin: vertex index out of range');
    arrays.positions.set(orient(vertex.position), i * 3);
    arrays.normals.set(orient(vertex.normal), i * 3);
    vertex.influences.forEach(([bone, weight], k) => {
      const joint = jointNames.indexOf(bone);
      if (joint < 0) throw new Error(`mannequin: vertex weighted to unknown bone "${bone}"`);
      arrays.joints[i * 4 + k] = joint;
      arrays.weights[i * 4 + k] = weight;
    });
    builder.morphNames.forEach((_, m) => {
      arrays.morphPositions[m]?.set(orient(vertex.morphPositionDeltas[m] as Vec3), i * 3);
      arrays.morphNormals[m]?.set(orient(vertex.morphNormalDeltas[m] as Vec3), i * 3);
    });
  });
  return arrays;
}
