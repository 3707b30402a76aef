import path from 'node:path';
import type { PipelineEvent, RunSummary } from '@vrm-lora/pipeline';
import cliProgress from 'cli-progress';
import { escapeControlCharacters } from './format-errors.js';

/** How progress is shown: live bars on a terminal, plain lines otherwise, or one JSON event per line. */
export type ProgressMode = 'tty' | 'plain' | 'json';

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

export function createProgress(mode: ProgressMode): Progress {
  if (mode === 'json') {
    return {
      onEvent: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
      stop: () => {},
    };
  }
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const multibar =
    mode === 'tty'
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
  const bars = new Map<
    string,
    { bar: cliProgress.SingleBar | null; cached: number; failed: number; value: number }
  >();
  const label = (stage: string, avatar: string | null) => (avatar ? `${stage} ${avatar}` : stage).padEnd(10);
  const log = (text: string) => {
    // Entry errors quote descriptions and paths from the manifest: no raw control characters to the terminal.
    const line = text.split('\n').map(escapeControlCharacters).join('\n');
    return multibar ? multibar.log(`${line}\n`) : err(line);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'stage-start': {
          const name = label(e.stage, e.avatar);
          const bar = multibar?.create(e.total, 0, { stage: name, cached: 0, failed: 0 }) ?? null;
          bars.set(`${e.stage}|${e.avatar}`, { bar, cached: 0, failed: 0, value: 0 });
          break;
        }
        case 'item': {
          const b = bars.get(`${e.stage}|${e.avatar}`);
          if (b) {
            b.value++;
            if (e.status === 'cached') b.cached++;
            if (e.status === 'failed') b.failed++;
            b.bar?.update(b.value, { cached: b.cached, failed: b.failed });
          }
          if (e.status === 'failed') log(`✗ entry ${e.number} (${e.jsonPath}): ${e.error}`);
          for (const w of e.warnings) log(`! entry ${e.number}: ${w}`);
          if (e.missReason === 'corrupt')
            log(`! entry ${e.number}: ${e.stage} cache item was damaged; recomputed`);
          break;
        }
        case 'stage-end':
          if (!multibar) {
            err(`${label(e.stage, e.avatar)} ${e.done} done, ${e.cached} cached, ${e.failed} failed`);
          }
          break;
        case 'browser-start':
          log(`starting browser ${e.executablePath} (${e.source})`);
          break;
        case 'renderer-ready':
          log(`GL: ${e.glBackend} (${e.glBackendReason}) — ${e.glRenderer}`);
          break;
        case 'warning':
          log(`! ${e.message}`);
          break;
        case 'renderer-log':
          // The page's console chatter (SwiftShader's "GPU stall due to ReadPixels" and the like) stays in --json.
          if (e.level === 'notice') log(`renderer: ${e.line}`);
          break;
        default:
          break;
      }
    },
    stop() {
      multibar?.stop();
    },
  };
}

/** The closing lines of a run. */
export function formatSummary(s: RunSummary): string {
  const c = s.counts;
  const lines = [
    `${s.written} image(s) written, ${s.failed} failed, ${s.warnings} warning(s) in ${(s.durationMs / 1000).toFixed(1)} s`,
    `  bake ${c.bake.done} done / ${c.bake.cached} cached · render ${c.render.done} done / ${c.render.cached} cached · ` +
      `post ${c.post.done} done / ${c.post.cached} cached · caption ${c.caption.done} done / ${c.caption.cached} cached` +
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
