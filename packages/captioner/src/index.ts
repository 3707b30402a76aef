export {
  CAPTIONER_VERSION,
  type CaptionForShotOptions,
  captionForShot,
  captionLinesForShot,
  captionVarsForShot,
  FRAME_WORDS,
  humaniseAnimationName,
} from './caption-for-shot.js';
export type { CaptionShot } from './caption-shot.js';
export {
  CAMERA_Y_SCALE,
  type CameraView,
  type DeriveViewOptions,
  deriveView,
  VIEW_ELEVATION_LIMIT_DEGREES,
  VIEW_FRONT_AZIMUTH_DEGREES,
} from './derive-view.js';
export { keepTokensFor } from './keep-tokens-for.js';
export {
  CAPTION_VARIABLES,
  CaptionError,
  type CaptionStyle,
  type CaptionVariable,
  type CaptionVars,
  DEFAULT_CAPTION_TEMPLATE,
  DEFAULT_TAG_TEMPLATE,
  normaliseCaption,
  parseCaptionTemplate,
  type RenderCaptionOptions,
  renderCaption,
} from './render-caption.js';
