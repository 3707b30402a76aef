import fs from 'node:fs/promises';
import path from 'node:path';
import type { StageName } from '@vrm-lora/manifest';
import { canonicalJson, sha256, sha256File } from '@vrm-lora/manifest/hash';
import { avatarTarget } from './avatar-target.js';
import { type CacheKeyInputs, CacheStore, cacheDirFor, cacheKeyOf } from './cache-store.js';
import { readLastRun } from './last-run-record.js';
import { loadPlanOrThrow } from './load-plan-or-throw.js';
import { PipelineInputError } from './pipeline-error.js';
import { resolveRenderRuntime } from './resolve-render-runtime.js';
import { selectEntries } from './select-entries.js';
import {
  animationSha256,
  backgroundImageSha256,
  bakeKeyInputs,
  captionKeyInputs,
  postKeyInputs,
  renderKeyInputs,
} from './stages.js';

export interface ExplainEntryOptions {
  manifestFile: string;
  /** Entry number (1-based) or a description substring. */
  entry: string;
  vrmPaths?: string[];
  animationsDir?: string;
  outDir: string;
  cacheDir?: string;
  strict?: boolean;
  /** As given to the run: entries whose animation file is missing are left out of the plan. */
  skipMissingAnimations?: boolean;
  browser?: { executablePath?: string; glBackend?: string };
}

/** One key input that differs from the last run. */
export interface KeyChange {
  /** Dotted path inside the key inputs, e.g. `params.camera`. */
  path: string;
  before: unknown;
  after: unknown;
}

export interface StageExplanation {
  stage: StageName;
  key: string;
  cached: boolean;
  /** For a miss: what changed since the last run's key for this entry (empty when unknown). */
  changes: KeyChange[];
  /** For a miss without a recorded change: why. */
  note?: string;
}

export interface EntryExplanation {
  number: number;
  id: string;
  description: string;
  avatar: string | null;
  stages: StageExplanation[];
}

/**
 * Says, for one entry, whether each stage would be served from the cache and, for a miss, which key input
 * changed since the last run. Starts no browser and computes nothing.
 */
export async function explainEntry(options: ExplainEntryOptions): Promise<EntryExplanation[]> {
  const plan = await loadPlanOrThrow(options.manifestFile, {
    animationsDir: options.animationsDir,
    vrmPaths: options.vrmPaths,
    strict: options.strict,
    ...(options.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
  });
  const picked = selectEntries(plan.shots, options.entry);
  if (typeof picked === 'string') throw new PipelineInputError(picked.replace('--only', 'entry'));
  if (picked.length > 1) throw new PipelineInputError(ambiguousEntry(options.entry, picked));
  const shot = picked[0]!;
  const cache = new CacheStore(path.resolve(cacheDirFor(options.outDir, options.cacheDir)));
  const avatars = plan.avatars.length > 0 ? plan.avatars : [null];
  const out: EntryExplanation[] = [];
  for (const avatar of avatars) {
    const { trigger, outDir } = avatar
      ? avatarTarget(plan, avatar, options.outDir)
      : { trigger: plan.trigger, outDir: options.outDir };
    const last = await readLastRun(outDir);
    const before = last?.entries.find((e) => e.number === shot.number)?.keys ?? {};
    const animationSha = await animationSha256(shot, sha256File);
    const keys: [StageName, CacheKeyInputs][] = [];
    const bake = bakeKeyInputs(shot, animationSha);
    keys.push(['bake', bake]);
    if (avatar) {
      const runtime = await resolveRenderRuntime(options.browser, cache.root);
      const render = renderKeyInputs(
        shot,
        sha256(await fs.readFile(avatar)),
        cacheKeyOf(bake),
        runtime,
        options.strict,
      );
      keys.push(['render', render]);
      const backgroundSha = await backgroundImageSha256(shot, sha256File);
      keys.push(['post', postKeyInputs(plan, shot, cacheKeyOf(render), backgroundSha)]);
    }
    keys.push(['caption', captionKeyInputs(plan, shot, trigger)]);
    const stages: StageExplanation[] = [];
    for (const [stage, inputs] of keys) {
      const key = cacheKeyOf(inputs);
      const got = await cache.get(stage, key);
      const cached = 'hit' in got;
      const prev = before[stage];
      const changes = cached || !prev ? [] : diffValues(prev, inputs);
      let note: string | undefined;
      if (!cached) {
        if ('miss' in got && got.miss === 'corrupt')
          note = 'the cached item was damaged (removed; it will be recomputed)';
        else if (!prev)
          note = last ? 'this entry was not in the last run' : 'no earlier run in this output folder';
        else if (changes.length === 0) note = missingItemNote(cache.root, options.cacheDir !== undefined);
      }
      stages.push({ stage, key, cached, changes, ...(note ? { note } : {}) });
    }
    out.push({ number: shot.number, id: shot.id, description: shot.description, avatar, stages });
  }
  return out;
}

/** `explain` names one entry: a selector that matches several says which, instead of picking the first. */
function ambiguousEntry(entry: string, picked: { number: number; description: string }[]): string {
  const listed = picked
    .slice(0, 5)
    .map((s) => `${s.number} (${s.description})`)
    .join(', ');
  const more = picked.length > 5 ? `, and ${picked.length - 5} more` : '';
  return `entry "${entry}" matches ${picked.length} entries: ${listed}${more}; give one entry number or id`;
}

/**
 * Why an item the last run had, with the same inputs, is a miss: gone from the cache, or (most often) the run
 * used another cache folder. The folder itself is not recorded in the output (its bytes stay the same whichever
 * cache or machine made them), so the note names the one looked in and the flag.
 */
function missingItemNote(cacheRoot: string, cacheDirGiven: boolean): string {
  return cacheDirGiven
    ? `same inputs as the last run, but not in the cache at ${cacheRoot}: was the run given another --cache-dir?`
    : `same inputs as the last run, but not in the cache at ${cacheRoot}: if the run had --cache-dir, pass it here too`;
}

/** The dotted paths at which two JSON values differ (leaves only). */
export function diffValues(before: unknown, after: unknown, at = ''): KeyChange[] {
  const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    return [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .sort()
      .flatMap((k) => diffValues(b[k], a[k], at ? `${at}.${k}` : k));
  }
  return canonicalJson(before) === canonicalJson(after) ? [] : [{ path: at, before, after }];
}
