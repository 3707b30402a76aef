import path from 'node:path';
import type {
  ConditioningKind,
  ContactSheetMode,
  ForceTarget,
  Report,
  ResolvedPlan,
  ResolvedShot,
  TrainerName,
} from '@vrm-lora/manifest';
import { FileHashMemo } from '@vrm-lora/manifest/hash';
import { avatarTarget } from './avatar-target.js';
import { buildReport } from './build-report.js';
import { CacheStore, cacheDirFor } from './cache-store.js';
import { checkAnimationFilesNotEmpty, checkOutputFolders, checkSomeAvatar } from './check-run-inputs.js';
import { checkTrainers } from './check-trainers.js';
import { describeRenderer } from './describe-renderer.js';
import { entryStatesForAvatar, newEntryStates } from './entry-state.js';
import { newRunSummary, type PipelineEvent, type RunSummary } from './events.js';
import { createLazyRenderer, type LazyRenderer } from './lazy-renderer.js';
import { loadPlanOrThrow } from './load-plan-or-throw.js';
import { memoizeAsync } from './memoize-async.js';
import { acquireOutputLock, type OutputLock } from './output-lock.js';
import { PipelineInputError } from './pipeline-error.js';
import { removeStaleCacheItems } from './remove-stale-temp-files.js';
import { resolveRenderRuntime } from './resolve-render-runtime.js';
import { runBakeStage } from './run-bake-stage.js';
import { runCaptionStage } from './run-caption-stage.js';
import { createRunContext } from './run-context.js';
import { type RunItem, runItemOf } from './run-item.js';
import { type AvatarInput, type RenderSetup, runRenderStage } from './run-render-stage.js';
import { selectEntries } from './select-entries.js';
import { animationSha256 } from './stages.js';
import { warmUpRenderer } from './warm-up-renderer.js';
import { writeRunDataset } from './write-run-dataset.js';

/** How far a run goes. `dataset` is the whole flow. */
export type RunUntil = 'bake' | 'render' | 'post' | 'caption' | 'dataset';

export interface RunPipelineOptions {
  /** The manifest file. */
  manifestFile: string;
  /** VRM files; replace the manifest's own avatar list. One dataset per avatar. */
  vrmPaths?: string[];
  /** Overrides the manifest's animation folder. */
  animationsDir?: string;
  /** Output folder (one sub-folder per avatar when there are several). */
  outDir: string;
  /** Cache folder; default `<outDir>/.vrm-lora-cache`. Several datasets may share one. */
  cacheDir?: string;
  /** `--only`: entry numbers/ranges or a description substring. */
  only?: string;
  /** Stages whose cache is ignored (recomputed and re-stored). */
  force?: ForceTarget[];
  /** Last stage to run; default the whole flow. */
  until?: RunUntil;
  /**
   * A missing expression is an error instead of a warning, and so is a frame past a clip's end (unless the
   * manifest itself asks to wrap).
   */
  strict?: boolean;
  /**
   * `--skip-missing-animations`: entries whose animation file is not there are left out (a warning per file,
   * in every report.json) instead of the run being refused.
   */
  skipMissingAnimations?: boolean;
  /** Browser executable and GL backend for the renderer. */
  browser?: { executablePath?: string; glBackend?: string };
  /** Render pages working at once. */
  pages?: number;
  /** Trainers to write setups for; replaces the manifest's `trainers` (default: every one the dataset suits). */
  trainers?: TrainerName[];
  /** `--conditioning`: conditioning images for every entry without its own list (replaces the manifest's). */
  conditioning?: ConditioningKind[];
  /** `--contact-sheet`: what the contact sheet shows (replaces the manifest's `contactSheet`). */
  contactSheet?: ContactSheetMode;
  /**
   * A resident renderer (`vrm-lora watch`): renders through it, keeping its browser and loaded avatars, and
   * leaves it open. `browser` and `pages` are then the renderer's own. Default: a browser of the run's own,
   * started on the first render and closed at the end.
   */
  renderer?: LazyRenderer;
  /** The output folder's lock, held by the caller (a watcher); default: the run takes it for its duration. */
  outputLock?: OutputLock;
  /** The trigger word, instead of the plan's (a collection's avatar: from its file name). */
  trigger?: string;
  /**
   * Entries (by number) whose render already failed elsewhere (a farm's worker), with its message: they fail
   * with it instead of rendering again.
   */
  failedElsewhere?: ReadonlyMap<number, string>;
  /**
   * Files' hashes remembered across runs (`vrm-lora watch` keeps one for its life): the avatar, the clips,
   * the cached items and the dataset's files are read and hashed again only when their stat changed.
   * Default: one for this run.
   */
  fileHashes?: FileHashMemo;
  /**
   * A browser elsewhere (a farm's worker) rendered this run's shots or maps: report.json says a browser
   * worked for it (`browserStarted`), as it says when this process's browser renders.
   */
  browserElsewhere?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
}

export interface RunPipelineResult {
  summary: RunSummary;
  /** One report per avatar (for `until: 'dataset'`; otherwise built but not written). */
  reports: Report[];
  /** Per avatar (null for bake/caption-only runs) and entry: where each stage's result is in the cache. */
  items: RunItem[];
  /** The plan the run resolved (its avatars, animation folder and clips: what a watcher watches). */
  plan: ResolvedPlan;
}

/**
 * Runs manifest → bake → render → post → caption → dataset for every avatar, serving every item it can
 * from the cache and computing the rest. Bad input throws `PipelineInputError` before anything renders;
 * a failing entry is reported and the others are still written.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunPipelineResult> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const until = options.until ?? 'dataset';
  const hashes = options.fileHashes ?? new FileHashMemo();
  // Each avatar is read once per run (warmed up and rendered from the same bytes).
  const readAvatar = memoizeAsync((file) => hashes.read(file));
  // The manifest's warnings (a transparent background trainers see as black, …) are reported before the run
  // and kept in every report.json.
  const manifestWarnings: string[] = [];
  const loaded = await loadPlanOrThrow(
    options.manifestFile,
    {
      animationsDir: options.animationsDir,
      vrmPaths: options.vrmPaths,
      strict: options.strict,
      ...(options.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
      ...(options.conditioning ? { conditioning: options.conditioning } : {}),
      ...(options.contactSheet ? { contactSheet: options.contactSheet } : {}),
    },
    (f) => manifestWarnings.push(`${path.basename(f.file)}: ${f.path ? `${f.path}: ` : ''}${f.message}`),
    (hint) => manifestWarnings.push(`${path.basename(options.manifestFile)}: ${hint}`),
  );
  const plan = options.trainers ? { ...loaded, trainers: [...new Set(options.trainers)] } : loaded;
  // A trainer asked for that cannot read this dataset fails now, before anything renders.
  const trainerProblem = checkTrainers(plan);
  if (trainerProblem) throw new PipelineInputError(trainerProblem);
  const needsAvatar = until !== 'bake' && until !== 'caption';
  if (needsAvatar) checkSomeAvatar(options.manifestFile, plan.avatars);
  const selected = selectEntries(plan.shots, options.only);
  if (typeof selected === 'string') throw new PipelineInputError(selected);
  await checkAnimationFilesNotEmpty(selected);
  await checkOutputFolders(options.outDir, options.cacheDir, until === 'dataset');
  if (options.outputLock && options.outputLock.outDir !== path.resolve(options.outDir))
    throw new Error(`the lock held is ${options.outputLock.outDir}'s, not ${path.resolve(options.outDir)}'s`);
  // One process writes a dataset folder at a time (a run, or a watcher for as long as it watches).
  const ownLock =
    options.outputLock || until !== 'dataset' ? null : await acquireOutputLock(options.outDir, 'run');
  try {
    return await runLocked(options, {
      started,
      emit,
      until,
      readAvatar,
      plan,
      selected,
      needsAvatar,
      manifestWarnings,
      hashes,
    });
  } finally {
    await ownLock?.release();
  }
}

/** What `runPipeline` checked and resolved before the run itself. */
interface CheckedRun {
  started: number;
  emit: (event: PipelineEvent) => void;
  until: RunUntil;
  readAvatar: (file: string) => Promise<{ bytes: Buffer; sha256: string }>;
  plan: Awaited<ReturnType<typeof loadPlanOrThrow>>;
  selected: ResolvedShot[];
  needsAvatar: boolean;
  manifestWarnings: string[];
  hashes: FileHashMemo;
}

/** The run itself, once its inputs are checked and the output folder is locked. */
async function runLocked(options: RunPipelineOptions, args: CheckedRun): Promise<RunPipelineResult> {
  const { started, emit, until, readAvatar, plan, selected, needsAvatar, manifestWarnings, hashes } = args;

  const cache = new CacheStore(path.resolve(cacheDirFor(options.outDir, options.cacheDir)), hashes);
  // A run killed while storing an item leaves its half-built folder in the cache's .tmp/: drop those.
  await removeStaleCacheItems(cache.root);
  const summary = newRunSummary(selected.length);
  summary.browserStarted = options.browserElsewhere ?? false;
  // Captions depend on the avatar only through its trigger word; `caption` alone runs on the plan's.
  const avatars = needsAvatar || until === 'caption' ? plan.avatars : [];
  emit({ type: 'run-start', manifest: plan.manifestFile, avatars, entries: selected.length });
  for (const message of manifestWarnings) emit({ type: 'warning', message });
  const run = createRunContext({
    plan,
    cache,
    force: new Set(options.force ?? []),
    signal: options.signal,
    emit,
    counts: summary.counts,
    conditioningCounts: summary.conditioning,
  });

  const hashFile = memoizeAsync((file) => hashes.sha256File(file));
  const animationShaOf = (shot: ResolvedShot) => animationSha256(shot, hashFile);
  const render = await renderSetupFor(options, until, cache.root, emit);
  const resident = options.renderer !== undefined;
  const stopListening = render?.renderer.listen({
    onStart: (info) => {
      summary.browserStarted = true;
      emit({ type: 'browser-start', ...info });
    },
    onAvatarLoad: (info) => emit({ type: 'avatar-load', key: info.key, durationMs: info.durationMs }),
    onLog: (line, level) => emit({ type: 'renderer-log', line, level }),
    // A shared renderer (a collection's, a watcher's) started before this run: it still rendered for it.
    onRender: () => {
      summary.browserStarted = true;
    },
  });
  const reports: Report[] = [];
  const items: RunItem[] = [];
  try {
    // A render will be needed: start the browser and load the first avatar while the poses bake.
    if (render && avatars[0])
      await warmUpRenderer(run, render, await readAvatar(avatars[0]), selected, animationShaOf);

    // Bake: shared by every avatar.
    const bakeStates = newEntryStates(selected);
    if (until !== 'caption') await runBakeStage(run, bakeStates, animationShaOf);

    for (const avatarFile of avatars) {
      const done = await runAvatar(options, args, run, {
        avatar: { file: avatarFile, name: path.basename(avatarFile), ...(await readAvatar(avatarFile)) },
        bakeStates,
        render,
        // The last avatar is rendered: Chromium shuts down while the dataset is written.
        closeRendererAfter: render !== null && !resident && avatarFile === avatars.at(-1),
        summary,
        cacheRoot: cache.root,
      });
      reports.push(done.report);
      items.push(...done.items);
    }
    if (avatars.length === 0) {
      if (until === 'caption') await runCaptionStage(run, bakeStates, null, plan.trigger);
      const report = buildReport(plan, { file: '', sha256: '', trigger: plan.trigger }, bakeStates);
      items.push(...bakeStates.map((e) => runItemOf(null, e)));
      summary.failed += report.summary.failed;
      summary.warnings += report.summary.warnings;
      reports.push(report);
    }
  } finally {
    stopListening?.();
    if (!resident) await render?.renderer.close();
  }
  summary.durationMs = Math.round(performance.now() - started);
  emit({ type: 'run-end', summary });
  return { summary, reports, items, plan };
}

/** The renderer and the runtime facts its keys name, for runs that render (null for the others). */
async function renderSetupFor(
  options: RunPipelineOptions,
  until: RunUntil,
  cacheRoot: string,
  emit: (event: PipelineEvent) => void,
): Promise<RenderSetup | null> {
  if (until !== 'render' && until !== 'post' && until !== 'dataset') return null;
  const runtime = await resolveRenderRuntime(options.browser, cacheRoot);
  return {
    runtime,
    // The backend the keys name: `auto` is resolved once, above, not again by the renderer. A shared
    // renderer (a collection's, a farm worker's) is the caller's, with its own backend.
    renderer:
      options.renderer ??
      createLazyRenderer({
        browser: { ...options.browser, glBackend: runtime.glBackend },
        glBackendReason: runtime.glBackendReason,
        pages: options.pages,
        onReady: (facts) => emit({ type: 'renderer-ready', ...facts }),
      }),
    pages: options.pages,
    strict: options.strict,
    ...(options.failedElsewhere ? { failedElsewhere: options.failedElsewhere } : {}),
  };
}

/** One avatar's captions, renders and post-processing, its report and (for `dataset`) its dataset. */
async function runAvatar(
  options: RunPipelineOptions,
  args: CheckedRun,
  run: ReturnType<typeof createRunContext>,
  ctx: {
    avatar: AvatarInput;
    bakeStates: ReturnType<typeof newEntryStates>;
    render: RenderSetup | null;
    closeRendererAfter: boolean;
    summary: RunSummary;
    cacheRoot: string;
  },
): Promise<{ report: Report; items: RunItem[] }> {
  const { until, plan, manifestWarnings, started, hashes } = args;
  const { avatar, render, summary } = ctx;
  const { trigger, outDir } = options.trigger
    ? { trigger: options.trigger, outDir: options.outDir }
    : avatarTarget(plan, avatar.file, options.outDir);
  const states = entryStatesForAvatar(ctx.bakeStates);
  // Captions first: they are cheap, and an empty caption fails its entry before any render.
  if (until === 'caption' || until === 'dataset') await runCaptionStage(run, states, avatar.name, trigger);
  if (render) await runRenderStage(run, render, avatar, states, { withPost: until !== 'render' });
  if (render && ctx.closeRendererAfter) render.renderer.close().catch(() => {});
  const report = buildReport(plan, { file: avatar.file, sha256: avatar.sha256, trigger }, states);
  if (manifestWarnings.length > 0) report.warnings = manifestWarnings;
  if (render) report.renderer = await describeRenderer(render, summary.browserStarted);
  if (until === 'dataset')
    summary.outputs.push(
      await writeRunDataset(run, {
        avatar,
        trigger,
        outDir,
        cacheRoot: ctx.cacheRoot,
        states,
        report,
        started,
        browserStarted: summary.browserStarted,
        hashes,
      }),
    );
  summary.written += report.summary.written;
  summary.failed += report.summary.failed;
  summary.warnings += report.summary.warnings;
  return { report, items: states.map((e) => runItemOf(avatar.file, e)) };
}
