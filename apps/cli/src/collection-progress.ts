import path from 'node:path';
import type { FarmEvent } from '@vrm-lora/farm';
import type { CollectionReport } from '@vrm-lora/manifest';
import type { PipelineEvent, RunSummary } from '@vrm-lora/pipeline';
import cliProgress from 'cli-progress';
import { etaOf, FarmTally, renderCounts, workingLine } from './farm-progress.js';
import { escapeControlCharacters } from './format-errors.js';
import type { ProgressMode } from './progress.js';

/**
 * Progress of a collection: one bar over the avatars on a terminal (a line per avatar otherwise), entry failures
 * named with their avatar, and `--json` events as they come. Per-stage bars would be thousands for a collection.
 */
export function createCollectionProgress(mode: ProgressMode): {
  onEvent(event: PipelineEvent | FarmEvent): void;
  stop(): void;
  /** On a farm, what the workers did (the run's own counts are the submitter's, all from the cache). */
  farmSummary(): string | null;
} {
  const farm = new FarmTally();
  if (mode === 'json') {
    return {
      onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
      stop: () => {},
      farmSummary: () => null,
    };
  }
  let bar: cliProgress.SingleBar | null = null;
  let failedAvatars = 0;
  const log = (text: string) => {
    const line = text.split('\n').map(escapeControlCharacters).join('\n');
    // Over the bar's line (it is drawn again on its next update).
    process.stderr.write(bar ? `\r\x1b[K${line}\n` : `${line}\n`);
  };
  const startBar = (total: number) => {
    if (mode !== 'tty' || bar) return;
    bar = new cliProgress.SingleBar(
      {
        format: ' avatars |{bar}| {value}/{total}  failed {failedAvatars}  ETA {left}  {working}',
        hideCursor: true,
        barsize: 24,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failedAvatars: 0, left: '…', working: '' });
    startedMs = performance.now();
  };
  let startedMs = 0;
  // The farm: what each worker has in hand (worker → its job and "worker: avatar done/total"). A worker takes
  // one job at a time: its newest replaces one whose completion the submitter has not seen yet.
  const working = new Map<string, { jobId: string; text: string }>();
  let farmRun = false;
  let jobs = 0;
  // Avatars whose job is over (done, or failed for good: its avatar-end comes without a job-done).
  const settled = new Set<string>();
  const redraw = (value?: number) => {
    if (!bar) return;
    const done = value ?? Math.round(bar.getProgress() * bar.getTotal());
    // Not `eta`: cli-progress's own token (bare seconds) would take its place.
    const left = etaOf(performance.now() - startedMs, done, bar.getTotal());
    // What the bar's format takes before {working}; the rest of the terminal's width is the workers'.
    const used = ` avatars |${'x'.repeat(24)}| ${done}/${bar.getTotal()}  failed ${failedAvatars}  ETA ${left}  `;
    const payload = {
      failedAvatars,
      left,
      working: !farmRun
        ? ''
        : settled.size === 0 && working.size === 0
          ? 'waiting for a worker'
          : workingLine(working, jobs - settled.size, (process.stderr.columns || 80) - used.length - 1),
    };
    if (value === undefined) bar.update(payload);
    else bar.update(value, payload);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'farm-submitted':
          log(`queued ${e.jobs} job(s) on "${e.queue}" as run ${e.runId}; waiting for workers`);
          farmRun = true;
          jobs = e.jobs;
          startBar(e.jobs);
          redraw();
          break;
        case 'job-progress': {
          const p = e.progress?.total ? ` ${e.progress.done}/${e.progress.total}` : '';
          const worker = e.worker ?? '?';
          working.set(e.worker ?? e.jobId, {
            jobId: e.jobId,
            text: `${worker}: ${path.basename(e.avatar, '.vrm')}${p}`,
          });
          redraw();
          break;
        }
        case 'job-done':
          if (working.get(e.result.worker)?.jobId === e.jobId) working.delete(e.result.worker);
          settled.add(e.avatar);
          farm.add(e.result);
          redraw();
          if (!bar) log(`✓ ${path.basename(e.avatar)} done by ${e.result.worker}: ${renderCounts(e.result)}`);
          break;
        case 'job-requeued':
          log(`! ${path.basename(e.avatar)}: queued again: ${e.reason}`);
          break;
        case 'queue-error':
          log(`! queue: ${e.message} (retrying)`);
          break;
        case 'avatar-start':
          startBar(e.total);
          break;
        case 'stage-start':
        case 'stage-end':
        case 'dataset':
        case 'run-start':
        case 'run-end':
          break;
        case 'item':
          if (e.status === 'failed') log(`✗ ${e.avatar} entry ${e.number} (${e.jsonPath}): ${e.error}`);
          break;
        case 'avatar-end': {
          const a = e.avatar;
          if (a.status === 'failed') failedAvatars++;
          if (farmRun) settled.add(a.file);
          redraw(e.index + 1);
          const head = `[${e.index + 1}/${e.total}] ${a.trigger}`;
          if (a.status === 'failed') log(`✗ ${head}: ${a.error}`);
          else if (!bar) log(`${head}: ${a.written} written, ${a.failed} failed → ${a.outDir}/`);
          break;
        }
        case 'browser-start':
          log(`starting browser ${e.executablePath} (${e.source})`);
          break;
        default:
          break;
      }
    },
    stop() {
      bar?.stop();
    },
    farmSummary: () => (farmRun ? farm.summary() : null),
  };
}

/** The closing lines of a collection run; `farm`: the workers' line (`farmSummary`) on a farm. */
export function formatCollectionSummary(
  s: RunSummary,
  report: CollectionReport,
  reportFile: string,
  outDir: string,
  farm: string | null = null,
): string {
  const r = report.summary;
  const c = s.counts;
  return [
    `${r.written} of ${r.avatars} avatar(s) written (${r.failed} failed): ${r.images} image(s), ${r.failedEntries} entry failure(s) in ${(s.durationMs / 1000).toFixed(1)} s`,
    farm ??
      `  render ${c.render.done} done / ${c.render.cached} cached · post ${c.post.done} done / ${c.post.cached} cached`,
    `  datasets: ${outDir}/<avatar>/`,
    ...report.contactSheets.map((sheet) => `  contact sheet: ${outDir}/${sheet}`),
    `  report: ${reportFile}`,
  ].join('\n');
}
