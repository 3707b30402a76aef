import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { canonicalJson } from '@vrm-lora/manifest/hash';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheKeyInputs, CacheStore, cacheKeyOf } from '../src/cache-store.js';

const inputs: CacheKeyInputs = {
  stage: 'render',
  stageVersion: '1',
  params: { width: 512, camera: { frame: 'fullShot', position: [0, 0, 1] } },
  inputs: { avatar: 'a'.repeat(64) },
  upstream: { bake: 'b'.repeat(64) },
  runtime: { chromium: '156' },
};

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-cache-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('cache keys', () => {
  it('do not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 2 } })).toBe(
      '{"a":{"c":2,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    const reordered: CacheKeyInputs = {
      runtime: inputs.runtime,
      upstream: inputs.upstream,
      inputs: inputs.inputs,
      params: { camera: { position: [0, 0, 1], frame: 'fullShot' }, width: 512 },
      stageVersion: '1',
      stage: 'render',
    };
    expect(cacheKeyOf(reordered)).toBe(cacheKeyOf(inputs));
  });

  it('are pinned (a change here invalidates every user cache: bump on purpose only)', () => {
    expect(cacheKeyOf(inputs)).toMatchInlineSnapshot(
      `"5002de40d2cce2c418370f2762ac3eb5a948ce8c7f1925e41f9f1058636d6996"`,
    );
  });

  it('change with any input', () => {
    const base = cacheKeyOf(inputs);
    expect(cacheKeyOf({ ...inputs, stageVersion: '2' })).not.toBe(base);
    expect(cacheKeyOf({ ...inputs, params: { ...inputs.params, width: 513 } })).not.toBe(base);
    expect(cacheKeyOf({ ...inputs, inputs: { avatar: 'c'.repeat(64) } })).not.toBe(base);
    expect(cacheKeyOf({ ...inputs, runtime: { chromium: '157' } })).not.toBe(base);
  });
});

describe('CacheStore', () => {
  it('round-trips an item with its files and key inputs', async () => {
    const store = new CacheStore(dir);
    const put = await store.put(inputs, { measured: 3 }, { 'render.png': Buffer.from('pixels') });
    const got = await store.get<{ measured: number }>('render', put.key);
    if (!('hit' in got)) throw new Error('expected a hit');
    expect(got.hit.value).toEqual({ measured: 3 });
    expect(got.hit.keyInputs).toEqual(inputs);
    expect(await fs.readFile(got.hit.files['render.png']!, 'utf8')).toBe('pixels');
  });

  it('reports an absent key as a miss', async () => {
    expect(await new CacheStore(dir).get('render', 'f'.repeat(64))).toEqual({ miss: 'absent' });
  });

  it('treats a truncated file as corrupt, removes the item, and accepts a fresh put', async () => {
    const store = new CacheStore(dir);
    const put = await store.put(inputs, null, { 'render.png': Buffer.alloc(1000, 7) });
    await fs.truncate(put.files['render.png']!, 10);
    expect(await store.get('render', put.key)).toEqual({ miss: 'corrupt' });
    expect(await store.get('render', put.key)).toEqual({ miss: 'absent' });
    await store.put(inputs, null, { 'render.png': Buffer.alloc(1000, 7) });
    expect('hit' in (await store.get('render', put.key))).toBe(true);
  });

  it('treats a flipped byte as corrupt', async () => {
    const store = new CacheStore(dir);
    const put = await store.put(inputs, null, { 'pose.json': Buffer.from('{"a":1}') });
    const bytes = await fs.readFile(put.files['pose.json']!);
    bytes[2] = bytes[2]! ^ 0xff;
    await fs.writeFile(put.files['pose.json']!, bytes);
    expect(await store.get('render', put.key)).toEqual({ miss: 'corrupt' });
  });

  it('survives many concurrent writers of the same key', async () => {
    const stores = [new CacheStore(dir), new CacheStore(dir), new CacheStore(dir)];
    const file = Buffer.alloc(200_000, 3);
    await Promise.all(stores.flatMap((s) => [s.put(inputs, 1, { f: file }), s.put(inputs, 1, { f: file })]));
    const got = await stores[0]!.get('render', cacheKeyOf(inputs));
    expect('hit' in got).toBe(true);
    expect(await fs.readdir(path.join(dir, '.tmp'))).toEqual([]);
  });
});
