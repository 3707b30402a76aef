import path from 'node:path';
import type { CollectionAvatar, CollectionReport } from '@vrm-lora/manifest';
import { addRunSummary, newRunSummary, type PipelineEvent, type RunSummary } from './events.js';
import { createLazyRenderer } from './lazy-renderer.js';
import { type CollectionRunOptions, runCollectionAvatar } from './run-collection-avatar.js';
import { writeCollectionSummary } from './write-collection-summary.js';

export interface RunCollectionOptions extends Omit<CollectionRunOptions, 'renderer'> {
  /** The collection's VRM files (`resolveAvatarCollection`); one dataset each, in `<outDir>/<trigger>/`. */
  vrmPaths: string[];
}

export interface RunCollectionResult {
  /** Every avatar's run added up (avatars that failed as a whole add nothing). */
  summary: RunSummary;
  report: CollectionReport;
  reportFile: string;
}

/**
 * Runs a collection of avatars one after another on one browser (started on the first render, closed at the
 * end): each avatar's dataset as `runPipeline` writes it for that avatar alone, with the trigger from its file
 * name, into `<outDir>/<trigger>/`; one cache for all. A bad avatar fails alone (`avatar-end` with its error)
 * and the others go on. Ends with the collection's `report.json` and contact sheet in `outDir`.
 */
export async function runCollection(options: RunCollectionOptions): Promise<RunCollectionResult> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const { vrmPaths, ...shared } = options;
  const summary = newRunSummary(0);
  // Each avatar's run reports the browser's start (browser-start) when its renders start it.
  const renderer = createLazyRenderer({ browser: options.browser, pages: options.pages });
  const avatars: CollectionAvatar[] = [];
  try {
    for (const [index, file] of vrmPaths.entries()) {
      emit({ type: 'avatar-start', file, index, total: vrmPaths.length });
      const done = await runCollectionAvatar({ ...shared, renderer }, file);
      if (done.summary) addRunSummary(summary, done.summary);
      else summary.failed++;
      avatars.push(done.avatar);
      emit({ type: 'avatar-end', avatar: done.avatar, index, total: vrmPaths.length });
    }
  } finally {
    await renderer.close();
  }
  return finishCollection(options, avatars, summary, started);
}

/**
 * A collection's end, local or on a farm: writes its `report.json` and contact sheets (`avatars` in the
 * collection's order), sets `summary.durationMs` from `startedMs` (a `performance.now()`), and emits
 * `collection-end`.
 */
export async function finishCollection(
  options: { outDir: string; manifestFile: string; onEvent?: (event: PipelineEvent) => void },
  avatars: CollectionAvatar[],
  summary: RunSummary,
  startedMs: number,
): Promise<RunCollectionResult> {
  const { report, reportFile } = await writeCollectionSummary(
    options.outDir,
    path.resolve(options.manifestFile),
    avatars,
  );
  summary.durationMs = Math.round(performance.now() - startedMs);
  options.onEvent?.({
    type: 'collection-end',
    report: reportFile,
    contactSheets: report.contactSheets.map((s) => path.join(options.outDir, s)),
    summary: report.summary,
    durationMs: summary.durationMs,
  });
  return { summary, report, reportFile };
}
