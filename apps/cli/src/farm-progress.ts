// The farm's parts of a collection's progress display (`collection-progress.ts`).
import type { FarmJobResult } from '@vrm-lora/farm';

/** A job's renders: `6 rendered, 0 from the cache` (and failures). */
export function renderCounts(result: FarmJobResult): string {
  const r = result.renders;
  return `${r.done} rendered, ${r.cached} from the cache${r.failed > 0 ? `, ${r.failed} failed` : ''}`;
}

/** What the farm's workers did, from their jobs' results. */
export class FarmTally {
  private readonly jobsByWorker = new Map<string, number>();
  private rendered = 0;
  private cached = 0;
  private failed = 0;
  add(result: FarmJobResult): void {
    this.jobsByWorker.set(result.worker, (this.jobsByWorker.get(result.worker) ?? 0) + 1);
    this.rendered += result.renders.done;
    this.cached += result.renders.cached;
    this.failed += result.renders.failed;
  }
  summary(): string {
    const workers = [...this.jobsByWorker]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([w, n]) => `${w} ${n}`)
      .join(', ');
    return `  workers: ${this.rendered} rendered, ${this.cached} from the cache, ${this.failed} failed · jobs per worker: ${workers || 'none'}`;
  }
}

/** The workers' jobs in hand, by worker, cut to `width` characters with a count of those left out. */
export function workingLine(working: Map<string, { text: string }>, jobsLeft: number, width: number): string {
  const all = [...working.values()].map((w) => w.text).sort();
  // Between polls a finished job and a queued one look the same: say how many are left, not which.
  if (all.length === 0)
    return jobsLeft > 0 ? `${jobsLeft} job(s) left, none in progress` : 'writing datasets';
  let line = '';
  for (const [i, item] of all.entries()) {
    const next = line ? `${line} · ${item}` : item;
    const more = all.length - i - 1;
    if (next.length + (more > 0 ? ` +${more} more`.length : 0) > width)
      return line ? `${line} +${more + 1} more` : `${all.length} worker(s) busy`;
    line = next;
  }
  return line;
}

/** Time left at the average pace so far: `…` until an avatar is done. */
export function etaOf(elapsedMs: number, done: number, total: number): string {
  if (done <= 0) return '…';
  const s = Math.round(((total - done) * elapsedMs) / done / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}
