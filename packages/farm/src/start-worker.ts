import os from 'node:os';
import path from 'node:path';
import { createLazyRenderer, type PipelineEvent, PipelineInputError, runPipeline } from '@vrm-lora/pipeline';
import { type ConnectionOptions, type Job, UnrecoverableError, Worker } from 'bullmq';
import { type FarmJob, type FarmJobProgress, type FarmJobResult, farmJobSchema } from './farm-job.js';
import { DEFAULT_QUEUE_NAME, FARM_PREFIX } from './farm-queue.js';

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  connection: ConnectionOptions;
  /** The queue's name (default `vrm-lora`); submitters and workers of one farm use the same. */
  queueName?: string;
  /** The shared cache folder every worker and the submitter use (on shared storage across machines). */
  cacheDir: string;
  /** Folders the worker may read inputs from; a job naming a file elsewhere fails. Empty: anywhere. */
  inputRoots?: string[];
  /** Render pages (each keeps the last avatar it loaded); default 1. */
  pages?: number;
  /** This machine's browser (the GL backend comes with each job). */
  executablePath?: string;
  /** The worker's name in jobs (`processedBy`) and events; default `<host>:<pid>`. */
  name?: string;
  /**
   * How long a job's lock lasts without renewal (ms, default 30 000): a worker killed mid-job loses its job to
   * another worker once the lock runs out and a stalled check sees it.
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs (ms, default 30 000). */
  stalledIntervalMs?: number;
  /** How many times a job may stall (its worker died) before it fails; default 3. */
  maxStalledCount?: number;
  onEvent?: (event: WorkerEvent) => void;
}

/** What a worker reports: jobs taken and finished, and Redis connection trouble. */
export type WorkerEvent =
  | { type: 'worker-ready'; name: string }
  | { type: 'job-start'; jobId: string; avatar: string }
  | { type: 'job-done'; jobId: string; avatar: string; result: FarmJobResult }
  | { type: 'job-failed'; jobId: string; avatar: string; error: string }
  | { type: 'worker-error'; message: string }
  | { type: 'browser-start'; executablePath: string; source: string };

/** A running worker. */
export interface FarmWorker {
  name: string;
  /** Finishes the job in hand, then closes the queue connection and the browser. */
  close(): Promise<void>;
}

/**
 * Takes jobs from the farm's queue one at a time: checks the files a job names (input roots and sha256), then
 * runs bake, render and post for its avatar into the shared cache on one browser kept open between jobs
 * (items already in the cache, whoever made them, are not made again). Writes nothing but cache items. A bad
 * avatar fails its job at once with the message a local run prints; other failures are retried by BullMQ.
 */
export async function startWorker(options: StartWorkerOptions): Promise<FarmWorker> {
  const emit = options.onEvent ?? (() => {});
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const renderer = createLazyRenderer({
    browser: options.executablePath ? { executablePath: options.executablePath } : {},
    pages: options.pages ?? 1,
    onStart: (info) => emit({ type: 'browser-start', ...info }),
  });
  const processJob = async (job: Job): Promise<FarmJobResult> => {
    const parsed = farmJobSchema.safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`not a vrm-lora farm job: ${parsed.error.issues[0]?.message ?? ''}`);
    emit({ type: 'job-start', jobId: job.id ?? '', avatar: parsed.data.avatar.file });
    return runFarmJob(job, parsed.data, { options, name, renderer });
  };
  const worker = new Worker(options.queueName ?? DEFAULT_QUEUE_NAME, processJob, {
    connection: options.connection,
    prefix: FARM_PREFIX,
    name,
    concurrency: 1,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 3,
  });
  forwardWorkerEvents(worker, emit);
  await worker.waitUntilReady();
  emit({ type: 'worker-ready', name });
  return {
    name,
    async close() {
      await worker.close();
      await renderer.close();
    },
  };
}

/** What every job of one worker shares: its options, its name, its browser. */
interface WorkerSetup {
  options: StartWorkerOptions;
  name: string;
  renderer: ReturnType<typeof createLazyRenderer>;
}

/**
 * One job: its files checked (input roots, sha256), then bake, render and post for its avatar into the shared
 * cache. A bad avatar or manifest fails the same way on every try: an UnrecoverableError, so no retry.
 */
async function runFarmJob(job: Job, data: FarmJob, setup: WorkerSetup): Promise<FarmJobResult> {
  const { options, name, renderer } = setup;
  const { verifyJobInputs } = await import('./verify-job-inputs.js');
  const refused = await verifyJobInputs(data, options.inputRoots ?? []);
  if (refused) throw new UnrecoverableError(refused);
  const cacheDir = path.resolve(options.cacheDir);
  const started = performance.now();
  const progress = createProgressReporter(job);
  try {
    const result = await runPipeline({
      manifestFile: data.manifest.file,
      vrmPaths: [data.avatar.file],
      ...(data.animationsDir ? { animationsDir: data.animationsDir } : {}),
      // Nothing is written outside the cache up to `post`: the output folder is never created.
      outDir: cacheDir,
      cacheDir,
      ...(data.only ? { only: data.only } : {}),
      ...(data.force ? { force: data.force } : {}),
      ...(data.conditioning ? { conditioning: data.conditioning } : {}),
      strict: data.strict,
      ...(data.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
      until: 'post',
      pages: options.pages ?? 1,
      browser: {
        ...(options.executablePath ? { executablePath: options.executablePath } : {}),
        ...(data.glBackend ? { glBackend: data.glBackend } : {}),
      },
      renderer,
      onEvent: progress.onEvent,
    });
    await progress.flush();
    const c = result.summary.counts;
    return {
      worker: name,
      durationMs: Math.round(performance.now() - started),
      renders: { done: c.render.done, cached: c.render.cached, failed: c.render.failed },
      posts: { done: c.post.done, cached: c.post.cached, failed: c.post.failed },
      failedEntries: result.items.flatMap((i) => (i.error ? [{ number: i.number, error: i.error }] : [])),
      ...(result.reports[0]?.renderer ? { renderer: result.reports[0].renderer } : {}),
    };
  } catch (error) {
    if (error instanceof PipelineInputError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

/** The BullMQ worker's completions, failures and connection errors as {@link WorkerEvent}s. */
function forwardWorkerEvents(worker: Worker, emit: (event: WorkerEvent) => void): void {
  worker.on('completed', (job, result: FarmJobResult) =>
    emit({ type: 'job-done', jobId: job.id ?? '', avatar: String(job.data?.avatar?.file), result }),
  );
  worker.on('failed', (job, error) =>
    emit({
      type: 'job-failed',
      jobId: job?.id ?? '',
      avatar: String(job?.data?.avatar?.file),
      error: error.message,
    }),
  );
  worker.on('error', (error) => emit({ type: 'worker-error', message: error.message }));
}

/** Sends a job's progress (shots served, of the avatar's entries) at most twice a second. */
function createProgressReporter(job: Job): {
  onEvent(event: PipelineEvent): void;
  flush(): Promise<void>;
} {
  const state: FarmJobProgress = { done: 0, total: 0 };
  let last = 0;
  let sending: Promise<void> = Promise.resolve();
  const send = () => {
    last = performance.now();
    const snapshot = { ...state };
    sending = sending.then(() => job.updateProgress(snapshot)).catch(() => {});
  };
  return {
    onEvent(e) {
      if (e.type === 'stage-start' && e.stage === 'render') state.total = e.total;
      else if (e.type === 'item' && e.stage === 'render') state.done++;
      else return;
      if (performance.now() - last > 500) send();
    },
    async flush() {
      send();
      await sending;
    },
  };
}
