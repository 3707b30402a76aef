import path from 'node:path';
import { createCollectionProgress, formatCollectionSummary } from '../collection-progress.js';
import { exitCodes } from '../exit-codes.js';
import { loadPipeline } from '../load-pipeline.js';
import { progressModeFor } from '../progress.js';
import { type PipelineFlags, parseForceFlag, printRunError, sharedRunOptions } from './pipeline-options.js';

/** `run --vrm-dir`: one dataset per avatar of a folder, glob or list file (plus any `--vrm`), one after another. */
export async function runCollectionCommand(
  manifestFile: string,
  flags: PipelineFlags & { vrmDir: string },
): Promise<void> {
  const force = parseForceFlag(flags);
  if (force === null) return;
  const { runCollection, resolveAvatarCollection, PipelineInputError } = await loadPipeline();
  const progress = createCollectionProgress(progressModeFor(flags.json));
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping… (the next run resumes from the cache)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const listed = await resolveAvatarCollection(flags.vrmDir);
    const vrmPaths = [...new Set([...(flags.vrm ?? []).map((v) => path.resolve(v)), ...listed])];
    const result = await runCollection({
      ...sharedRunOptions(manifestFile, flags, force),
      vrmPaths,
      signal: controller.signal,
      onEvent: (e) => progress.onEvent(e),
    });
    progress.stop();
    if (!flags.json)
      process.stderr.write(
        `${formatCollectionSummary(result.summary, result.report, result.reportFile, path.resolve(flags.out))}\n`,
      );
    const r = result.report.summary;
    process.exitCode = r.failed > 0 || r.failedEntries > 0 ? exitCodes.failed : exitCodes.ok;
  } catch (error) {
    progress.stop();
    printRunError(error, controller.signal.aborted, PipelineInputError);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
