import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RenderMeta } from '@vrm-lora/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheKeyInputs, CacheStore } from '../src/cache-store.js';
import type { StoredRenderValue } from '../src/entry-state.js';
import { renderFactsOf, withRenderFacts } from '../src/with-render-facts.js';

const keyInputs: CacheKeyInputs = {
  stage: 'render',
  stageVersion: '1',
  params: { width: 96 },
  inputs: {},
  upstream: {},
  runtime: {},
};

/** A render meta as the renderer writes it, with fields the value leaves in meta.json (bones, timings). */
const meta = {
  format: 'vrm-lora/render-meta',
  version: 1,
  width: 96,
  height: 128,
  bounds: { left: 20, top: 8, right: 70, bottom: 119 },
  framing: { mode: 'height', cutLineWorld: null, iterations: 2, alphaCorrected: false },
  keypoints: { body: Array.from({ length: 18 }, () => [10, 20, 2]), leftHand: null, rightHand: null },
  exactCamera: { position: [0, 1, 3], quaternion: [0, 0, 0, 1], fovDegrees: 30 },
  bones: { hips: { x: 48, y: 70, depth: 3 } },
  timings: { totalMs: 12.5 },
} as unknown as RenderMeta;

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-render-facts-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('a render item’s meta in memory', () => {
  it('keeps what later stages read in the value, and nothing of the bones or timings', () => {
    expect(renderFactsOf(meta)).toEqual({
      width: 96,
      height: 128,
      bounds: meta.bounds,
      framing: meta.framing,
      keypoints: meta.keypoints,
      exactCamera: meta.exactCamera,
    });
    const { keypoints: _k, exactCamera: _c, ...withoutOptional } = meta;
    expect(Object.keys(renderFactsOf(withoutOptional as RenderMeta))).toEqual([
      'width',
      'height',
      'bounds',
      'framing',
    ]);
  });

  it('serves the value’s meta without reading meta.json', async () => {
    const cache = new CacheStore(dir);
    const stored = await cache.put<StoredRenderValue>(
      keyInputs,
      { warnings: ['w'], meta: renderFactsOf(meta) },
      { 'meta.json': Buffer.from('{}') }, // not a render meta: reading it would fail
    );
    const got = await cache.get<StoredRenderValue>('render', stored.key);
    if (!('hit' in got)) throw new Error('expected a hit');
    const item = await withRenderFacts(got.hit);
    expect(item.value).toEqual({ warnings: ['w'], meta: renderFactsOf(meta) });
    expect(item.files).toEqual(stored.files);
  });

  it('reads meta.json once for an item stored before the value carried the meta (a cache of older versions)', async () => {
    const cache = new CacheStore(dir);
    const stored = await cache.put<StoredRenderValue>(
      keyInputs,
      { warnings: [] },
      { 'meta.json': Buffer.from(`${JSON.stringify(meta, null, 2)}\n`) },
    );
    const got = await cache.get<StoredRenderValue>('render', stored.key);
    if (!('hit' in got)) throw new Error('expected a hit');
    const item = await withRenderFacts(got.hit);
    expect(item.value.meta).toEqual(renderFactsOf(meta));
    expect(item.value.warnings).toEqual([]);
    // The stored item is left as it was (its key, files and item.json unchanged).
    const again = await cache.get<StoredRenderValue>('render', stored.key);
    expect('hit' in again && again.hit.value).toEqual({ warnings: [] });
  });

  it('fails with the schema’s problem when neither the value nor meta.json holds a valid meta', async () => {
    const cache = new CacheStore(dir);
    const stored = await cache.put<StoredRenderValue>(
      keyInputs,
      { warnings: [] },
      { 'meta.json': Buffer.from(JSON.stringify({ ...meta, bounds: null })) },
    );
    await expect(withRenderFacts(stored)).rejects.toThrow(/bounds/);
  });
});
