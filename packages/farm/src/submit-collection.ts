import { randomBytes } from 'node:crypto';
import type { CollectionAvatar } from '@vrm-lora/manifest';
import {
  addRunSummary,
  collectionFolderOf,
  finishCollection,
  type LazyRenderer,
  newRunSummary,
  type PipelineEvent,
  type RunCollectionOptions,
  type RunCollectionResult,
  runCollectionAvatar,
  triggerFromFileName,
} from '@vrm-lora/pipeline';
import { type ConnectionOptions, Queue } from 'bullmq';
import { buildFarmJobs } from './build-farm-jobs.js';
import { type FarmJobProgress, type FarmJobResult, farmJobId } from './farm-job.js';
import { DEFAULT_QUEUE_NAME, FARM_PREFIX } from './farm-queue.js';
import { type PendingJob, watchFarmJobs } from './watch-farm-jobs.js';

/** What the submitter reports besides the pipeline's events (its datasets' runs and the collection's). */
export type FarmEvent =
  | { type: 'farm-submitted'; runId: string; queue: string; jobs: number }
  | {
      type: 'job-progress';
      jobId: string;
      avatar: string;
      worker: string | null;
      progress: FarmJobProgress | null;
    }
  | { type: 'job-done'; jobId: string; avatar: string; result: FarmJobResult }
  | { type: 'job-requeued'; jobId: string; avatar: string; reason: string }
  | { type: 'queue-error'; message: string };

/** Options of {@link submitCollection}: a collection run's, plus the queue's. */
export interface SubmitCollectionOptions extends Omit<RunCollectionOptions, 'onEvent' | 'pages'> {
  connection: ConnectionOptions;
  /** The queue's name (default `vrm-lora`). */
  queueName?: string;
  /** This run's id (lower-case letters, digits, `-`); default random. Its jobs' ids start with it. */
  runId?: string;
  /** Tries per job before it fails (a crash, a lost browser); default 3. A bad avatar fails at once. */
  attempts?: number;
  /** How often the submitter looks at its jobs (ms); default 1000. */
  pollMs?: number;
  onEvent?: (event: PipelineEvent | FarmEvent) => void;
}

/**
 * Runs a collection on a farm: one BullMQ job per avatar (file paths and sha256s, never code), taken by
 * `startWorker` processes anywhere that render into the shared cache; as each job completes, this process
 * writes that avatar's dataset from the cache (exactly as `runCollection` would, without a browser), then the
 * collection's report.json and contact sheet. Jobs lost with Redis's data (a restart without persistence) are
 * queued again; those of other runs on the same queue are never touched.
 */
export async function submitCollection(options: SubmitCollectionOptions): Promise<RunCollectionResult> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const runId = options.runId ?? `run-${randomBytes(6).toString('hex')}`;
  const queueName = options.queueName ?? DEFAULT_QUEUE_NAME;
  const built = await buildFarmJobs(
    runId,
    {
      ...options,
      ...(options.browser?.glBackend ? { glBackend: options.browser.glBackend } : {}),
    },
    options.vrmPaths,
  );
  const queue = new Queue(queueName, { connection: options.connection, prefix: FARM_PREFIX });
  queue.on('error', (error) => emit({ type: 'queue-error', message: error.message }));
  const avatars = new Map<string, CollectionAvatar>();
  const summary = newRunSummary(0);
  try {
    const pending: PendingJob[] = [];
    for (const [index, b] of built.entries()) {
      if ('job' in b) pending.push({ id: farmJobId(runId, index), data: b.job });
      else {
        const file = options.vrmPaths[index]!;
        const failed = failedAvatar(file, b.error);
        avatars.set(file, failed);
        summary.failed++;
        emit({ type: 'avatar-end', avatar: failed, index: avatars.size - 1, total: built.length });
      }
    }
    const attempts = options.attempts ?? 3;
    const jobOptions = (id: string) => ({
      jobId: id,
      attempts,
      backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: false,
      removeOnFail: false,
    });
    for (let i = 0; i < pending.length; i += 500)
      await queue.addBulk(
        pending.slice(i, i + 500).map((p) => ({ name: 'avatar', data: p.data, opts: jobOptions(p.id) })),
      );
    emit({ type: 'farm-submitted', runId, queue: queueName, jobs: pending.length });
    await watchFarmJobs(queue, pending, {
      pollMs: options.pollMs ?? 1000,
      signal: options.signal,
      requeue: (p) => queue.add('avatar', p.data, jobOptions(p.id)).then(() => {}),
      emit,
      // Each avatar's dataset, as its job completes: from the cache, with a renderer that refuses to render.
      onSettled: async (p, outcome) => {
        const file = p.data.avatar.file;
        let avatar: CollectionAvatar;
        if ('failed' in outcome) {
          avatar = failedAvatar(file, outcome.failed);
          summary.failed++;
        } else {
          emit({ type: 'job-done', jobId: p.id, avatar: file, result: outcome.result });
          const done = await runCollectionAvatar(
            {
              ...options,
              renderer: refusingRenderer(outcome.result),
              failedElsewhere: workerFailuresOf(outcome.result),
              browserElsewhere: outcome.result.renderer?.browserStarted ?? false,
            },
            file,
          );
          avatar = done.avatar;
          if (done.summary) addRunSummary(summary, done.summary);
          else summary.failed++;
        }
        avatars.set(file, avatar);
        emit({ type: 'avatar-end', avatar, index: avatars.size - 1, total: built.length });
      },
    });
  } finally {
    await queue.close();
  }
  const ordered = options.vrmPaths.flatMap((f) => (avatars.has(f) ? [avatars.get(f)!] : []));
  return finishCollection({ ...options, onEvent: emit }, ordered, summary, started);
}

function failedAvatar(file: string, error: string): CollectionAvatar {
  return {
    file,
    sha256: '',
    trigger: triggerFromFileName(file),
    outDir: collectionFolderOf(file),
    status: 'failed',
    error,
    written: 0,
    failed: 0,
    warnings: 0,
  };
}

/**
 * The entries the worker failed, with its message (`render: …`, `conditioning depth: …`): the dataset's run fails
 * them the same way instead of asking its refusing renderer.
 */
function workerFailuresOf(result: FarmJobResult): Map<number, string> {
  return new Map(result.failedEntries.map((e) => [e.number, e.error] as const));
}

/**
 * The submitter's renderer: every render of a completed job is in the shared cache (or failed on the worker,
 * `workerFailuresOf`), so a render asked for here means a cache this machine does not share with the workers.
 */
function refusingRenderer(result: FarmJobResult): LazyRenderer {
  const why = `not in the shared cache after worker ${result.worker} ran it: give the submitter and the workers the same --cache-dir, vrm-lora build and Chromium version`;
  return {
    renderShot: () => Promise.reject(new Error(why)),
    renderMaps: () => Promise.reject(new Error(why)),
    prepare: () => Promise.resolve(),
    // What rendered: the worker's browser, when it rendered for this job.
    facts: () => {
      const r = result.renderer;
      if (!r?.browserStarted) return Promise.resolve(null);
      return Promise.resolve({
        glBackend: r.glBackend,
        glRenderer: r.glRenderer ?? '',
        glBackendReason: r.glBackendReason,
      });
    },
    close: () => Promise.resolve(),
    listen: () => () => {},
    stats: () => ({ browserStarts: 0, avatarLoads: 0 }),
  };
}
