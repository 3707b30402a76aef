export { type BakeSinglePoseOptions, bakeSinglePose } from './bake-single-pose.js';
export {
  type CacheItem,
  type CacheKeyInputs,
  type CacheMissReason,
  CacheStore,
  cacheKeyOf,
} from './cache-store.js';
export { demoManifest, prepareDemo } from './demo.js';
export type { ItemStatus, PipelineEvent, RunSummary } from './events.js';
export {
  diffValues,
  type EntryExplanation,
  type ExplainEntryOptions,
  explainEntry,
  type KeyChange,
  type StageExplanation,
} from './explain-entry.js';
export { canonicalJson, sha256, sha256File } from './hash.js';
export { PipelineInputError } from './pipeline-error.js';
export {
  type LastRunRecord,
  loadPlanOrThrow,
  type PostValue,
  type RunItem,
  type RunPipelineOptions,
  type RunPipelineResult,
  type RunUntil,
  runPipeline,
  triggerFromFileName,
} from './run-pipeline.js';
export { selectEntries } from './select-entries.js';
