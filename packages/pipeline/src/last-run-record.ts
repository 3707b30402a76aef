import fs from 'node:fs/promises';
import path from 'node:path';
import { type ResolvedPlan, STAGE_NAMES, type StageName } from '@vrm-lora/manifest';
import type { CacheKeyInputs } from './cache-store.js';
import type { EntryState } from './entry-state.js';

/** What `explain` compares against: each entry's key inputs per stage in the last run. */
export interface LastRunRecord {
  manifest: string;
  entries: {
    number: number;
    id: string;
    description: string;
    keys: Partial<Record<StageName, CacheKeyInputs>>;
  }[];
  /**
   * The contact sheet the run wrote: its path in the dataset, the key of what it shows (sheet version, and
   * each entry's number, final image's sha256 and caption) and its bytes' sha256, so an unchanged sheet is
   * reused instead of drawn again.
   */
  contactSheet?: { path: string; key: string; sha256: string };
}

/** Where a dataset folder keeps the record of the run that wrote it. */
export function lastRunFile(outDir: string): string {
  return path.join(outDir, '.vrm-lora', 'last-run.json');
}

/** The record of a run: per entry, the key inputs of each stage item it has. */
export function lastRunRecord(
  plan: ResolvedPlan,
  states: EntryState[],
  contactSheet?: LastRunRecord['contactSheet'],
): LastRunRecord {
  return {
    ...(contactSheet ? { contactSheet } : {}),
    manifest: plan.manifestFile,
    entries: states.map((e) => ({
      number: e.shot.number,
      id: e.shot.id,
      description: e.shot.description,
      keys: Object.fromEntries(
        STAGE_NAMES.flatMap((s) => {
          const item = e[s];
          return item ? [[s, item.keyInputs]] : [];
        }),
      ),
    })),
  };
}

/** The record in `outDir`, or null when there is none (or it does not parse). */
export async function readLastRun(outDir: string): Promise<LastRunRecord | null> {
  try {
    return JSON.parse(await fs.readFile(lastRunFile(outDir), 'utf8')) as LastRunRecord;
  } catch {
    return null;
  }
}
