import path from 'node:path';
import type { ResolvedPlan } from '@vrm-lora/manifest';
import { FileHashMemo } from '@vrm-lora/manifest/hash';
import {
  acquireOutputLock,
  cacheDirFor,
  createLazyRenderer,
  type LazyRenderer,
  loadPlanOrThrow,
  type OutputLock,
  type PipelineEvent,
  PipelineInputError,
  type RunPipelineOptions,
  resolveRendererBrowser,
  runPipeline,
} from '@vrm-lora/pipeline';
import { createFileWatcher, type FileWatcher } from './create-file-watcher.js';
import {
  createMetaReader,
  entriesAfterRun,
  initialWatchState,
  type WatchCycleFigures,
  type WatchState,
} from './watch-state.js';

/** What `vrm-lora watch` runs: `run`'s options, less those the watcher owns. */
export interface WatchManifestOptions
  extends Omit<RunPipelineOptions, 'renderer' | 'outputLock' | 'signal' | 'onEvent' | 'until'> {
  /** Quiet time after the last change before a cycle starts, ms. Default 30. */
  debounceMs?: number;
  onEvent?: (event: WatchEvent) => void;
}

/** What a watcher reports; libraries never print, the CLI does. */
export type WatchEvent =
  | { type: 'cycle-start'; cycle: number; changed: string[] }
  /** A pipeline event of the cycle running. */
  | { type: 'pipeline'; cycle: number; event: PipelineEvent }
  | ({ type: 'cycle-end' } & WatchCycleFigures)
  /** The inputs are invalid (a half-saved file): the last good images stay. */
  | { type: 'cycle-error'; cycle: number; error: NonNullable<WatchState['error']> }
  /** A cycle failed for another reason (the watcher keeps watching). */
  | { type: 'cycle-failed'; cycle: number; message: string }
  | { type: 'watching'; files: string[] };

/** A running watcher. */
export interface ManifestWatcher {
  /** What the preview page shows (replaced, never mutated, on every change). */
  state(): WatchState;
  /** Calls `listener` on every event, after the state has changed; returns the function that removes it. */
  subscribe(listener: (event: WatchEvent, state: WatchState) => void): () => void;
  /** Resolves once no cycle runs or waits (e.g. after the first cycle). */
  idle(): Promise<void>;
  /** How many times the browser started and a page loaded an avatar since the watcher began. */
  rendererStats(): { browserStarts: number; avatarLoads: number };
  /** Stops watching, ends a running cycle (nothing partial stays), closes the browser, releases the lock. */
  close(): Promise<void>;
}

/**
 * Takes the output folder's lock, runs the pipeline once, then again whenever the manifest, an avatar or an
 * animation file it uses changes (debounced), on one resident renderer: the browser and the avatar stay
 * loaded, and each cycle is `runPipeline` itself, so only what changed re-renders and the output folder holds
 * what `run` writes. Invalid input ends a cycle with a `cycle-error`; the output folder keeps its last good
 * dataset. Throws `PipelineInputError` when another process holds the output folder.
 */
export async function watchManifest(options: WatchManifestOptions): Promise<ManifestWatcher> {
  const { debounceMs = 30, onEvent, ...runOptions } = options;
  const outDir = path.resolve(options.outDir);
  const lock = await acquireOutputLock(outDir, 'watch');
  const renderer = await residentRenderer(options, outDir).catch(async (error) => {
    await lock.release();
    throw error;
  });
  const controller = new AbortController();
  const store = createWatchStore(initialWatchState(path.resolve(options.manifestFile), outDir), onEvent);
  const runCycle = cycleRunner({
    runOptions,
    renderer,
    lock,
    signal: controller.signal,
    outDir,
    store,
    // The avatar, the clips, the cached items and the dataset's files are hashed again only when they change.
    fileHashes: new FileHashMemo(),
    readMeta: createMetaReader(),
  });
  const watchedFiles = watchedFilesOf(options);
  let files: FileWatcher | null = null;
  const cycles = createCycleQueue(async (changed) => {
    const plan = await runCycle(changed);
    if (controller.signal.aborted) return;
    const list = await watchedFiles(plan);
    if (files && (await files.setPaths(list))) store.emit({ type: 'watching', files: list });
  }, controller.signal);

  try {
    files = createFileWatcher({
      debounceMs,
      onChange: cycles.schedule,
      ignoredDirs: [outDir, ...(options.cacheDir ? [path.resolve(options.cacheDir)] : [])],
    });
    const list = await watchedFiles();
    await files.setPaths(list);
    store.emit({ type: 'watching', files: list });
    cycles.schedule([]);
  } catch (error) {
    await files?.close();
    await lock.release();
    throw error;
  }

  return {
    state: store.state,
    subscribe: store.subscribe,
    idle: cycles.idle,
    rendererStats: () => renderer.stats(),
    async close() {
      controller.abort(new Error('the watcher was closed'));
      await files?.close();
      await cycles.idle().catch(() => {});
      await renderer.close();
      await lock.release();
    },
  };
}

/** The renderer kept for the watcher's life, with `auto` resolved once as `run` resolves it (the keys name it). */
async function residentRenderer(options: WatchManifestOptions, outDir: string): Promise<LazyRenderer> {
  const cacheRoot = path.resolve(cacheDirFor(outDir, options.cacheDir));
  const resolved = await resolveRendererBrowser(options.browser, cacheRoot);
  return createLazyRenderer({
    browser: resolved.browser,
    glBackendReason: resolved.glBackendReason,
    pages: options.pages ?? 1,
  });
}

/** The watcher's state (replaced on every change) and its listeners. */
interface WatchStore {
  state(): WatchState;
  subscribe(listener: (event: WatchEvent, state: WatchState) => void): () => void;
  emit(event: WatchEvent, next?: Partial<WatchState>): void;
}

function createWatchStore(
  initial: WatchState,
  onEvent: ((event: WatchEvent) => void) | undefined,
): WatchStore {
  let state = initial;
  const listeners = new Set<(event: WatchEvent, state: WatchState) => void>();
  return {
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event, next = {}) {
      state = { ...state, ...next };
      onEvent?.(event);
      for (const l of listeners) l(event, state);
    },
  };
}

/** One cycle: `runPipeline` on the resident renderer, its figures and entries into the state, errors as events. */
function cycleRunner(ctx: {
  runOptions: Omit<WatchManifestOptions, 'debounceMs' | 'onEvent'>;
  renderer: LazyRenderer;
  lock: OutputLock;
  signal: AbortSignal;
  outDir: string;
  store: WatchStore;
  fileHashes: FileHashMemo;
  readMeta: ReturnType<typeof createMetaReader>;
}): (changed: string[]) => Promise<ResolvedPlan | null> {
  const { renderer, store } = ctx;
  return async (changed) => {
    const cycle = store.state().cycle + 1;
    const before = renderer.stats();
    const started = performance.now();
    store.emit({ type: 'cycle-start', cycle, changed }, { cycle, status: 'running' });
    try {
      const result = await runPipeline({
        ...ctx.runOptions,
        until: 'dataset',
        renderer,
        fileHashes: ctx.fileHashes,
        outputLock: ctx.lock,
        signal: ctx.signal,
        onEvent: (event) => store.emit({ type: 'pipeline', cycle, event }),
      });
      const after = renderer.stats();
      const figures: WatchCycleFigures = {
        cycle,
        durationMs: Math.round(performance.now() - started),
        renders: result.summary.counts.render.done,
        browserStarts: after.browserStarts - before.browserStarts,
        avatarLoads: after.avatarLoads - before.avatarLoads,
        summary: result.summary,
      };
      const entries = await entriesAfterRun(store.state().entries, result, ctx.outDir, cycle, ctx.readMeta);
      store.emit({ type: 'cycle-end', ...figures }, { status: 'idle', error: null, last: figures, entries });
      return result.plan;
    } catch (error) {
      if (ctx.signal.aborted) return null;
      if (error instanceof PipelineInputError) {
        const failure = {
          cycle,
          message: error.message,
          findings: error.findings,
          ...(error.hint ? { hint: error.hint } : {}),
        };
        store.emit({ type: 'cycle-error', cycle, error: failure }, { status: 'idle', error: failure });
      } else {
        const message = error instanceof Error ? error.message : String(error);
        const failure = { cycle, message, findings: [] };
        store.emit({ type: 'cycle-failed', cycle, message }, { status: 'idle', error: failure });
      }
    }
    return null;
  };
}

/**
 * The files to watch: the manifest, the avatars and the animation folder and files the plan uses (the cycle's
 * own plan, or the manifest loaded here when there is none); while the manifest is invalid, what the last valid
 * one used too (so fixing a missing clip by adding the file is seen).
 */
function watchedFilesOf(
  options: WatchManifestOptions,
): (cyclePlan?: ResolvedPlan | null) => Promise<string[]> {
  let lastList: string[] = [];
  return async (cyclePlan) => {
    const plan =
      cyclePlan ??
      (await loadPlanOrThrow(options.manifestFile, {
        ...(options.animationsDir ? { animationsDir: options.animationsDir } : {}),
        ...(options.vrmPaths ? { vrmPaths: options.vrmPaths } : {}),
      }).catch(() => null));
    const list = new Set([path.resolve(options.manifestFile), ...(options.vrmPaths ?? [])]);
    if (!plan) for (const f of lastList) list.add(f);
    if (options.animationsDir) list.add(path.resolve(options.animationsDir));
    if (plan) {
      for (const avatar of plan.avatars) list.add(avatar);
      list.add(plan.animationsDir);
      for (const shot of plan.shots) if (shot.animation.kind === 'file') list.add(shot.animation.path);
    }
    lastList = [...list].map((f) => path.resolve(f)).sort();
    return lastList;
  };
}

/** Cycles one at a time; changes during a cycle start one more after it. */
function createCycleQueue(
  run: (changed: string[]) => Promise<void>,
  signal: AbortSignal,
): { schedule(changed: string[]): void; idle(): Promise<void> } {
  let pending: string[] = [];
  let running: Promise<void> = Promise.resolve();
  let scheduled = false;
  return {
    schedule(changed) {
      pending.push(...changed);
      if (scheduled) return;
      scheduled = true;
      running = running.then(async () => {
        scheduled = false;
        if (signal.aborted) return;
        const batch = [...new Set(pending)];
        pending = [];
        await run(batch);
      });
    },
    async idle() {
      for (;;) {
        const current = running;
        await current;
        if (current === running && !scheduled) return;
      }
    },
  };
}
