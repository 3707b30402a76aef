export {
  type CaptionExtension,
  type DatasetEntry,
  DatasetError,
  type DatasetLayout,
  type DatasetMaskMode,
  type DatasetOptions,
  type DatasetPlan,
  type FileSource,
  type PlannedFile,
  type PlannedFileKind,
} from './dataset-types.js';
export { type DatasetTomlInput, makeDatasetToml, toTomlString } from './make-dataset-toml.js';
export { type IndexHtmlEntry, makeIndexHtml } from './make-index-html.js';
export {
  CONTACT_SHEET_FILE,
  DATASET_TOML_FILE,
  INDEX_HTML_FILE,
  planDatasetFiles,
  TRAIN_DIR,
} from './plan-dataset-files.js';
export {
  isWindowsReservedName,
  MAX_SLUG_LENGTH,
  makeEntryStem,
  makeSafeSegment,
  padEntryNumber,
  slugify,
} from './safe-names.js';
export {
  DATASET_INDEX_FILE,
  type DatasetEntryOutput,
  type WriteDatasetControl,
  type WriteDatasetResult,
  type WrittenFile,
  writeDataset,
} from './write-dataset.js';
