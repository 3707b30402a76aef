import path from 'node:path';
import { type CollectionAvatar, formatFinding } from '@vrm-lora/manifest';
import { collectionFolderOf, triggerFromFileName } from './avatar-target.js';
import { cacheDirFor } from './cache-store.js';
import type { RunSummary } from './events.js';
import { PipelineInputError } from './pipeline-error.js';
import { type RunPipelineOptions, runPipeline } from './run-pipeline.js';

/** What a collection run shares between its avatars. */
export type CollectionRunOptions = Omit<RunPipelineOptions, 'vrmPaths' | 'trigger' | 'until'>;

/**
 * One avatar of a collection: its whole run into `<outDir>/<trigger with ->/` with the trigger from its file
 * name and the collection's cache (`<outDir>/.vrm-lora-cache` unless given), on the collection's renderer.
 * A bad avatar (`PipelineInputError`: unreadable, not a VRM) fails here, as a whole, with the message a run of
 * it alone prints; any other error (an abort) is thrown.
 */
export async function runCollectionAvatar(
  options: CollectionRunOptions,
  file: string,
): Promise<{ avatar: CollectionAvatar; summary: RunSummary | null }> {
  const trigger = triggerFromFileName(file);
  const folder = collectionFolderOf(file);
  const base = { file, trigger, outDir: folder, written: 0, failed: 0, warnings: 0 };
  try {
    const result = await runPipeline({
      ...options,
      cacheDir: cacheDirFor(options.outDir, options.cacheDir),
      outDir: path.join(options.outDir, folder),
      vrmPaths: [file],
      trigger,
      until: 'dataset',
    });
    const report = result.reports[0]!;
    const shown = report.entries.find((e) => e.output)?.output?.image;
    return {
      avatar: {
        ...base,
        sha256: report.avatar.sha256,
        status: 'written',
        written: report.summary.written,
        failed: report.summary.failed,
        warnings: report.summary.warnings,
        report: `${folder}/report.json`,
        ...(shown ? { shown: `${folder}/${shown}` } : {}),
      },
      summary: result.summary,
    };
  } catch (error) {
    if (!(error instanceof PipelineInputError)) throw error;
    return { avatar: { ...base, sha256: '', status: 'failed', error: inputErrorText(error) }, summary: null };
  }
}

/**
 * The words a failed avatar carries: the error findings when the check made some (an avatar file that is not
 * there is a finding of the manifest check, whose message is only "invalid manifest"), else the message.
 */
function inputErrorText(error: PipelineInputError): string {
  const errors = error.findings.filter((f) => f.severity === 'error');
  return errors.length > 0 ? errors.map((f) => formatFinding(f)).join('; ') : error.message;
}
