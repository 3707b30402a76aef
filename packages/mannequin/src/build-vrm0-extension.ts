import { FACE_MORPH_NAMES } from './build-face-geometry.js';
import { MANNEQUIN_MATERIALS } from './mannequin-colours.js';
import { MANNEQUIN_BONES } from './mannequin-dimensions.js';
import { MANNEQUIN_VERSION } from './mannequin-version.js';
import {
  COLLIDERS,
  HAIR_SPRING,
  LOOK_AT,
  LOOK_AT_OFFSET,
  MANNEQUIN_META,
  type MannequinGltfRefs,
  roundFloat32,
  V0_BONE_NAMES,
  V0_GROUPS,
} from './mannequin-vrm-settings.js';
import type { Vec3 } from './vec3.js';

/** VRM 0.x meta: the mannequin is CC0; the permission fields under the names (and spellings) VRM 0.x uses. */
const VRM0_META = {
  title: MANNEQUIN_META.name,
  version: MANNEQUIN_VERSION,
  author: MANNEQUIN_META.author,
  contactInformation: '',
  reference: '',
  allowedUserName: 'Everyone',
  violentUssageName: 'Allow',
  sexualUssageName: 'Disallow',
  commercialUssageName: 'Allow',
  otherPermissionUrl: '',
  licenseName: 'CC0',
  otherLicenseUrl: MANNEQUIN_META.cc0Url,
} as const;

/** VRM 0.x humanoid settings besides the bones (UniVRM's defaults, no translation). */
const VRM0_HUMANOID_SETTINGS = {
  armStretch: 0.05,
  legStretch: 0.05,
  upperArmTwist: 0.5,
  lowerArmTwist: 0.5,
  upperLegTwist: 0.5,
  lowerLegTwist: 0.5,
  feetSpacing: 0,
  hasTranslationDoF: false,
} as const;

/** VRM 0.x material properties: every material keeps its glTF PBR shading (no MToon). */
const VRM0_MATERIAL_PROPERTIES = MANNEQUIN_MATERIALS.map((material) => ({
  name: material.name,
  shader: 'VRM_USE_GLTFSHADER',
  renderQueue: 2000,
  floatProperties: {},
  vectorProperties: {},
  textureProperties: {},
  keywordMap: {},
  tagMap: {},
}));

/** A VRM 0.x look-at range map: linear from 0 to 90° of input to 0 to `outputDegrees`. */
function degreeMap(outputDegrees: number) {
  return { curve: [0, 0, 0, 1, 1, 1, 1, 0], xRange: 90, yRange: outputDegrees };
}

/** The `VRM` extension of the VRM 0.x mannequin. */
export function buildVrm0Extension(refs: MannequinGltfRefs): Record<string, unknown> {
  return {
    exporterVersion: `vrm-lora-mannequin-${MANNEQUIN_VERSION}`,
    specVersion: '0.0',
    meta: VRM0_META,
    humanoid: {
      humanBones: MANNEQUIN_BONES.filter((bone) => bone.humanBone !== null).map((bone) => ({
        bone: V0_BONE_NAMES[bone.name] ?? bone.humanBone,
        node: refs.nodeOf(bone.name),
        useDefaultValues: true,
      })),
      ...VRM0_HUMANOID_SETTINGS,
    },
    firstPerson: buildFirstPerson(refs),
    blendShapeMaster: { blendShapeGroups: buildBlendShapeGroups(refs.faceMeshIndex) },
    secondaryAnimation: buildSecondaryAnimation(refs),
    materialProperties: VRM0_MATERIAL_PROPERTIES,
  };
}

/** VRM 0.x stores collider and first-person offsets in Unity axes (glTF z negated). */
function toUnityAxes(refs: MannequinGltfRefs, v: Vec3): { x: number; y: number; z: number } {
  const [x, y, z] = refs.orient(v).map(roundFloat32) as [number, number, number];
  return { x, y, z: -z };
}

/** First person and look-at, bone type. */
function buildFirstPerson(refs: MannequinGltfRefs): Record<string, unknown> {
  return {
    firstPersonBone: refs.nodeOf('head'),
    firstPersonBoneOffset: toUnityAxes(refs, LOOK_AT_OFFSET),
    meshAnnotations: refs.meshIndex.map((mesh) => ({ mesh, firstPersonFlag: 'Auto' })),
    lookAtTypeName: 'Bone',
    lookAtHorizontalInner: degreeMap(LOOK_AT.horizontalDegrees),
    lookAtHorizontalOuter: degreeMap(LOOK_AT.horizontalDegrees),
    lookAtVerticalDown: degreeMap(LOOK_AT.verticalDegrees),
    lookAtVerticalUp: degreeMap(LOOK_AT.verticalDegrees),
  };
}

/** One blend-shape group per expression, each driving one morph target of the face at full weight. */
function buildBlendShapeGroups(faceMeshIndex: number): Record<string, unknown>[] {
  return FACE_MORPH_NAMES.map((name, index) => {
    const group = V0_GROUPS[name];
    if (!group) throw new Error(`mannequin: no VRM 0.x group for expression "${name}"`);
    return {
      name: group.name,
      presetName: group.presetName,
      binds: [{ mesh: faceMeshIndex, index, weight: 100 }],
      materialValues: [],
      isBinary: false,
    };
  });
}

/** The hair strand as one bone group (from its root bone down) and the colliders it keeps out of. */
function buildSecondaryAnimation(refs: MannequinGltfRefs): Record<string, unknown> {
  return {
    boneGroups: [
      {
        comment: 'hair',
        stiffiness: HAIR_SPRING.stiffness,
        gravityPower: HAIR_SPRING.gravityPower,
        gravityDir: { x: 0, y: -1, z: 0 },
        dragForce: HAIR_SPRING.dragForce,
        center: -1,
        hitRadius: HAIR_SPRING.hitRadiusMetres,
        bones: [refs.nodeOf('hairRoot')],
        colliderGroups: COLLIDERS.map((_, index) => index),
      },
    ],
    colliderGroups: COLLIDERS.map((collider) => ({
      node: refs.nodeOf(collider.bone),
      colliders: [{ offset: toUnityAxes(refs, collider.offset), radius: collider.radiusMetres }],
    })),
  };
}
