import fs from 'node:fs/promises';
import path from 'node:path';
import type { Finding, RenderMeta } from '@vrm-lora/manifest';
import type { RunPipelineResult, RunSummary } from '@vrm-lora/pipeline';

/** What the preview page shows of one entry's render: its `RenderMeta` without the bone table. */
export type PreviewRenderMeta = Omit<RenderMeta, 'bones'>;

/** One entry of one avatar, as the preview page shows it. */
export interface WatchEntry {
  /** `<avatar file name>#<entry id>`: unique over the avatars. */
  key: string;
  avatar: string;
  id: string;
  number: number;
  jsonPath: string;
  description: string;
  caption: string | null;
  /** The final image, relative to the output folder (`/` separators), or null when the entry failed. */
  image: string | null;
  /** The final image's sha256 (the page reloads an image when it changes). */
  imageSha256: string | null;
  warnings: string[];
  error: string | null;
  /** The watch cycle that last rendered this entry (0: served from the cache since the watch began). */
  renderedInCycle: number;
  /** Each stage's outcome in the last cycle that ran, and its milliseconds. */
  stages: Record<string, { status: string; durationMs: number }>;
  meta: PreviewRenderMeta | null;
}

/** The last cycle's figures, from its pipeline summary and the resident renderer's counters. */
export interface WatchCycleFigures {
  cycle: number;
  durationMs: number;
  renders: number;
  /** Browsers started and avatars loaded during the cycle (0 and 0 once the watcher is warm). */
  browserStarts: number;
  avatarLoads: number;
  summary: RunSummary;
}

/** Everything the preview page draws: served as JSON and pushed on every change. */
export interface WatchState {
  manifest: string;
  outDir: string;
  /** `starting`: before the first cycle; `running`: a cycle is under way; `idle`: watching. */
  status: 'starting' | 'running' | 'idle';
  /** The number of the cycle running or last run. */
  cycle: number;
  /**
   * The last cycle's input error (the images stay those of the last good cycle), or null; `hint` is the
   * manifest check's line on what to do next (e.g. the entries missing animation files stop).
   */
  error: { cycle: number; message: string; findings: Finding[]; hint?: string } | null;
  last: WatchCycleFigures | null;
  entries: WatchEntry[];
}

/** The state before any cycle. */
export function initialWatchState(manifest: string, outDir: string): WatchState {
  return { manifest, outDir, status: 'starting', cycle: 0, error: null, last: null, entries: [] };
}

/**
 * The entries after a good cycle, from its reports (one per avatar) and cache items: an entry keeps the
 * cycle it was last rendered in unless this cycle rendered it. Render metas are read from the cache once
 * per item (cache items never change), through `readMeta`.
 */
export async function entriesAfterRun(
  previous: WatchEntry[],
  result: RunPipelineResult,
  /** The output folder the run was given (one sub-folder per avatar when there are several). */
  outDir: string,
  cycle: number,
  readMeta: (file: string) => Promise<PreviewRenderMeta | null>,
): Promise<WatchEntry[]> {
  const before = new Map(previous.map((e) => [e.key, e]));
  const entries: WatchEntry[] = [];
  for (const report of result.reports) {
    const avatar = path.basename(report.avatar.file);
    for (const e of report.entries) {
      const key = `${avatar}#${e.id}`;
      const item = result.items.find((i) => i.id === e.id && i.avatar === report.avatar.file);
      const avatarOut = result.summary.outputs.find((o) => o.avatar === report.avatar.file)?.outDir;
      const relativeDir = avatarOut ? path.relative(outDir, avatarOut).split(path.sep).join('/') : '';
      const rendered = e.stages.render?.status === 'done';
      entries.push({
        key,
        avatar,
        id: e.id,
        number: e.number,
        jsonPath: e.jsonPath,
        description: e.description,
        caption: e.caption ?? null,
        image: e.output ? path.posix.join(relativeDir, e.output.image) : null,
        imageSha256: e.output ? (item?.imageSha256 ?? null) : null,
        warnings: e.warnings,
        error: e.error ?? null,
        renderedInCycle: rendered ? cycle : (before.get(key)?.renderedInCycle ?? 0),
        stages: Object.fromEntries(
          Object.entries(e.stages).map(([stage, o]) => [
            stage,
            { status: o.status, durationMs: o.durationMs },
          ]),
        ),
        meta: item?.renderMetaFile ? await readMeta(item.renderMetaFile) : null,
      });
    }
  }
  return entries;
}

/** Reads render metas from the cache, each file once (a cache item's files never change). */
export function createMetaReader(): (file: string) => Promise<PreviewRenderMeta | null> {
  const read = new Map<string, Promise<PreviewRenderMeta | null>>();
  return (file) => {
    let got = read.get(file);
    if (!got) {
      got = fs
        .readFile(file, 'utf8')
        .then((text) => {
          const { bones: _bones, ...meta } = JSON.parse(text) as RenderMeta;
          return meta;
        })
        .catch(() => null);
      read.set(file, got);
    }
    return got;
  };
}
