export { type Background, backgroundFromGrayscale } from './background.js';
export { compositeOverPixels } from './composite-over-pixels.js';
export { makeBackgroundPixels, type PictureBackground } from './make-background-pixels.js';
export {
  CONTACT_SHEET_VERSION,
  type ContactSheetItem,
  type ContactSheetOptions,
  makeContactSheet,
  wrapLabel,
} from './make-contact-sheet.js';
export {
  type MeasureSubjectBoundsOptions,
  measureRawSubjectBounds,
  measureSubjectBounds,
  type SubjectBounds,
} from './measure-subject-bounds.js';
export {
  type AlphaMaskMode,
  type ExpectedMargins,
  type ImageFormat,
  MARGIN_TOLERANCE_PX,
  POST_VERSION,
  PostProcessError,
  type PostProcessInput,
  type PostProcessResult,
  postProcess,
  SHARP_VERSION,
} from './post-process.js';
