import fs from 'node:fs/promises';
import { type ConditioningKind, type PoseFile, poseFileSchema } from '@vrm-lora/manifest';
import { drawOpenPose, finishConditioningMap, openCvJsVersion, SHARP_VERSION } from '@vrm-lora/post';
import { type CacheItem, type CacheKeyInputs, cacheKeyOf } from './cache-store.js';
import type { ConditioningValue, EntryState, RenderValue } from './entry-state.js';
import type { RunContext } from './run-context.js';
import { type AvatarInput, failureElsewhere, type RenderSetup, renderRequestOf } from './run-render-stage.js';
import { serveOnce } from './serve-once.js';

/** Code version of the conditioning images (drawing, map finishing); a change re-makes them, nothing else. */
export const CONDITIONING_VERSION = 'conditioning/1';

/**
 * A conditioning image's key: its kind, the render it is made from (whose key holds the avatar, pose, camera
 * and every runtime fact of the page), and the libraries that draw it. Nothing of the other kinds: each kind is
 * made, kept and dropped on its own.
 */
export function conditioningKeyInputs(kind: ConditioningKind, renderKey: string): CacheKeyInputs {
  return {
    stage: 'conditioning',
    stageVersion: CONDITIONING_VERSION,
    params: { kind },
    inputs: {},
    upstream: { render: renderKey },
    runtime: {
      sharp: SHARP_VERSION,
      ...(kind === 'openpose' || kind === 'openpose_full' ? { opencvJs: openCvJsVersion() } : {}),
    },
  };
}

/**
 * Serves each conditioning image the entry asks for from the cache, or makes it: OpenPose images from the render's
 * keypoints (Node), depth and normal maps from the renderer (the shot posed again and seen from its exact camera).
 * A failure fails the entry (a trainer needs every image paired).
 */
export async function serveConditioning(
  run: RunContext,
  setup: RenderSetup,
  avatar: AvatarInput,
  entry: EntryState,
): Promise<void> {
  const render = entry.render;
  if (!render || entry.error || entry.shot.conditioning.length === 0) return;
  entry.conditioning = {};
  for (const kind of entry.shot.conditioning) {
    const keyInputs = conditioningKeyInputs(kind, render.key);
    try {
      let item: CacheItem<ConditioningValue> | null = null;
      let made = false;
      if (!run.forced('conditioning')) {
        const got = await run.cache.get<ConditioningValue>('conditioning', cacheKeyOf(keyInputs));
        if ('hit' in got) item = got.hit;
      }
      const make = async () => {
        const failedElsewhere = failureElsewhere(setup, entry.shot.number, `conditioning ${kind}`);
        if (failedElsewhere !== undefined) throw new Error(failedElsewhere);
        const made = await makeConditioning(kind, setup, avatar, entry, render, run.signal);
        return run.cache.put(keyInputs, made.value, { 'conditioning.png': made.png });
      };
      // Made once across processes sharing the cache (depth and normal maps take the browser).
      if (!item && run.forced('conditioning')) {
        item = await make();
        made = true;
      } else if (!item) {
        const once = await serveOnce(run.cache, 'conditioning', cacheKeyOf(keyInputs), make, run.signal);
        item = once.item;
        made = once.made;
      }
      entry.conditioning[kind] = item;
      run.countConditioning(made ? 'done' : 'cached');
    } catch (error) {
      if (run.signal?.aborted) throw error;
      run.countConditioning('failed');
      entry.error ??= `conditioning ${kind}: ${(error as Error).message}`;
      return;
    }
  }
}

async function makeConditioning(
  kind: ConditioningKind,
  setup: RenderSetup,
  avatar: AvatarInput,
  entry: EntryState,
  render: CacheItem<RenderValue>,
  signal: AbortSignal | undefined,
): Promise<{ png: Buffer; value: ConditioningValue }> {
  const { meta } = render.value;
  if (kind === 'openpose' || kind === 'openpose_full') {
    if (!meta.keypoints) throw new Error('the cached render has no keypoints; run again with --force render');
    const full = kind === 'openpose_full';
    const png = await drawOpenPose({
      width: meta.width,
      height: meta.height,
      body: meta.keypoints.body,
      ...(full
        ? {
            leftHand: meta.keypoints.leftHand,
            rightHand: meta.keypoints.rightHand,
            face: meta.keypoints.face,
          }
        : {}),
    });
    return { png, value: {} };
  }
  if (!meta.exactCamera)
    throw new Error('the cached render has no exact camera; run again with --force render');
  const pose = poseFileSchema.parse(
    JSON.parse(await fs.readFile(entry.bake!.files['pose.json']!, 'utf8')),
  ) as PoseFile;
  const result = await setup.renderer.renderMaps(
    { shot: renderRequestOf(setup, avatar, entry.shot, pose), camera: meta.exactCamera, kinds: [kind] },
    signal,
  );
  const finished = await finishConditioningMap({
    kind,
    width: meta.width,
    height: meta.height,
    map: result.maps[kind]!,
    imagePng: await fs.readFile(render.files['render.png']!),
  });
  return { png: finished.png, value: { filledPx: finished.filledPx, clearedPx: finished.clearedPx } };
}
