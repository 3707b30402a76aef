import { buildMannequinGeometry, FACE_MORPH_NAMES } from './build-mannequin-geometry.js';
import { encodeGlb, GltfBufferWriter } from './encode-glb.js';
import { MANNEQUIN_MATERIALS } from './mannequin-colours.js';
import { getBonePosition, MANNEQUIN_BONES } from './mannequin-dimensions.js';
import { MANNEQUIN_VERSION } from './mannequin-version.js';
import {
  type MannequinGltfRefs,
  roundFloat32,
  vrm0Extensions,
  vrm1Extensions,
} from './mannequin-vrm-extensions.js';
import type { MeshBuilder } from './mesh-builder.js';
import type { Vec3 } from './vec3.js';

/** Which VRM flavour to write: VRM 1.0 (`VRMC_vrm`, facing +Z) or VRM 0.x (`VRM`, facing −Z). */
export type MannequinSpec = '1.0' | '0.x';

/** Options of `createMannequinVrm`. */
export interface CreateMannequinVrmOptions {
  /** VRM flavour; default `'1.0'`. */
  specVersion?: MannequinSpec;
}

/** Expressions both variants define, by the names three-vrm gives them (VRM 1.0 preset names). */
export const MANNEQUIN_EXPRESSIONS: readonly string[] = [...FACE_MORPH_NAMES];

export { MANNEQUIN_VERSION };

/**
 * Generates the mannequin as VRM (GLB) bytes: a skinned humanoid 1.70 m tall in a T-pose, with face
 * morphs, look-at eye bones and a spring-bone hair strand. Deterministic: the same options give the same bytes.
 */
export function createMannequinVrm(options: CreateMannequinVrmOptions = {}): Uint8Array {
  const spec = options.specVersion ?? '1.0';
  if (spec !== '1.0' && spec !== '0.x') {
    throw new Error(`createMannequinVrm: specVersion must be '1.0' or '0.x', got ${JSON.stringify(spec)}`);
  }
  // VRM 0.x models face −Z: the same body turned 180° about Y.
  const orient = (v: Vec3): [number, number, number] =>
    spec === '0.x' ? [-v[0], v[1], -v[2]] : [v[0], v[1], v[2]];

  const writer = new GltfBufferWriter();
  const geometry = buildMannequinGeometry();
  const meshBuilders = [geometry.body, geometry.face, geometry.eyes, geometry.hair];

  // Nodes: 0 = root, then every bone, then one node per mesh.
  const { nodes, nodeOf, jointNames, skins } = buildSkeleton(writer, orient);
  const meshes = meshBuilders.map((builder) => encodeMesh(builder, writer, jointNames, orient));
  const meshNodeIndex: number[] = [];
  meshBuilders.forEach((builder, meshIndex) => {
    meshNodeIndex.push(nodes.length);
    nodes.push({ name: builder.name, mesh: meshIndex, skin: 0 });
  });
  const faceMeshIndex = meshBuilders.indexOf(geometry.face);
  const faceNode = meshNodeIndex[faceMeshIndex] as number;

  const materials = MANNEQUIN_MATERIALS.map((material) => ({
    name: material.name,
    pbrMetallicRoughness: {
      baseColorFactor: [...material.srgb.map((c) => roundFloat32(srgbToLinear(c))), 1],
      metallicFactor: 0,
      roughnessFactor: material.roughness,
    },
  }));

  const json: Record<string, unknown> = {
    asset: { version: '2.0', generator: `@vrm-lora/mannequin ${MANNEQUIN_VERSION}` },
    scene: 0,
    scenes: [{ name: 'Scene', nodes: [0, ...meshNodeIndex] }],
    nodes,
    meshes,
    materials,
    skins,
  };

  const refs: MannequinGltfRefs = {
    nodeOf,
    meshNodeIndex,
    faceMeshIndex,
    faceNode,
    meshCount: meshBuilders.length,
    orient,
  };
  Object.assign(json, spec === '1.0' ? vrm1Extensions(refs) : vrm0Extensions(refs));

  const binary = writer.toBytes();
  json.buffers = [{ byteLength: binary.length }];
  json.bufferViews = writer.bufferViews;
  json.accessors = writer.accessors;
  return encodeGlb(orderKeys(json), binary);
}

/** The root and bone nodes (root first, bones from node 1 on) and the one skin over every bone. */
function buildSkeleton(
  writer: GltfBufferWriter,
  orient: (v: Vec3) => [number, number, number],
): {
  nodes: Record<string, unknown>[];
  nodeOf: (bone: string) => number;
  jointNames: string[];
  skins: Record<string, unknown>[];
} {
  const boneNodeIndex = new Map<string, number>();
  MANNEQUIN_BONES.forEach((bone, i) => {
    boneNodeIndex.set(bone.name, i + 1);
  });
  const nodeOf = (bone: string): number => {
    const index = boneNodeIndex.get(bone);
    if (index === undefined) throw new Error(`mannequin: unknown bone "${bone}"`);
    return index;
  };
  const nodes: Record<string, unknown>[] = [{ name: 'Root', children: [nodeOf('hips')] }];
  for (const bone of MANNEQUIN_BONES) {
    const parentPosition: Vec3 = bone.parent ? getBonePosition(bone.parent) : [0, 0, 0];
    const local = orient([
      bone.position[0] - parentPosition[0],
      bone.position[1] - parentPosition[1],
      bone.position[2] - parentPosition[2],
    ]);
    const node: Record<string, unknown> = { name: bone.name, translation: local.map(roundFloat32) };
    const children = MANNEQUIN_BONES.filter((child) => child.parent === bone.name).map((child) =>
      nodeOf(child.name),
    );
    if (children.length > 0) node.children = children;
    nodes.push(node);
  }

  const jointNames = MANNEQUIN_BONES.map((bone) => bone.name);
  const inverseBind = new Float32Array(16 * jointNames.length);
  MANNEQUIN_BONES.forEach((bone, i) => {
    const [x, y, z] = orient(bone.position);
    inverseBind.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -x, -y, -z, 1], i * 16);
  });
  const skins = [
    {
      name: 'MannequinSkin',
      inverseBindMatrices: writer.addMat4(inverseBind),
      joints: jointNames.map(nodeOf),
      skeleton: nodeOf('hips'),
    },
  ];
  return { nodes, nodeOf, jointNames, skins };
}

/** Encodes a mesh builder as a glTF mesh: one primitive per material, in `MANNEQUIN_MATERIALS` order. */
function encodeMesh(
  builder: MeshBuilder,
  writer: GltfBufferWriter,
  jointNames: readonly string[],
  orient: (v: Vec3) => [number, number, number],
): Record<string, unknown> {
  const primitives: Record<string, unknown>[] = [];
  MANNEQUIN_MATERIALS.forEach((material, materialIndex) => {
    const triangles = builder.triangles.filter((triangle) => triangle.material === material.name);
    if (triangles.length === 0) return;
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
    const positions = new Float32Array(count * 3);
    const normals = new Float32Array(count * 3);
    const joints = new Uint8Array(count * 4);
    const weights = new Float32Array(count * 4);
    const morphPositions = builder.morphNames.map(() => new Float32Array(count * 3));
    const morphNormals = builder.morphNames.map(() => new Float32Array(count * 3));
    used.forEach((vertexIndex, i) => {
      const vertex = builder.vertices[vertexIndex];
      if (!vertex) throw new Error('mannequin: vertex index out of range');
      positions.set(orient(vertex.position), i * 3);
      normals.set(orient(vertex.normal), i * 3);
      vertex.influences.forEach(([bone, weight], k) => {
        const joint = jointNames.indexOf(bone);
        if (joint < 0) throw new Error(`mannequin: vertex weighted to unknown bone "${bone}"`);
        joints[i * 4 + k] = joint;
        weights[i * 4 + k] = weight;
      });
      builder.morphNames.forEach((_, m) => {
        morphPositions[m]?.set(orient(vertex.morphPositionDeltas[m] as Vec3), i * 3);
        morphNormals[m]?.set(orient(vertex.morphNormalDeltas[m] as Vec3), i * 3);
      });
    });
    const primitive: Record<string, unknown> = {
      attributes: {
        POSITION: writer.addVec3(positions, true),
        NORMAL: writer.addVec3(normals, false),
        JOINTS_0: writer.addVec4(joints),
        WEIGHTS_0: writer.addVec4(weights),
      },
      indices: writer.addIndices(indices),
      material: materialIndex,
      mode: 4,
    };
    if (builder.morphNames.length > 0) {
      primitive.targets = builder.morphNames.map((_, m) => ({
        POSITION: writer.addVec3(morphPositions[m] as Float32Array, true),
        NORMAL: writer.addVec3(morphNormals[m] as Float32Array, false),
      }));
    }
    primitives.push(primitive);
  });
  const mesh: Record<string, unknown> = { name: builder.name, primitives };
  if (builder.morphNames.length > 0) {
    mesh.weights = builder.morphNames.map(() => 0);
    mesh.extras = { targetNames: [...builder.morphNames] };
  }
  return mesh;
}

/** Converts an sRGB channel (0..1) to linear, as glTF base colours are linear. */
function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Puts the usual glTF top-level keys first so the JSON reads naturally (order is fixed either way). */
function orderKeys(json: Record<string, unknown>): Record<string, unknown> {
  const order = [
    'asset',
    'extensionsUsed',
    'extensions',
    'scene',
    'scenes',
    'nodes',
    'meshes',
    'materials',
    'skins',
    'accessors',
    'bufferViews',
    'buffers',
  ];
  return Object.fromEntries(order.filter((key) => key in json).map((key) => [key, json[key]]));
}
