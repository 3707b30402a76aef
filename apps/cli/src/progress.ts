import path from 'node:path';
import type { PipelineEvent, RunSummary, RunUntil } from '@vrm-lora/pipeline';
import cliProgress from 'cli-progress';
import { escapeControlCharacters } from './format-errors.js';

/** How progress is shown: live bars on a terminal, plain lines otherwise, or one JSON event per line. */
export type ProgressMode = 'tty' | 'plain' | 'json';

/** What {@link createProgress} gives a command. */
export interface Progress {
  onEvent(event: PipelineEvent): void;
  stop(): void;
}

/** Picks the mode: `--json` wins; a terminal gets bars; anything else plain lines. */
export function progressModeFor(
  json: boolean | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressMode {
  if (json) return 'json';
  return stream.isTTY && !process.env.CI ? 'tty' : 'plain';
}

/** Progress of one run: a bar per stage and avatar on a terminal, a line per stage otherwise, or JSON events. */
export function createProgress(mode: ProgressMode): Progress {
  if (mode === 'json') {
    return {
      onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
      stop: () => {},
    };
  }
  return new StageProgressView(mode === 'tty');
}

/** One stage's bar (null without a terminal) and its counts. */
interface StageBar {
  bar: cliProgress.SingleBar | null;
  cached: number;
  failed: number;
  value: number;
}

/** The terminal/line display of a run: stage bars, entry failures and warnings, the browser and GL lines. */
class StageProgressView implements Progress {
  private readonly multibar: cliProgress.MultiBar | null;
  private readonly bars = new Map<string, StageBar>();

  constructor(tty: boolean) {
    this.multibar = tty
      ? new cliProgress.MultiBar(
          {
            format: ' {stage} |{bar}| {value}/{total}  cached {cached}  failed {failed}  ETA {eta_formatted}',
            hideCursor: true,
            clearOnComplete: false,
            stopOnComplete: false,
            barsize: 24,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  onEvent(e: PipelineEvent): void {
    switch (e.type) {
      case 'stage-start': {
        const name = stageLabel(e.stage, e.avatar);
        const bar = this.multibar?.create(e.total, 0, { stage: name, cached: 0, failed: 0 }) ?? null;
        this.bars.set(`${e.stage}|${e.avatar}`, { bar, cached: 0, failed: 0, value: 0 });
        break;
      }
      case 'item':
        this.onItem(e);
        break;
      case 'stage-end':
        if (!this.multibar) {
          writeLine(
            `${stageLabel(e.stage, e.avatar)} ${e.done} done, ${e.cached} cached, ${e.failed} failed`,
          );
        }
        break;
      case 'browser-start':
        this.log(`starting browser ${e.executablePath} (${e.source})`);
        break;
      case 'renderer-ready':
        this.log(`GL: ${e.glBackend} (${e.glBackendReason}) — ${e.glRenderer}`);
        break;
      case 'warning':
        this.log(`! ${e.message}`);
        break;
      case 'renderer-log':
        // The page's console chatter (SwiftShader's "GPU stall due to ReadPixels" and the like) stays in --json.
        if (e.level === 'notice') this.log(`renderer: ${e.line}`);
        break;
      default:
        break;
    }
  }

  stop(): void {
    this.multibar?.stop();
  }

  private onItem(e: Extract<PipelineEvent, { type: 'item' }>): void {
    const b = this.bars.get(`${e.stage}|${e.avatar}`);
    if (b) {
      b.value++;
      if (e.status === 'cached') b.cached++;
      if (e.status === 'failed') b.failed++;
      b.bar?.update(b.value, { cached: b.cached, failed: b.failed });
    }
    if (e.status === 'failed') this.log(`✗ entry ${e.number} (${e.jsonPath}): ${e.error}`);
    for (const w of e.warnings) this.log(`! entry ${e.number}: ${w}`);
    if (e.missReason === 'corrupt')
      this.log(`! entry ${e.number}: ${e.stage} cache item was damaged; recomputed`);
  }

  private log(text: string): void {
    // Entry errors quote descriptions and paths from the manifest: no raw control characters to the terminal.
    const line = text.split('\n').map(escapeControlCharacters).join('\n');
    if (this.multibar) this.multibar.log(`${line}\n`);
    else writeLine(line);
  }
}

function stageLabel(stage: string, avatar: string | null): string {
  return (avatar ? `${stage} ${avatar}` : stage).padEnd(10);
}

function writeLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** ` · conditioning 3 done / 1 cached` (and failures) when the run made conditioning images; else nothing. */
export function conditioningCounts(s: RunSummary): string {
  const k = s.conditioning;
  if (k.done + k.cached + k.failed === 0) return '';
  return ` · conditioning ${k.done} done / ${k.cached} cached${k.failed > 0 ? ` / ${k.failed} failed` : ''}`;
}

/**
 * The closing lines of a run. A single stage (`bake`, `render`, `post`, `caption`, `shot`) writes no dataset:
 * its first line counts the entries it made ready in the cache, not images written.
 */
export function formatSummary(s: RunSummary, until: RunUntil = 'dataset'): string {
  const c = s.counts;
  const seconds = `${(s.durationMs / 1000).toFixed(1)} s`;
  const ready = until === 'dataset' ? 0 : c[until].done + c[until].cached;
  const lines = [
    until === 'dataset'
      ? `${s.written} image(s) written, ${s.failed} failed, ${s.warnings} warning(s) in ${seconds}`
      : `${ready} ${ready === 1 ? 'entry' : 'entries'} ready up to ${until} (in the cache; no dataset written), ` +
        `${s.failed} failed, ${s.warnings} warning(s) in ${seconds}`,
    `  bake ${c.bake.done} done / ${c.bake.cached} cached · render ${c.render.done} done / ${c.render.cached} cached · ` +
      `post ${c.post.done} done / ${c.post.cached} cached · caption ${c.caption.done} done / ${c.caption.cached} cached` +
      conditioningCounts(s) +
      (s.browserStarted ? '' : ' · no browser started'),
  ];
  for (const o of s.outputs) {
    lines.push(`  dataset: ${o.outDir}`);
    if (o.contactSheet) lines.push(`  contact sheet: ${o.contactSheet}`);
    lines.push(`  report: ${o.report}`);
    if (o.trainers.length > 0)
      lines.push(
        `  train: ${path.join(o.outDir, 'TRAINING.md')} (${o.trainers.join(', ')}; cd into the dataset first)`,
      );
  }
  return lines.join('\n');
}
