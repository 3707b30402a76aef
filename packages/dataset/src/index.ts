export type { DatasetEntryOutput } from './collect-entry-outputs.js';
export type { EntryConditioning, EntryKeypoint } from './conditioning-types.js';
export { DATASET_INDEX_FILE } from './dataset-index.js';
export {
  type CaptionExtension,
  type DatasetEntry,
  DatasetError,
  type DatasetLayout,
  type DatasetMaskMode,
  type DatasetOptions,
  type DatasetPlan,
  type DatasetWarning,
  type FileSource,
  type PlannedFile,
  type PlannedFileKind,
  type RegImages,
  type SkippedTrainer,
} from './dataset-types.js';
export { findRegImages, REG_DIR } from './find-reg-images.js';
export { makeAiToolkitConfig } from './make-ai-toolkit-config.js';
export {
  COCO_FROM_OPENPOSE,
  COCO_KEYPOINT_NAMES,
  type CocoKeypointsImage,
  makeCocoKeypoints,
} from './make-coco-keypoints.js';
export { type ControlNetTomlInput, makeControlNetToml } from './make-controlnet-toml.js';
export { makeDatasetToml, toTomlString } from './make-dataset-toml.js';
export { type DiffusersMetadataEntry, makeDiffusersMetadata } from './make-diffusers-metadata.js';
export { type IndexHtmlEntry, makeIndexHtml } from './make-index-html.js';
export { makeOneTrainerConcepts } from './make-onetrainer-concepts.js';
export { makeSamplePrompts, makeSdScriptsSamplePrompts, type SamplePrompt } from './make-sample-prompts.js';
export { makeSimpleTunerBackend } from './make-simpletuner-backend.js';
export { makeTrainingGuide, TRAINER_FILES } from './make-training-guide.js';
export {
  CONDITIONING_DIR,
  type ConditioningPlanInput,
  KEYPOINTS_FILE,
  type PlacedEntry,
  planConditioningFiles,
} from './plan-conditioning-files.js';
export {
  CONTACT_SHEET_FILE,
  DATASET_TOML_FILE,
  INDEX_HTML_FILE,
  planDatasetFiles,
} from './plan-dataset-files.js';
export {
  chooseTrainers,
  planTrainerFiles,
  type TrainerSupportFacts,
  trainerSupportProblem,
} from './plan-trainer-files.js';
export { TRAIN_DIR } from './resolve-plan-settings.js';
export {
  isWindowsReservedName,
  MAX_SLUG_LENGTH,
  makeEntryStem,
  makeSafeSegment,
  padEntryNumber,
  slugify,
} from './safe-names.js';
export {
  areaResolution,
  BUCKET_STEP_PX,
  bucketWarnings,
  mostCommonSize,
  type TrainerDatasetInfo,
} from './trainer-dataset-info.js';
export { type WriteDatasetControl, type WriteDatasetResult, writeDataset } from './write-dataset.js';
export type { WrittenFile } from './write-planned-files.js';
