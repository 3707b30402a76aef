import { buildMannequinGeometry, FACE_MORPH_NAMES } from './build-mannequin-geometry.js';
import { encodeGlb, GltfBufferWriter } from './encode-glb.js';
import { MANNEQUIN_MATERIALS } from './mannequin-colours.js';
import { getBonePosition, HEAD_ELLIPSOID, MANNEQUIN_BONES } from './mannequin-dimensions.js';
import type { MeshBuilder } from './mesh-builder.js';
import { subtractVec3, type Vec3 } from './vec3.js';

/** Which VRM flavour to write: VRM 1.0 (`VRMC_vrm`, facing +Z) or VRM 0.x (`VRM`, facing −Z). */
export type MannequinSpec = '1.0' | '0.x';

/** Options of `createMannequinVrm`. */
export interface CreateMannequinVrmOptions {
  /** VRM flavour; default `'1.0'`. */
  specVersion?: MannequinSpec;
}

/** Expressions both variants define, by the names three-vrm gives them (VRM 1.0 preset names). */
export const MANNEQUIN_EXPRESSIONS: readonly string[] = [...FACE_MORPH_NAMES];

/** Version written into the VRM meta and the generator string; bump when the geometry changes. */
export const MANNEQUIN_VERSION = '1.2.0';

/** VRM 0.x thumb bone names (0.x counts the metacarpal as "proximal"). */
const V0_BONE_NAMES: Readonly<Record<string, string>> = {
  leftThumbMetacarpal: 'leftThumbProximal',
  leftThumbProximal: 'leftThumbIntermediate',
  rightThumbMetacarpal: 'rightThumbProximal',
  rightThumbProximal: 'rightThumbIntermediate',
};

/** VRM 0.x blend-shape group per expression: display name and preset (`unknown` = custom, found by name). */
const V0_GROUPS: Readonly<Record<string, { name: string; presetName: string }>> = {
  happy: { name: 'Joy', presetName: 'joy' },
  angry: { name: 'Angry', presetName: 'angry' },
  sad: { name: 'Sorrow', presetName: 'sorrow' },
  relaxed: { name: 'Fun', presetName: 'fun' },
  surprised: { name: 'surprised', presetName: 'unknown' },
  aa: { name: 'A', presetName: 'a' },
  ih: { name: 'I', presetName: 'i' },
  ou: { name: 'U', presetName: 'u' },
  ee: { name: 'E', presetName: 'e' },
  oh: { name: 'O', presetName: 'o' },
  blink: { name: 'Blink', presetName: 'blink' },
  blinkLeft: { name: 'Blink_L', presetName: 'blink_l' },
  blinkRight: { name: 'Blink_R', presetName: 'blink_r' },
};

/** Spring settings of the hair strand. */
const HAIR_SPRING = { stiffness: 0.6, gravityPower: 1.5, dragForce: 0.4, hitRadiusMetres: 0.02 };
/** Colliders that keep the hair out of the head and the upper back: bone, offset (VRM 1.0 axes), radius. */
const COLLIDERS: readonly { name: string; bone: string; offset: Vec3; radiusMetres: number }[] = [
  {
    name: 'head',
    bone: 'head',
    offset: subtractVec3(HEAD_ELLIPSOID.centre, getBonePosition('head')),
    radiusMetres: 0.088,
  },
  { name: 'body', bone: 'upperChest', offset: [0, 0.02, 0], radiusMetres: 0.1 },
];
/** Look-at output angles, degrees (how far the eyes turn at the input limit of 90°). */
const LOOK_AT = { horizontalDegrees: 20, verticalDegrees: 15 };
/** Look-at origin relative to the head bone (between the eyes), VRM 1.0 axes. */
const lookAtOffset: Vec3 = [
  0,
  getBonePosition('leftEye')[1] - getBonePosition('head')[1],
  getBonePosition('leftEye')[2] - getBonePosition('head')[2],
];

const META_NAME = 'vrm-lora mannequin';
const META_AUTHOR = 'vrm-lora';
const CC0_URL = 'https://creativecommons.org/publicdomain/zero/1.0/';

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
  // VRM 0.x stores collider and first-person offsets in Unity axes (glTF z negated).
  const toV0Unity = (v: Vec3) => {
    const [x, y, z] = orient(v);
    return { x, y, z: -z };
  };

  const writer = new GltfBufferWriter();
  const geometry = buildMannequinGeometry();
  const meshBuilders = [geometry.body, geometry.face, geometry.eyes, geometry.hair];

  // Nodes: 0 = root, then every bone, then one node per mesh.
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

  const hairChain = ['hairRoot', 'hair1', 'hair2', 'hair3', 'hairEnd'];
  if (spec === '1.0') {
    json.extensionsUsed = ['VRMC_vrm', 'VRMC_springBone'];
    json.extensions = {
      VRMC_vrm: {
        specVersion: '1.0',
        meta: {
          name: META_NAME,
          version: MANNEQUIN_VERSION,
          authors: [META_AUTHOR],
          licenseUrl: 'https://vrm.dev/licenses/1.0/',
          otherLicenseUrl: CC0_URL,
          avatarPermission: 'everyone',
          allowExcessivelyViolentUsage: true,
          allowExcessivelySexualUsage: false,
          commercialUsage: 'corporation',
          allowPoliticalOrReligiousUsage: true,
          allowAntisocialOrHateUsage: false,
          creditNotation: 'unnecessary',
          allowRedistribution: true,
          modification: 'allowModificationRedistribution',
        },
        humanoid: {
          humanBones: Object.fromEntries(
            MANNEQUIN_BONES.filter((bone) => bone.humanBone !== null).map((bone) => [
              bone.humanBone,
              { node: nodeOf(bone.name) },
            ]),
          ),
        },
        firstPerson: {
          meshAnnotations: meshNodeIndex.map((node) => ({ node, type: 'auto' })),
        },
        lookAt: {
          offsetFromHeadBone: orient(lookAtOffset).map(roundFloat32),
          type: 'bone',
          rangeMapHorizontalInner: { inputMaxValue: 90, outputScale: LOOK_AT.horizontalDegrees },
          rangeMapHorizontalOuter: { inputMaxValue: 90, outputScale: LOOK_AT.horizontalDegrees },
          rangeMapVerticalDown: { inputMaxValue: 90, outputScale: LOOK_AT.verticalDegrees },
          rangeMapVerticalUp: { inputMaxValue: 90, outputScale: LOOK_AT.verticalDegrees },
        },
        expressions: {
          preset: Object.fromEntries(
            FACE_MORPH_NAMES.map((name, index) => [
              name,
              {
                morphTargetBinds: [{ node: faceNode, index, weight: 1 }],
                isBinary: false,
                overrideBlink: 'none',
                overrideLookAt: 'none',
                overrideMouth: 'none',
              },
            ]),
          ),
        },
      },
      VRMC_springBone: {
        specVersion: '1.0',
        colliders: COLLIDERS.map((collider) => ({
          node: nodeOf(collider.bone),
          shape: {
            sphere: { offset: orient(collider.offset).map(roundFloat32), radius: collider.radiusMetres },
          },
        })),
        colliderGroups: COLLIDERS.map((collider, index) => ({ name: collider.name, colliders: [index] })),
        springs: [
          {
            name: 'hair',
            joints: hairChain.map((bone) => ({
              node: nodeOf(bone),
              hitRadius: HAIR_SPRING.hitRadiusMetres,
              stiffness: HAIR_SPRING.stiffness,
              gravityPower: HAIR_SPRING.gravityPower,
              gravityDir: [0, -1, 0],
              dragForce: HAIR_SPRING.dragForce,
            })),
            colliderGroups: COLLIDERS.map((_, index) => index),
          },
        ],
      },
    };
  } else {
    const curve = [0, 0, 0, 1, 1, 1, 1, 0];
    const degreeMap = (outputDegrees: number) => ({ curve, xRange: 90, yRange: outputDegrees });
    json.extensionsUsed = ['VRM'];
    json.extensions = {
      VRM: {
        exporterVersion: `vrm-lora-mannequin-${MANNEQUIN_VERSION}`,
        specVersion: '0.0',
        meta: {
          title: META_NAME,
          version: MANNEQUIN_VERSION,
          author: META_AUTHOR,
          contactInformation: '',
          reference: '',
          allowedUserName: 'Everyone',
          violentUssageName: 'Allow',
          sexualUssageName: 'Disallow',
          commercialUssageName: 'Allow',
          otherPermissionUrl: '',
          licenseName: 'CC0',
          otherLicenseUrl: CC0_URL,
        },
        humanoid: {
          humanBones: MANNEQUIN_BONES.filter((bone) => bone.humanBone !== null).map((bone) => ({
            bone: V0_BONE_NAMES[bone.name] ?? bone.humanBone,
            node: nodeOf(bone.name),
            useDefaultValues: true,
          })),
          armStretch: 0.05,
          legStretch: 0.05,
          upperArmTwist: 0.5,
          lowerArmTwist: 0.5,
          upperLegTwist: 0.5,
          lowerLegTwist: 0.5,
          feetSpacing: 0,
          hasTranslationDoF: false,
        },
        firstPerson: {
          firstPersonBone: nodeOf('head'),
          firstPersonBoneOffset: mapObject(toV0Unity(lookAtOffset), roundFloat32),
          meshAnnotations: meshBuilders.map((_, mesh) => ({ mesh, firstPersonFlag: 'Auto' })),
          lookAtTypeName: 'Bone',
          lookAtHorizontalInner: degreeMap(LOOK_AT.horizontalDegrees),
          lookAtHorizontalOuter: degreeMap(LOOK_AT.horizontalDegrees),
          lookAtVerticalDown: degreeMap(LOOK_AT.verticalDegrees),
          lookAtVerticalUp: degreeMap(LOOK_AT.verticalDegrees),
        },
        blendShapeMaster: {
          blendShapeGroups: FACE_MORPH_NAMES.map((name, index) => {
            const group = V0_GROUPS[name];
            if (!group) throw new Error(`mannequin: no VRM 0.x group for expression "${name}"`);
            return {
              name: group.name,
              presetName: group.presetName,
              binds: [{ mesh: faceMeshIndex, index, weight: 100 }],
              materialValues: [],
              isBinary: false,
            };
          }),
        },
        secondaryAnimation: {
          boneGroups: [
            {
              comment: 'hair',
              stiffiness: HAIR_SPRING.stiffness,
              gravityPower: HAIR_SPRING.gravityPower,
              gravityDir: { x: 0, y: -1, z: 0 },
              dragForce: HAIR_SPRING.dragForce,
              center: -1,
              hitRadius: HAIR_SPRING.hitRadiusMetres,
              bones: [nodeOf('hairRoot')],
              colliderGroups: COLLIDERS.map((_, index) => index),
            },
          ],
          colliderGroups: COLLIDERS.map((collider) => ({
            node: nodeOf(collider.bone),
            colliders: [
              { offset: mapObject(toV0Unity(collider.offset), roundFloat32), radius: collider.radiusMetres },
            ],
          })),
        },
        materialProperties: MANNEQUIN_MATERIALS.map((material) => ({
          name: material.name,
          shader: 'VRM_USE_GLTFSHADER',
          renderQueue: 2000,
          floatProperties: {},
          vectorProperties: {},
          textureProperties: {},
          keywordMap: {},
          tagMap: {},
        })),
      },
    };
  }

  const binary = writer.toBytes();
  json.buffers = [{ byteLength: binary.length }];
  json.bufferViews = writer.bufferViews;
  json.accessors = writer.accessors;
  return encodeGlb(orderKeys(json), binary);
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

/** Rounds to the nearest float32 so JSON numbers match what the binary would store. */
function roundFloat32(value: number): number {
  return Math.fround(value);
}

function mapObject<T extends Record<string, number>>(object: T, fn: (value: number) => number): T {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)])) as T;
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
