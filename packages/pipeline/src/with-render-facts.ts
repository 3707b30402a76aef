import fs from 'node:fs/promises';
import { renderMetaSchema } from '@vrm-lora/manifest';
import type { CacheItem } from './cache-store.js';
import type { RenderFacts, RenderValue, StoredRenderValue } from './entry-state.js';

/** The fields of a render's meta that the render item's value carries (see {@link RenderFacts}). */
export const renderFactsSchema = renderMetaSchema.pick({
  width: true,
  height: true,
  bounds: true,
  framing: true,
  keypoints: true,
  exactCamera: true,
});

/** The part of a render's whole meta that its cache value carries. */
export function renderFactsOf(meta: RenderFacts): RenderFacts {
  const { width, height, bounds, framing, keypoints, exactCamera } = meta;
  return {
    width,
    height,
    bounds,
    framing,
    ...(keypoints ? { keypoints } : {}),
    ...(exactCamera ? { exactCamera } : {}),
  };
}

/**
 * A render item with its meta in its value, for the stages after the render to read in memory. An item stored
 * before the value carried it (a cache written by an older vrm-lora) has its `meta.json` read here, once per run:
 * renders are the costly items, so old ones stay usable rather than being keyed anew.
 */
export async function withRenderFacts(item: CacheItem<StoredRenderValue>): Promise<CacheItem<RenderValue>> {
  const stored = renderFactsSchema.safeParse(item.value.meta);
  const meta = stored.success
    ? stored.data
    : renderFactsSchema.parse(JSON.parse(await fs.readFile(item.files['meta.json']!, 'utf8')));
  return { ...item, value: { ...item.value, meta } };
}
