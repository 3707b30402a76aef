import {
  type CollectionAvatar,
  type CollectionReport,
  STAGE_NAMES,
  type StageName,
} from '@vrm-lora/manifest';

/** A stage item's outcome in one run. */
export type ItemStatus = 'cached' | 'done' | 'failed';

/**
 * Progress events. Libraries never print: the CLI turns these into bars, plain lines or `--json` lines.
 */
export type PipelineEvent =
  | { type: 'run-start'; manifest: string; avatars: string[]; entries: number }
  | { type: 'stage-start'; stage: StageName; avatar: string | null; total: number }
  | {
      type: 'item';
      stage: StageName;
      avatar: string | null;
      entryId: string;
      number: number;
      /** Where the entry sits in the manifest, e.g. `dataCollection[7]`. */
      jsonPath: string;
      status: ItemStatus;
      missReason?: 'absent' | 'corrupt' | 'forced';
      durationMs: number;
      warnings: string[];
      error?: string;
    }
  | {
      type: 'stage-end';
      stage: StageName;
      avatar: string | null;
      done: number;
      cached: number;
      failed: number;
    }
  | { type: 'browser-start'; executablePath: string; source: string }
  /** The renderer is up: the GL backend it renders with and its WebGL renderer string. */
  | { type: 'renderer-ready'; glBackend: string; glRenderer: string; glBackendReason: string }
  /** A render page loaded an avatar (`key`: its content hash). */
  | { type: 'avatar-load'; key: string; durationMs: number }
  /**
   * A line of the renderer's log: `notice` (a blocked request, a page error, a crash and relaunch, a GL
   * fallback) or `chatter` (the page's console below error level).
   */
  | { type: 'renderer-log'; line: string; level: 'notice' | 'chatter' }
  | { type: 'warning'; message: string; entryId?: string }
  | {
      type: 'dataset';
      avatar: string;
      outDir: string;
      written: number;
      removed: number;
      contactSheet: string | null;
      /** The contact sheet of the last run was kept: same images, same captions. */
      contactSheetReused: boolean;
      /** Trainers whose setups were written beside the dataset (`dataset.toml`, `ai-toolkit.yaml`, …). */
      trainers: string[];
    }
  | { type: 'run-end'; summary: RunSummary }
  /** A collection's avatar starts (its run's own events follow). */
  | { type: 'avatar-start'; file: string; index: number; total: number }
  /** A collection's avatar is done: its dataset written, or failed as a whole (a bad avatar). */
  | { type: 'avatar-end'; avatar: CollectionAvatar; index: number; total: number }
  /** A collection's `report.json` and contact sheets are written. */
  | {
      type: 'collection-end';
      report: string;
      contactSheets: string[];
      summary: CollectionReport['summary'];
      durationMs: number;
    };

/** The totals of one run, over every avatar. */
export interface RunSummary {
  entries: number;
  written: number;
  failed: number;
  warnings: number;
  durationMs: number;
  browserStarted: boolean;
  counts: Record<StageName, { done: number; cached: number; failed: number; repaired: number }>;
  /** Conditioning images (each kind of each entry one), when the run asked for them. */
  conditioning: { done: number; cached: number; failed: number };
  outputs: {
    avatar: string;
    outDir: string;
    contactSheet: string | null;
    report: string;
    /** Trainers whose setups were written (see `TRAINING.md` in `outDir`). */
    trainers: string[];
  }[];
}

/** Adds one run's totals to a collection's (entries, written, failed, warnings, counts, outputs). */
export function addRunSummary(into: RunSummary, from: RunSummary): void {
  into.entries += from.entries;
  into.written += from.written;
  into.failed += from.failed;
  into.warnings += from.warnings;
  into.browserStarted ||= from.browserStarted;
  for (const stage of STAGE_NAMES) {
    const a = into.counts[stage];
    const b = from.counts[stage];
    a.done += b.done;
    a.cached += b.cached;
    a.failed += b.failed;
    a.repaired += b.repaired;
  }
  into.conditioning.done += from.conditioning.done;
  into.conditioning.cached += from.conditioning.cached;
  into.conditioning.failed += from.conditioning.failed;
  into.outputs.push(...from.outputs);
}

/** The totals of a run over `entries` selected entries, before anything ran. */
export function newRunSummary(entries: number): RunSummary {
  return {
    entries,
    written: 0,
    failed: 0,
    warnings: 0,
    durationMs: 0,
    browserStarted: false,
    counts: Object.fromEntries(
      STAGE_NAMES.map((s) => [s, { done: 0, cached: 0, failed: 0, repaired: 0 }]),
    ) as RunSummary['counts'],
    conditioning: { done: 0, cached: 0, failed: 0 },
    outputs: [],
  };
}
