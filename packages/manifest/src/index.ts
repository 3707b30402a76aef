// Formats shared by the stages, listed export by export (a new export is added here on purpose).

export {
  assignVarietyChoices,
  BACKGROUND_IMAGE_EXTENSIONS,
  type BackgroundVarietySpec,
  backgroundVarietySchema,
  describeBackgroundImage,
  GRADIENT_DIRECTIONS,
  type GradientDirection,
  listBackgroundImages,
  listVarietyChoices,
  nameColor,
  type OpaqueColorSpec,
  opaqueColorSchema,
  parseOpaqueColor,
  type VarietyBackground,
  type VarietyChoice,
} from './background-variety.js';
export {
  CAMERA_DIRECTION_WORDS,
  CAMERA_FRAME_SPELLINGS,
  type CameraDirection,
  caseInsensitivePattern,
  labelCameraDirection,
  parseCameraDirection,
  parseCameraFrame,
  parseCameraPosition,
  resolveCameraDirection,
} from './camera.js';
export {
  type CaptionTemplatePiece,
  splitCaptionTemplate,
} from './caption-template.js';
export { checkAvatarBytes, checkAvatarFile } from './check-avatar-bytes.js';
export {
  TRANSPARENT_SEEN_AS,
  transparentSeenAsBlack,
} from './check-backgrounds.js';
export { checkFolderUsable } from './check-folder-usable.js';
export {
  COLLECTION_REPORT_FORMAT,
  COLLECTION_REPORT_VERSION,
  type CollectionAvatar,
  type CollectionReport,
  collectionAvatarSchema,
  collectionReportSchema,
} from './collection-report.js';
export {
  conditioningListSchema,
  contactSheetSchema,
} from './conditioning.js';
export {
  describeJsonType,
  describeValue,
  type Finding,
  formatDidYouMean,
  formatFinding,
  formatJsonPath,
  type JsonPathSegment,
  suggestClosest,
} from './findings.js';
export {
  CONDITIONING_KINDS,
  CONTACT_SHEET_MODES,
  type ConditioningKind,
  type ContactSheetMode,
  normalizeConditioning,
  parseConditioningList,
} from './formats.js';
export {
  CAMERA_FRAMES,
  CAMERA_Y_SCALE,
  type CameraFrame,
  cameraDirectionUsed,
  frameCutsBottom,
  measurePixelBounds,
  type PixelBounds,
  sideMarginPx,
  type Vec3,
} from './framing.js';
export {
  findInvalidUtf8,
  type LoadManifestOptions,
  type LoadManifestResult,
  loadManifest,
} from './load-manifest.js';
export {
  ANIMATION_FILE_EXTENSIONS,
  type BackgroundSpec,
  BUILTIN_POSE_NAMES,
  backgroundSpecSchema,
  CAPTION_TEMPLATE_VARIABLES,
  type CaptionSettings,
  CHARACTER_STUDIO_DEFAULTS,
  captionSettingsSchema,
  DEFAULT_CAPTION_TEMPLATE,
  DEFAULT_CLASS_TOKEN,
  DEFAULT_REPEATS,
  DEFAULT_TAG_TEMPLATE,
  DEFAULT_TRIGGER,
  MANIFEST_FIELD_SCHEMAS,
  MANIFEST_KEYS,
  MAX_MANIFEST_BYTES,
  type Manifest,
  type ManifestEntry,
  manifestEntrySchema,
  manifestEntryShape,
  manifestJsonSchema,
  manifestSchema,
  manifestTopShape,
  sizeSpecSchema,
} from './manifest-schema.js';
export {
  type JsonTextProblem,
  locateOffset,
  MAX_JSON_DEPTH,
  type ParseJsonTextResult,
  parseJsonText,
  type TextPosition,
} from './parse-json-text.js';
export {
  POSE_FILE_FORMAT,
  POSE_FILE_VERSION,
  type PoseFile,
  type PoseSource,
  poseFileSchema,
  poseSourceSchema,
  quaternionSchema,
  VRM_HUMAN_BONE_NAMES,
  type VrmHumanBoneName,
  vector3Schema,
} from './pose-file.js';
export {
  pixelBoundsSchema,
  RENDER_META_FORMAT,
  RENDER_META_VERSION,
  type RenderMeta,
  renderMetaSchema,
} from './render-meta.js';
export {
  FORCE_TARGETS,
  type ForceTarget,
  REPORT_FORMAT,
  REPORT_VERSION,
  type Report,
  type ReportEntry,
  reportEntrySchema,
  reportSchema,
  STAGE_NAMES,
  type StageCounts,
  type StageName,
  type StageOutcome,
} from './report.js';
export {
  BUILTIN_ANIMATION_PREFIX,
  computeEntryId,
  describeEntryForId,
  resolveAnimationFile,
  resolveAnimationsDir,
  resolveBackground,
  resolveManifest,
} from './resolve-manifest.js';
export type {
  Background,
  ResolvedPlan,
  ResolvedShot,
  ResolveManifestOptions,
  ShotAnimation,
  ShotSample,
} from './resolved-plan.js';
export {
  cameraDirectionProblem,
  isCameraFrame,
  isFrameOffset,
  isImageSide,
  MANIFEST_SHOT_LIMITS,
  MAX_IMAGE_SIDE_PIXELS,
  MIN_IMAGE_SIDE_PIXELS,
  MIN_RENDERED_SIDE_PIXELS,
  offsetsLeaveRoom,
  RENDERER_SHOT_LIMITS,
  type ShotLimits,
  type ShotSize,
  type ShotSizeProblem,
  shotSizeProblems,
} from './shot-rules.js';
export {
  type ImageSize,
  parseSize,
  resolveShotSize,
  SDXL_BUCKET_SIZES,
  SIZE_PRESET_NAMES,
  SIZE_PRESETS,
  SIZE_TEXT_PATTERN,
  type SizeFields,
  type SizePresetName,
  type SizeSpec,
  sizeForFrame,
} from './size-presets.js';
export { slugWords } from './slug.js';
export {
  type PlanSummary,
  summarizePlan,
} from './summarize-plan.js';
export {
  TRAINER_NAMES,
  type TrainerName,
} from './trainers.js';
export {
  type ValidateManifestResult,
  validateManifest,
} from './validate-manifest.js';
export { writeFileAtomic } from './write-file-atomic.js';
