import path from 'node:path';
import type { RunCollectionResult } from '@vrm-lora/pipeline';
import { createCollectionProgress, formatCollectionSummary } from '../collection-progress.js';
import { exitCodes } from '../exit-codes.js';
import { loadFarm } from '../load-farm.js';
import { loadPipeline } from '../load-pipeline.js';
import { progressModeFor } from '../progress.js';
import {
  forceFromFlags,
  type PipelineFlags,
  printRunError,
  sharedRunOptions,
  stopOnInterrupt,
} from './pipeline-options.js';
import { type QueueFlags, tlsOf } from './queue-options.js';

/** Flags of `run` for a collection, local or on a farm. */
export interface CollectionFlags extends QueueFlags {
  vrmDir?: string;
  runId?: string;
  jobAttempts?: number;
}

/**
 * `run --vrm-dir` (one dataset per avatar of a folder, glob or list file, plus any `--vrm`), one avatar after
 * another here, or with `--queue` as jobs for the farm's workers.
 */
export async function runCollectionCommand(
  manifestFile: string,
  flags: PipelineFlags & CollectionFlags,
): Promise<void> {
  const force = forceFromFlags(flags);
  if (force === null) return;
  const { runCollection, resolveAvatarCollection, PipelineInputError } = await loadPipeline();
  const progress = createCollectionProgress(progressModeFor(flags.json));
  const interrupt = stopOnInterrupt();
  try {
    const listed = flags.vrmDir ? await resolveAvatarCollection(flags.vrmDir) : [];
    const vrmPaths = [...new Set([...(flags.vrm ?? []).map((v) => path.resolve(v)), ...listed])];
    if (vrmPaths.length === 0)
      throw new PipelineInputError(
        '--queue needs the avatars: give --vrm-dir <folder|glob|list> or --vrm <file>',
      );
    const options = { ...sharedRunOptions(manifestFile, flags, force), vrmPaths, signal: interrupt.signal };
    let result: RunCollectionResult;
    if (flags.queue) {
      const { submitCollection, queueConnectionOf } = await loadFarm();
      result = await submitCollection({
        ...options,
        connection: queueConnectionOf(flags.queue, tlsOf(flags)),
        ...(flags.queueName ? { queueName: flags.queueName } : {}),
        ...(flags.runId ? { runId: flags.runId } : {}),
        ...(flags.jobAttempts ? { attempts: flags.jobAttempts } : {}),
        onEvent: (e) => progress.onEvent(e),
      });
    } else result = await runCollection({ ...options, onEvent: (e) => progress.onEvent(e) });
    progress.stop();
    if (!flags.json) {
      const out = path.resolve(flags.out);
      const farm = progress.farmSummary();
      process.stderr.write(
        `${formatCollectionSummary(result.summary, result.report, result.reportFile, out, farm)}\n`,
      );
    }
    const r = result.report.summary;
    process.exitCode = r.failed > 0 || r.failedEntries > 0 ? exitCodes.failed : exitCodes.ok;
  } catch (error) {
    progress.stop();
    printRunError(error, interrupt.signal.aborted, PipelineInputError);
  } finally {
    interrupt.dispose();
  }
}
