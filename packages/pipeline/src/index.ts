export { canonicalJson, sha256, sha256File } from '@vrm-lora/manifest/hash';
export { collectionFolderOf, triggerFromFileName } from './avatar-target.js';
export { type BakeSinglePoseOptions, bakeSinglePose } from './bake-single-pose.js';
export {
  type CacheItem,
  type CacheKeyInputs,
  type CacheMissReason,
  CacheStore,
  cacheDirFor,
  cacheKeyOf,
} from './cache-store.js';
export { demoManifest, prepareDemo } from './demo.js';
export type { PostValue } from './entry-state.js';
export {
  addRunSummary,
  type ItemStatus,
  newRunSummary,
  type PipelineEvent,
  type RunSummary,
} from './events.js';
export {
  diffValues,
  type EntryExplanation,
  type ExplainEntryOptions,
  explainEntry,
  type KeyChange,
  type StageExplanation,
} from './explain-entry.js';
export type { LastRunRecord } from './last-run-record.js';
export {
  createLazyRenderer,
  type LazyRenderer,
  type LazyRendererListener,
  type LazyRendererOptions,
} from './lazy-renderer.js';
export { loadPlanOrThrow } from './load-plan-or-throw.js';
export {
  acquireOutputLock,
  OUTPUT_LOCK_FILE,
  type OutputLock,
  type OutputLockOwner,
  readOutputLock,
} from './output-lock.js';
export { PipelineInputError } from './pipeline-error.js';
export { resolveAvatarCollection } from './resolve-avatar-collection.js';
export { resolveRendererBrowser } from './resolve-render-runtime.js';
export {
  finishCollection,
  type RunCollectionOptions,
  type RunCollectionResult,
  runCollection,
} from './run-collection.js';
export { type CollectionRunOptions, runCollectionAvatar } from './run-collection-avatar.js';
export type { RunItem } from './run-item.js';
export {
  type RunPipelineOptions,
  type RunPipelineResult,
  type RunUntil,
  runPipeline,
} from './run-pipeline.js';
export { selectEntries } from './select-entries.js';
export { writeCollectionSummary } from './write-collection-summary.js';
