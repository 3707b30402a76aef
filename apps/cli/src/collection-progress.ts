import path from 'node:path';
import type { FarmEvent } from '@vrm-lora/farm';
import type { CollectionReport } from '@vrm-lora/manifest';
import type { PipelineEvent, RunSummary } from '@vrm-lora/pipeline';
import cliProgress from 'cli-progress';
import { etaOf, FarmTally, renderCounts, workingLine } from './farm-progress.js';
import { escapeControlCharacters } from './format-errors.js';
import { conditioningCounts, type ProgressMode } from './progress.js';

/** What {@link createCollectionProgress} gives the command. */
export interface CollectionProgress {
  onEvent(event: PipelineEvent | FarmEvent): void;
  stop(): void;
  /** On a farm, what the workers did (the run's own counts are the submitter's, all from the cache). */
  farmSummary(): string | null;
}

const BAR_SIZE = 24;

/**
 * Progress of a collection: one bar over the avatars on a terminal (a line per avatar otherwise), entry failures
 * named with their avatar, and `--json` events as they come. Per-stage bars would be thousands for a collection.
 */
export function createCollectionProgress(mode: ProgressMode): CollectionProgress {
  if (mode === 'json') {
    return {
      onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
      stop: () => {},
      farmSummary: () => null,
    };
  }
  return new CollectionProgressView(mode === 'tty');
}

/** The terminal/line display of a collection: the avatars' bar, the farm's workers, failures as lines. */
class CollectionProgressView implements CollectionProgress {
  private readonly farm = new FarmTally();
  private bar: cliProgress.SingleBar | null = null;
  private failedAvatars = 0;
  private startedMs = 0;
  // The farm: what each worker has in hand (worker → its job and "worker: avatar done/total"). A worker takes
  // one job at a time: its newest replaces one whose completion the submitter has not seen yet.
  private readonly working = new Map<string, { jobId: string; text: string }>();
  private farmRun = false;
  private jobs = 0;
  // Avatars whose job is over (done, or failed for good: its avatar-end comes without a job-done).
  private readonly settled = new Set<string>();

  constructor(private readonly tty: boolean) {}

  onEvent(e: PipelineEvent | FarmEvent): void {
    switch (e.type) {
      case 'farm-submitted':
      case 'job-progress':
      case 'job-done':
      case 'job-requeued':
      case 'queue-error':
        this.onFarmEvent(e);
        break;
      case 'avatar-start':
        this.startBar(e.total);
        break;
      case 'item':
        if (e.status === 'failed') this.log(`✗ ${e.avatar} entry ${e.number} (${e.jsonPath}): ${e.error}`);
        break;
      case 'avatar-end':
        this.onAvatarEnd(e);
        break;
      case 'browser-start':
        this.log(`starting browser ${e.executablePath} (${e.source})`);
        break;
      default:
        break;
    }
  }

  stop(): void {
    this.bar?.stop();
  }

  farmSummary(): string | null {
    return this.farmRun ? this.farm.summary() : null;
  }

  private onFarmEvent(e: FarmEvent): void {
    switch (e.type) {
      case 'farm-submitted':
        this.log(`queued ${e.jobs} job(s) on "${e.queue}" as run ${e.runId}; waiting for workers`);
        this.farmRun = true;
        this.jobs = e.jobs;
        this.startBar(e.jobs);
        this.redraw();
        break;
      case 'job-progress': {
        const p = e.progress?.total ? ` ${e.progress.done}/${e.progress.total}` : '';
        const worker = e.worker ?? '?';
        this.working.set(e.worker ?? e.jobId, {
          jobId: e.jobId,
          text: `${worker}: ${path.basename(e.avatar, '.vrm')}${p}`,
        });
        this.redraw();
        break;
      }
      case 'job-done':
        if (this.working.get(e.result.worker)?.jobId === e.jobId) this.working.delete(e.result.worker);
        this.settled.add(e.avatar);
        this.farm.add(e.result);
        this.redraw();
        if (!this.bar)
          this.log(`✓ ${path.basename(e.avatar)} done by ${e.result.worker}: ${renderCounts(e.result)}`);
        break;
      case 'job-requeued':
        this.log(`! ${path.basename(e.avatar)}: queued again: ${e.reason}`);
        break;
      case 'queue-error':
        this.log(`! queue: ${e.message} (retrying)`);
        break;
      default:
        break;
    }
  }

  private onAvatarEnd(e: Extract<PipelineEvent, { type: 'avatar-end' }>): void {
    const a = e.avatar;
    if (a.status === 'failed') this.failedAvatars++;
    if (this.farmRun) this.settled.add(a.file);
    this.redraw(e.index + 1);
    const head = `[${e.index + 1}/${e.total}] ${a.trigger}`;
    if (a.status === 'failed') this.log(`✗ ${head}: ${a.error}`);
    else if (!this.bar)
      this.log(
        `${head}: ${a.written} written, ${a.failed} failed${a.warnings > 0 ? `, ${a.warnings} warning(s) (see its report.json)` : ''} → ${a.outDir}/`,
      );
  }

  private log(text: string): void {
    const line = text.split('\n').map(escapeControlCharacters).join('\n');
    // Over the bar's line (it is drawn again on its next update).
    process.stderr.write(this.bar ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  private startBar(total: number): void {
    if (!this.tty || this.bar) return;
    this.bar = new cliProgress.SingleBar(
      {
        format: ' avatars |{bar}| {value}/{total}  failed {failedAvatars}  ETA {left}  {working}',
        hideCursor: true,
        barsize: BAR_SIZE,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { failedAvatars: 0, left: '…', working: '' });
    this.startedMs = performance.now();
  }

  private redraw(value?: number): void {
    const bar = this.bar;
    if (!bar) return;
    const done = value ?? Math.round(bar.getProgress() * bar.getTotal());
    // Not `eta`: cli-progress's own token (bare seconds) would take its place.
    const left = etaOf(performance.now() - this.startedMs, done, bar.getTotal());
    // What the bar's format takes before {working}; the rest of the terminal's width is the workers'.
    const used = ` avatars |${'x'.repeat(BAR_SIZE)}| ${done}/${bar.getTotal()}  failed ${this.failedAvatars}  ETA ${left}  `;
    const payload = {
      failedAvatars: this.failedAvatars,
      left,
      working: this.workingText((process.stderr.columns || 80) - used.length - 1),
    };
    if (value === undefined) bar.update(payload);
    else bar.update(value, payload);
  }

  /** The farm's part of the bar: the workers' jobs in hand, cut to `width`. */
  private workingText(width: number): string {
    if (!this.farmRun) return '';
    if (this.settled.size === 0 && this.working.size === 0) return 'waiting for a worker';
    return workingLine(this.working, this.jobs - this.settled.size, width);
  }
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
      `  render ${c.render.done} done / ${c.render.cached} cached · post ${c.post.done} done / ${c.post.cached} cached${conditioningCounts(s)}`,
    `  datasets: ${outDir}/<avatar>/`,
    ...report.contactSheets.map((sheet) => `  contact sheet: ${outDir}/${sheet}`),
    `  report: ${reportFile}`,
  ].join('\n');
}
