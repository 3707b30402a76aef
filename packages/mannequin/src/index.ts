export {
  type CreateMannequinVrmOptions,
  createMannequinVrm,
  MANNEQUIN_EXPRESSIONS,
  MANNEQUIN_VERSION,
  type MannequinSpec,
} from './create-mannequin-vrm.js';
export { MANNEQUIN_COLOURS, MANNEQUIN_MATERIALS, type MannequinMaterial } from './mannequin-colours.js';
export {
  EYE_RADIUS_METRES,
  HEAD_ELLIPSOID,
  MANNEQUIN_BONES,
  MANNEQUIN_DIMENSIONS,
  MANNEQUIN_FACE,
  MANNEQUIN_REST_POSITIONS,
  type MannequinBone,
} from './mannequin-dimensions.js';
export type { MaterialName as MannequinMaterialName } from './mesh-builder.js';
export type { Vec3 } from './vec3.js';
export { writeMannequinVrm } from './write-mannequin-vrm.js';
