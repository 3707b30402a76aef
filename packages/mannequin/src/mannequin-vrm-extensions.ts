import { FACE_MORPH_NAMES } from './build-mannequin-geometry.js';
import { MANNEQUIN_MATERIALS } from './mannequin-colours.js';
import { getBonePosition, HEAD_ELLIPSOID, MANNEQUIN_BONES } from './mannequin-dimensions.js';
import { MANNEQUIN_VERSION } from './mannequin-version.js';
import { subtractVec3, type Vec3 } from './vec3.js';

// The mannequin's VRM extensions, VRM 1.0 (`VRMC_vrm` + `VRMC_springBone`) and VRM 0.x (`VRM`): meta,
// humanoid, first person, look-at, expressions and the hair spring, from the same tables. Mostly data.

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

/** Where the extensions point into the glTF: node and mesh indices, and the flavour's axes. */
export interface MannequinGltfRefs {
  /** The node of a bone, by name. */
  nodeOf: (bone: string) => number;
  /** The node of each mesh, in mesh order. */
  meshNodeIndex: readonly number[];
  /** The face mesh (its morph targets are the expressions) and its node. */
  faceMeshIndex: number;
  faceNode: number;
  meshCount: number;
  /** A VRM 1.0-axes vector in this flavour's glTF axes. */
  orient: (v: Vec3) => [number, number, number];
}

const hairChain = ['hairRoot', 'hair1', 'hair2', 'hair3', 'hairEnd'];

/** VRM 1.0's `extensionsUsed` and `extensions`. */
export function vrm1Extensions(refs: MannequinGltfRefs): Record<string, unknown> {
  const { nodeOf, meshNodeIndex, faceNode, orient } = refs;
  return {
    extensionsUsed: ['VRMC_vrm', 'VRMC_springBone'],
    extensions: {
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
    },
  };
}

/** VRM 0.x's `extensionsUsed` and `extensions`. */
export function vrm0Extensions(refs: MannequinGltfRefs): Record<string, unknown> {
  const { nodeOf, faceMeshIndex, meshCount, orient } = refs;
  // VRM 0.x stores collider and first-person offsets in Unity axes (glTF z negated).
  const toV0Unity = (v: Vec3) => {
    const [x, y, z] = orient(v);
    return { x, y, z: -z };
  };
  const curve = [0, 0, 0, 1, 1, 1, 1, 0];
  const degreeMap = (outputDegrees: number) => ({ curve, xRange: 90, yRange: outputDegrees });
  return {
    extensionsUsed: ['VRM'],
    extensions: {
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
          meshAnnotations: Array.from({ length: meshCount }, (_, mesh) => ({
            mesh,
            firstPersonFlag: 'Auto',
          })),
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
    },
  };
}

/** Rounds to the nearest float32 so JSON numbers match what the binary would store. */
export function roundFloat32(value: number): number {
  return Math.fround(value);
}

function mapObject<T extends Record<string, number>>(object: T, fn: (value: number) => number): T {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)])) as T;
}
