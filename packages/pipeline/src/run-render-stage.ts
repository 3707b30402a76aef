import fs from 'node:fs/promises';
import { type PoseFile, poseFileSchema, type ResolvedShot } from '@vrm-lora/manifest';
import type { RawImage, RenderShotRequest } from '@vrm-lora/renderer';
import { RenderError } from '@vrm-lora/renderer/facts';
import type { CacheItem } from './cache-store.js';
import type { EntryState, RenderValue, StoredRenderValue } from './entry-state.js';
import { forEachConcurrently } from './for-each-concurrently.js';
import type { LazyRenderer } from './lazy-renderer.js';
import { serveConditioning } from './run-conditioning-stage.js';
import type { Computed, RunContext } from './run-context.js';
import { startPostStage } from './run-post-stage.js';
import { type RenderRuntime, renderKeyInputs, renderParams } from './stages.js';
import { renderFactsOf, withRenderFacts } from './with-render-facts.js';

/** What the render stage renders with, set up once per run. */
export interface RenderSetup {
  renderer: LazyRenderer;
  runtime: RenderRuntime;
  /** Render pages working at once (default 1). */
  pages: number | undefined;
  /** A missing expression is an error instead of a warning. */
  strict: boolean | undefined;
  /**
   * Entries that failed elsewhere (a farm's worker), by number, with the entry's error there (`render: …`,
   * `conditioning depth: …`): the stage named fails here with the same message instead of being tried again.
   */
  failedElsewhere?: ReadonlyMap<number, string>;
}

/** The message an entry's `stage` failed with elsewhere (`RenderSetup.failedElsewhere`), if it did. */
export function failureElsewhere(setup: RenderSetup, shotNumber: number, stage: string): string | undefined {
  const error = setup.failedElsewhere?.get(shotNumber);
  return error?.startsWith(`${stage}: `) ? error.slice(stage.length + 2) : undefined;
}

/** One avatar as the renderer gets it, read and hashed once per run. */
export interface AvatarInput {
  file: string;
  /** The file's base name, as events name the avatar. */
  name: string;
  bytes: Buffer;
  sha256: string;
}

/**
 * One avatar's render stage and, with `withPost`, its post stage overlapping it: each entry is post-processed
 * in Node as soon as its render is in, while the browser renders the next. Entries that failed or have no pose
 * are skipped. Both stages end when the last post-processing has.
 */
export async function runRenderStage(
  run: RunContext,
  setup: RenderSetup,
  avatar: AvatarInput,
  states: EntryState[],
  options: { withPost: boolean },
): Promise<void> {
  run.startStage('render', avatar.name, states.length);
  const post = options.withPost ? startPostStage(run, avatar.name, states) : null;
  // One shot more than there are pages: it waits in the renderer's queue and starts the moment the
  // previous shot's pixels are in Node, so the browser never idles while Node encodes and posts.
  await forEachConcurrently(states, Math.max(1, setup.pages ?? 1) + 1, async (entry) => {
    if (!entry.bake || entry.error) {
      entry.stages.render = { status: 'skipped', durationMs: 0 };
      return;
    }
    const bake = entry.bake;
    // A render made here hands its pixels to post in memory; one from the cache is decoded from its PNG.
    let pixels: RawImage | undefined;
    const served = await run.serveItem<StoredRenderValue>(
      'render',
      avatar.name,
      entry,
      renderKeyInputs(entry.shot, avatar.sha256, bake.key, setup.runtime, setup.strict),
      async () => {
        const made = await renderEntry(setup, avatar, entry.shot, bake, run.signal);
        pixels = made.pixels;
        return made;
      },
      (value) => value?.warnings ?? [],
    );
    entry.render = served && (await renderWithFacts(served, entry));
    if (post && entry.render) post.add(entry, entry.render, pixels);
    pixels = undefined;
    // Conditioning images come with the post stage (a render-only run makes none).
    if (post && entry.render) await serveConditioning(run, setup, avatar, entry);
  });
  await post?.settled();
  run.endStage('render', avatar.name, states);
  post?.end();
}

/** The renderer's request for a shot: built from the render key's params only (see `renderParams`). */
export function renderRequestOf(
  setup: RenderSetup,
  avatar: AvatarInput,
  shot: ResolvedShot,
  pose: PoseFile,
): RenderShotRequest {
  const { camera, frame, localOffset, ...rest } = renderParams(shot, setup.strict);
  return {
    avatar: { key: avatar.sha256, bytes: avatar.bytes },
    pose,
    camera: { position: camera, frame, localOffset },
    ...rest,
  };
}

/** The served render item with its meta in memory; an old item whose `meta.json` cannot be read fails the entry. */
async function renderWithFacts(
  served: CacheItem<StoredRenderValue>,
  entry: EntryState,
): Promise<CacheItem<RenderValue> | undefined> {
  try {
    return await withRenderFacts(served);
  } catch (error) {
    entry.error ??= `render: cannot read the render's meta.json: ${(error as Error).message}`;
    return undefined;
  }
}

/**
 * Renders one shot from its baked pose: `render.png` and the renderer's `meta.json`, the meta's facts the later
 * stages read in the value, and the pixels (not stored) for post.
 */
async function renderEntry(
  setup: RenderSetup,
  avatar: AvatarInput,
  shot: ResolvedShot,
  bake: CacheItem,
  signal: AbortSignal | undefined,
): Promise<Computed<StoredRenderValue> & { pixels: RawImage }> {
  const failedElsewhere = failureElsewhere(setup, shot.number, 'render');
  if (failedElsewhere !== undefined) throw new Error(failedElsewhere);
  const pose = poseFileSchema.parse(
    JSON.parse(await fs.readFile(bake.files['pose.json']!, 'utf8')),
  ) as PoseFile;
  const result = await setup.renderer
    .renderShot(renderRequestOf(setup, avatar, shot, pose), signal)
    .catch((error: unknown) => {
      // Name the file: with several avatars, "avatar could not be loaded" alone says not which.
      if (error instanceof RenderError && error.code === 'invalid-avatar')
        throw new Error(`${avatar.file}: ${error.message}`, { cause: error });
      throw error;
    });
  return {
    value: { warnings: result.warnings, meta: renderFactsOf(result.meta) },
    pixels: result.pixels,
    files: {
      'render.png': result.png,
      'meta.json': Buffer.from(`${JSON.stringify(result.meta, null, 2)}\n`),
    },
    warnings: result.warnings,
  };
}
