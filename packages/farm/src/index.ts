export {
  FARM_JOB_FORMAT,
  FARM_JOB_VERSION,
  type FarmJob,
  type FarmJobProgress,
  type FarmJobResult,
  farmJobId,
  farmJobSchema,
} from './farm-job.js';
export { DEFAULT_QUEUE_NAME, FARM_PREFIX } from './farm-queue.js';
export { type QueueTlsOptions, queueConnectionOf, redactedQueueUrl } from './queue-connection.js';
export {
  type FarmWorker,
  type StartWorkerOptions,
  startWorker,
  type WorkerEvent,
} from './start-worker.js';
export { type FarmEvent, type SubmitCollectionOptions, submitCollection } from './submit-collection.js';
