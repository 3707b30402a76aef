import path from 'node:path';
import type { FarmEvent } from '@vrm-lora/farm';
import type { CollectionReport } from '@vrm-lora/manifest';
import type { PipelineEvent, RunSummary } from '@vrm-lora/pipeline';
import cliProgress from 'cli-progress';
import { escapeControlCharacters } from './format-errors.js';
import type { ProgressMode } from './progress.js';

/**
 * Progress of a collection: one bar over the avatars on a terminal (a line per avatar otherwise), entry failures
 * named with their avatar, and `--json` events as they come. Per-stage bars would be thousands for a collection.
 */
export function createCollectionProgress(mode: ProgressMode): {
  onEvent(event: PipelineEvent | FarmEvent): void;
  stop(): void;
} {
  if (mode === 'json') {
    return {
      onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
      stop: () => {},
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
        format: ' avatars |{bar}| {value}/{total}  failed {failedAvatars}  ETA {eta_formatted}  {working}',
        hideCursor: true,
        barsize: 24,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failedAvatars: 0, working: '' });
  };
  // The farm: what each worker has in hand (job id → "worker avatar done/total").
  const working = new Map<string, string>();
  return {
    onEvent(e) {
      switch (e.type) {
        case 'farm-submitted':
          log(`queued ${e.jobs} job(s) on "${e.queue}" as run ${e.runId}; waiting for workers`);
          startBar(e.jobs);
          break;
        case 'job-progress': {
          const p = e.progress ? ` ${e.progress.done}/${e.progress.total}` : '';
          working.set(e.jobId, `${e.worker ?? '?'} ${path.basename(e.avatar)}${p}`);
          bar?.update({ working: [...working.values()].join(' · ') });
          break;
        }
        case 'job-done':
          working.delete(e.jobId);
          if (!bar)
            log(
              `✓ ${path.basename(e.avatar)}: ${e.result.renders.done} rendered, ${e.result.renders.cached} cached by ${e.result.worker}`,
            );
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
          bar?.update(e.index + 1, { failedAvatars });
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
  };
}

/** The closing lines of a collection run. */
export function formatCollectionSummary(
  s: RunSummary,
  report: CollectionReport,
  reportFile: string,
  outDir: string,
): string {
  const r = report.summary;
  const c = s.counts;
  return [
    `${r.written} of ${r.avatars} avatar(s) written (${r.failed} failed): ${r.images} image(s), ${r.failedEntries} entry failure(s) in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  render ${c.render.done} done / ${c.render.cached} cached · post ${c.post.done} done / ${c.post.cached} cached`,
    `  datasets: ${outDir}/<avatar>/`,
    ...report.contactSheets.map((sheet) => `  contact sheet: ${outDir}/${sheet}`),
    `  report: ${reportFile}`,
  ].join('\n');
}
