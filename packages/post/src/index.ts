export { type Background, backgroundFromGrayscale } from './background.js';
export { type ExpectedMargins, MARGIN_TOLERANCE_PX } from './check-margins.js';
export { compositeOverPixels } from './composite-over-pixels.js';
export {
  type DrawOpenPoseInput,
  drawOpenPose,
  type OpenPoseKeypoint,
  openCvJsVersion,
} from './draw-openpose.js';
export type { ImageFormat } from './encode-final-image.js';
export {
  type ConditioningMapInput,
  type ConditioningMapResult,
  finishConditioningMap,
  MAP_FILL_RADIUS_PX,
} from './finish-conditioning-map.js';
export { makeBackgroundPixels, type PictureBackground } from './make-background-pixels.js';
export { type ConditioningSheetRow, makeConditioningSheet } from './make-conditioning-sheet.js';
export {
  CONTACT_SHEET_VERSION,
  type ContactSheetItem,
  type ContactSheetOptions,
  makeContactSheet,
} from './make-contact-sheet.js';
export {
  type MeasureSubjectBoundsOptions,
  measureRawSubjectBounds,
  measureSubjectBounds,
  type SubjectBounds,
  subjectBoundsOf,
} from './measure-subject-bounds.js';
export {
  handEdgeColour,
  OPENPOSE_BODY_KEYPOINTS,
  OPENPOSE_COLOURS,
  OPENPOSE_FACE_COLOUR,
  OPENPOSE_FACE_RADIUS_PX,
  OPENPOSE_HAND_EDGES,
  OPENPOSE_LIMB_LEVEL,
  OPENPOSE_LIMBS,
} from './openpose-palette.js';
export {
  type AlphaMaskMode,
  POST_VERSION,
  type PostProcessInput,
  type PostProcessOptions,
  type PostProcessRender,
  type PostProcessResult,
  postProcess,
  type RawPixels,
  SHARP_VERSION,
} from './post-process.js';
export { PostProcessError } from './post-process-error.js';
export { wrapLabel } from './wrap-label.js';
