import type { PipelineEvent } from '@vrm-lora/pipeline';
import { Job, type Queue } from 'bullmq';
import type { FarmJob, FarmJobProgress, FarmJobResult } from './farm-job.js';
import type { FarmEvent } from './submit-collection.js';

/** A submitted job not yet settled. */
export interface PendingJob {
  id: string;
  data: FarmJob;
}

/** How a job ended: its result, or why it failed for good. */
export type JobOutcome = { result: FarmJobResult } | { failed: string };

/** Jobs whose state is read per poll: enough for any farm, bounded for collections of thousands. */
const STATES_PER_POLL = 500;

/**
 * Follows a run's jobs until each has settled, by polling (a Redis restart loses events, never a poll): every
 * `pollMs`, the progress of the run's active jobs, and the state of up to 500 pending jobs in turn. A job
 * Redis no longer knows (its data was lost) is queued again with `requeue`; one completed or failed for good
 * goes to `onSettled`, awaited before the next poll. A poll that fails (Redis away) is reported and retried.
 */
export async function watchFarmJobs(
  queue: Queue,
  pending: PendingJob[],
  options: {
    pollMs: number;
    signal: AbortSignal | undefined;
    requeue(job: PendingJob): Promise<void>;
    onSettled(job: PendingJob, outcome: JobOutcome): Promise<void>;
    emit(event: PipelineEvent | FarmEvent): void;
  },
): Promise<void> {
  const left = new Map(pending.map((p) => [p.id, p]));
  let cursor = 0;
  let failing = false;
  while (left.size > 0) {
    options.signal?.throwIfAborted();
    try {
      await reportProgress(queue, left, options.emit);
      const ids = [...left.keys()];
      cursor %= ids.length;
      const batch = ids.slice(cursor, cursor + STATES_PER_POLL);
      cursor += STATES_PER_POLL;
      for (const id of batch) {
        const job = left.get(id)!;
        const outcome = await outcomeOf(queue, job, options);
        if (!outcome) continue;
        left.delete(id);
        await options.onSettled(job, outcome);
        // Settled and written: the job's record is not needed any more.
        await queue.remove(id).catch(() => {});
      }
      failing = false;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (!failing) options.emit({ type: 'queue-error', message: (error as Error).message });
      failing = true;
    }
    if (left.size > 0) await sleep(options.pollMs, options.signal);
  }
}

async function outcomeOf(
  queue: Queue,
  job: PendingJob,
  options: { requeue(job: PendingJob): Promise<void>; emit(event: FarmEvent): void },
): Promise<JobOutcome | null> {
  const state = await queue.getJobState(job.id);
  if (state === 'unknown') {
    options.emit({
      type: 'job-requeued',
      jobId: job.id,
      avatar: job.data.avatar.file,
      reason: 'the queue lost it (Redis restarted without its data)',
    });
    await options.requeue(job);
    return null;
  }
  if (state !== 'completed' && state !== 'failed') return null;
  const stored = await Job.fromId(queue, job.id);
  if (!stored) return null;
  if (state === 'completed') return { result: stored.returnvalue as FarmJobResult };
  return { failed: stored.failedReason || 'the job failed without a reason' };
}

async function reportProgress(
  queue: Queue,
  left: Map<string, PendingJob>,
  emit: (event: FarmEvent) => void,
): Promise<void> {
  for (const job of await queue.getActive()) {
    const mine = job.id ? left.get(job.id) : undefined;
    if (!mine) continue;
    const progress = typeof job.progress === 'object' ? (job.progress as FarmJobProgress) : null;
    emit({
      type: 'job-progress',
      jobId: mine.id,
      avatar: mine.data.avatar.file,
      worker: job.processedBy ?? null,
      progress,
    });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
