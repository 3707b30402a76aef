import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheKeyInputs, CacheStore, cacheKeyOf } from '../src/cache-store.js';
import { HOST_TAG } from '../src/host-tag.js';
import { serveOnce } from '../src/serve-once.js';

const inputs: CacheKeyInputs = {
  stage: 'render',
  stageVersion: '1',
  params: { width: 64 },
  inputs: { avatar: 'a'.repeat(64) },
  upstream: {},
  runtime: {},
};
const key = cacheKeyOf(inputs);

let dir: string;
let cache: CacheStore;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-serve-once-'));
  cache = new CacheStore(dir);
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** A compute that counts its calls and takes `ms`. */
function counted(ms: number) {
  const calls = { n: 0 };
  const compute = async () => {
    calls.n++;
    await new Promise((r) => setTimeout(r, ms));
    return cache.put(inputs, { made: calls.n }, { 'render.png': Buffer.from('pixels') });
  };
  return { calls, compute };
}

const claimFile = () => path.join(dir, '.claims', `render-${key}`);

describe('serveOnce', () => {
  it('computes an item once for callers asking at the same time; the others get the stored item', async () => {
    const { calls, compute } = counted(300);
    const served = await Promise.all([1, 2, 3].map(() => serveOnce(cache, 'render', key, compute)));
    expect(calls.n).toBe(1);
    expect(served.map((s) => s.made).sort()).toEqual([false, false, true]);
    expect(served.map((s) => s.item.value)).toEqual([{ made: 1 }, { made: 1 }, { made: 1 }]);
    // The claim is gone once the item is stored.
    await expect(fs.access(claimFile())).rejects.toThrow();
  });

  it('takes over the claim of a dead process of this host at once', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await fs.mkdir(path.dirname(claimFile()), { recursive: true });
    await fs.writeFile(claimFile(), `${HOST_TAG} ${dead}\n`);
    const { calls, compute } = counted(0);
    const t0 = performance.now();
    const served = await serveOnce(cache, 'render', key, compute);
    expect([served.made, calls.n]).toEqual([true, 1]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("waits on another host's fresh claim, and takes it over once it goes stale", async () => {
    await fs.mkdir(path.dirname(claimFile()), { recursive: true });
    await fs.writeFile(claimFile(), `${HOST_TAG === '00000000' ? '11111111' : '00000000'} 1\n`);
    const { calls, compute } = counted(0);
    const waiting = serveOnce(cache, 'render', key, compute, AbortSignal.timeout(400));
    await expect(waiting).rejects.toThrow();
    expect(calls.n).toBe(0);
    // Untouched for over 30 s: its holder is gone.
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(claimFile(), old, old);
    const served = await serveOnce(cache, 'render', key, compute);
    expect([served.made, calls.n]).toEqual([true, 1]);
  });

  it('lets a waiter compute the item when the holder failed', async () => {
    let first = true;
    const { calls, compute } = counted(100);
    const failing = async () => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 200));
        throw new Error('renderer crashed');
      }
      return compute();
    };
    const served = await Promise.allSettled([
      serveOnce(cache, 'render', key, failing),
      serveOnce(cache, 'render', key, failing),
    ]);
    expect(served.map((s) => s.status)).toEqual(['rejected', 'fulfilled']);
    expect(calls.n).toBe(1);
  });
});
