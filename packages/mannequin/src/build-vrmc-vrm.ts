import { FACE_MORPH_NAMES } from './build-face-geometry.js';
import { MANNEQUIN_BONES } from './mannequin-dimensions.js';
import { MANNEQUIN_VERSION } from './mannequin-version.js';
import {
  LOOK_AT,
  LOOK_AT_OFFSET,
  MANNEQUIN_META,
  type MannequinGltfRefs,
  roundFloat32,
} from './mannequin-vrm-settings.js';

/** VRM 1.0 meta: the mannequin is CC0; the permission fields under the names VRM 1.0 gives them. */
const VRM1_META = {
  name: MANNEQUIN_META.name,
  version: MANNEQUIN_VERSION,
  authors: [MANNEQUIN_META.author],
  licenseUrl: 'https://vrm.dev/licenses/1.0/',
  otherLicenseUrl: MANNEQUIN_META.cc0Url,
  avatarPermission: 'everyone',
  allowExcessivelyViolentUsage: true,
  allowExcessivelySexualUsage: false,
  commercialUsage: 'corporation',
  allowPoliticalOrReligiousUsage: true,
  allowAntisocialOrHateUsage: false,
  creditNotation: 'unnecessary',
  allowRedistribution: true,
  modification: 'allowModificationRedistribution',
} as const;

/** An expression driven by one morph target of the face, blending with every other. */
const EXPRESSION_DEFAULTS = {
  isBinary: false,
  overrideBlink: 'none',
  overrideLookAt: 'none',
  overrideMouth: 'none',
} as const;

/** The `VRMC_vrm` extension of the VRM 1.0 mannequin. */
export function buildVrmcVrm(refs: MannequinGltfRefs): Record<string, unknown> {
  const { nodeOf, meshNodeIndex, faceNode, orient } = refs;
  const horizontal = { inputMaxValue: 90, outputScale: LOOK_AT.horizontalDegrees };
  const vertical = { inputMaxValue: 90, outputScale: LOOK_AT.verticalDegrees };
  return {
    specVersion: '1.0',
    meta: VRM1_META,
    humanoid: {
      humanBones: Object.fromEntries(
        MANNEQUIN_BONES.filter((bone) => bone.humanBone !== null).map((bone) => [
          bone.humanBone,
          { node: nodeOf(bone.name) },
        ]),
      ),
    },
    firstPerson: { meshAnnotations: meshNodeIndex.map((node) => ({ node, type: 'auto' })) },
    lookAt: {
      offsetFromHeadBone: orient(LOOK_AT_OFFSET).map(roundFloat32),
      type: 'bone',
      rangeMapHorizontalInner: horizontal,
      rangeMapHorizontalOuter: horizontal,
      rangeMapVerticalDown: vertical,
      rangeMapVerticalUp: vertical,
    },
    expressions: {
      preset: Object.fromEntries(
        FACE_MORPH_NAMES.map((name, index) => [
          name,
          { morphTargetBinds: [{ node: faceNode, index, weight: 1 }], ...EXPRESSION_DEFAULTS },
        ]),
      ),
    },
  };
}
