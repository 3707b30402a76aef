import type { ForceTarget, ResolvedPlan, StageName } from '@vrm-lora/manifest';
import { type CacheItem, type CacheKeyInputs, type CacheStore, cacheKeyOf } from './cache-store.js';
import { countOutcomes, type EntryState } from './entry-state.js';
import type { ItemStatus, PipelineEvent, RunSummary } from './events.js';
import { serveOnce } from './serve-once.js';

/**
 * Stages whose items are made once across processes sharing the cache (see `serveOnce`): renders, the costly
 * ones; the others are cheap enough to make twice in the rare race.
 */
const CLAIMED_STAGES: ReadonlySet<StageName> = new Set(['render']);

/** What a stage's `compute` returns: the item's value, its files, and warnings to report. */
export interface Computed<T> {
  value: T;
  files: Record<string, Uint8Array>;
  warnings?: string[];
}

/** What every stage runner of one run shares: the plan, the cache, the counts and the event stream. */
export interface RunContext {
  plan: ResolvedPlan;
  /** The run's cache (for items outside the four counted stages, such as conditioning images). */
  cache: CacheStore;
  /** Stages (and `conditioning`) whose cache is ignored. */
  forced(stage: ForceTarget): boolean;
  signal: AbortSignal | undefined;
  emit(event: PipelineEvent): void;
  /**
   * Serves one entry's item of `stage` from the cache, or computes and stores it, counting and reporting either
   * way (an `item` event; the entry's stage outcome, warnings, and error on failure). `storedWarnings` reads the
   * warnings a cached item's value kept, added to the entry's (its event carries only new ones). Returns
   * undefined when computing failed; an abort rethrows.
   */
  serveItem<T>(
    stage: StageName,
    avatar: string | null,
    entry: EntryState,
    keyInputs: CacheKeyInputs,
    compute: () => Promise<Computed<T>>,
    storedWarnings?: (value: T) => string[],
  ): Promise<CacheItem<T> | undefined>;
  /**
   * Whether `stage` may serve `key` from the cache: not forced, and an item is stored (unchecked). For
   * decisions that may be wrong at no cost, such as warming the browser up early.
   */
  mayServe(stage: StageName, key: string): Promise<boolean>;
  /** Counts one conditioning image served (outside the four stages' counts). */
  countConditioning(status: ItemStatus): void;
  startStage(stage: StageName, avatar: string | null, total: number): void;
  /** The `stage-end` event, counting the outcomes in `states`. */
  endStage(stage: StageName, avatar: string | null, states: EntryState[]): void;
}

export function createRunContext(args: {
  plan: ResolvedPlan;
  cache: CacheStore;
  /** Stages whose cache is ignored (recomputed and re-stored). */
  force: ReadonlySet<ForceTarget>;
  signal: AbortSignal | undefined;
  emit: (event: PipelineEvent) => void;
  /** The run's totals, counted into as items are served. */
  counts: RunSummary['counts'];
  /** The run's conditioning totals, counted into likewise. */
  conditioningCounts: RunSummary['conditioning'];
}): RunContext {
  const { plan, cache, force, signal, emit, counts, conditioningCounts } = args;

  async function serveItem<T>(
    stage: StageName,
    avatar: string | null,
    entry: EntryState,
    keyInputs: CacheKeyInputs,
    compute: () => Promise<Computed<T>>,
    storedWarnings?: (value: T) => string[],
  ): Promise<CacheItem<T> | undefined> {
    signal?.throwIfAborted();
    const t0 = performance.now();
    const key = cacheKeyOf(keyInputs);
    const served = await lookUpOrMake({ cache, force, signal }, stage, key, keyInputs, compute);
    if (served.error) entry.error ??= `${stage}: ${served.error.message}`;
    recordItem({ counts, emit }, stage, avatar, entry, {
      status: served.status,
      key,
      missReason: served.missReason,
      durationMs: performance.now() - t0,
      warnings: served.warnings,
    });
    const item = served.item;
    if (item && served.status === 'cached' && storedWarnings)
      entry.warnings.push(...storedWarnings(item.value));
    return item ?? undefined;
  }

  return {
    plan,
    cache,
    forced: (stage) => force.has(stage),
    signal,
    emit,
    serveItem,
    async mayServe(stage, key) {
      return !force.has(stage) && (await cache.has(stage, key));
    },
    countConditioning(status) {
      conditioningCounts[status]++;
    },
    startStage(stage, avatar, total) {
      emit({ type: 'stage-start', stage, avatar, total });
    },
    endStage(stage, avatar, states) {
      const { done, cached, failed } = countOutcomes(states, stage);
      emit({ type: 'stage-end', stage, avatar, done, cached, failed });
    },
  };
}

/** What {@link lookUpOrMake} found or made. */
interface Served<T> {
  item: CacheItem<T> | null;
  status: ItemStatus;
  missReason: 'absent' | 'corrupt' | 'forced';
  warnings: string[];
  /** Why computing failed (`status` failed); an abort rethrows instead. */
  error?: Error;
}

/**
 * The item from the cache (unless forced), else computed and stored: made once across processes for
 * {@link CLAIMED_STAGES}, where another process making it counts as cached here.
 */
async function lookUpOrMake<T>(
  run: { cache: CacheStore; force: ReadonlySet<ForceTarget>; signal: AbortSignal | undefined },
  stage: StageName,
  key: string,
  keyInputs: CacheKeyInputs,
  compute: () => Promise<Computed<T>>,
): Promise<Served<T>> {
  const { cache, force, signal } = run;
  const served: Served<T> = { item: null, status: 'done', missReason: 'forced', warnings: [] };
  if (!force.has(stage)) {
    const got = await cache.get<T>(stage, key);
    if ('hit' in got) return { ...served, item: got.hit, status: 'cached' };
    served.missReason = got.miss;
  }
  const make = async () => {
    const made = await compute();
    served.warnings = made.warnings ?? [];
    return cache.put(keyInputs, made.value, made.files);
  };
  try {
    if (CLAIMED_STAGES.has(stage) && !force.has(stage)) {
      // Another process (a farm's other worker) may be making it now: wait for it rather than make it twice.
      const once = await serveOnce<T>(cache, stage, key, make, signal);
      served.item = once.item;
      if (!once.made) served.status = 'cached';
    } else served.item = await make();
  } catch (error) {
    if (signal?.aborted) throw error;
    served.status = 'failed';
    served.error = error as Error;
  }
  return served;
}

/** Counts one served item, records it on its entry and reports it (an `item` event). */
function recordItem(
  run: { counts: RunSummary['counts']; emit: (event: PipelineEvent) => void },
  stage: StageName,
  avatar: string | null,
  entry: EntryState,
  outcome: {
    status: ItemStatus;
    key: string;
    missReason: 'absent' | 'corrupt' | 'forced';
    durationMs: number;
    warnings: string[];
  },
): void {
  const { status, key, missReason, durationMs, warnings } = outcome;
  run.counts[stage][status === 'cached' ? 'cached' : status === 'done' ? 'done' : 'failed']++;
  if (status !== 'cached' && missReason === 'corrupt') run.counts[stage].repaired++;
  entry.stages[stage] = {
    status,
    key,
    ...(status === 'cached' ? {} : { missReason }),
    durationMs: Math.round(durationMs),
  };
  entry.warnings.push(...warnings);
  run.emit({
    type: 'item',
    stage,
    avatar,
    entryId: entry.shot.id,
    number: entry.shot.number,
    jsonPath: entry.shot.jsonPath,
    status,
    ...(status === 'cached' ? {} : { missReason }),
    durationMs,
    warnings,
    ...(status === 'failed' ? { error: entry.error } : {}),
  });
}
