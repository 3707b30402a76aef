import { describe, expect, it } from 'vitest';
import { forEachConcurrently } from '../src/for-each-concurrently.js';
import { memoizeAsync } from '../src/memoize-async.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachConcurrently', () => {
  it('starts items in order, never more than the limit at once, and waits for all', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const finished: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      most = Math.max(most, ++running);
      await tick(n % 2 === 0 ? 2 : 8);
      running--;
      finished.push(n);
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
    expect(finished.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('runs nothing for no items, and one at a time with a limit of 1', async () => {
    const seen: number[] = [];
    await forEachConcurrently([], 4, async () => {
      seen.push(0);
    });
    expect(seen).toEqual([]);
    let running = 0;
    await forEachConcurrently([1, 2, 3], 1, async (n) => {
      expect(++running).toBe(1);
      await tick(1);
      seen.push(n);
      running--;
    });
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('memoizeAsync', () => {
  it('calls once per key, concurrent callers included, and shares a rejection', async () => {
    const calls: string[] = [];
    const read = memoizeAsync(async (key) => {
      calls.push(key);
      await tick(1);
      if (key === 'bad') throw new Error(`cannot read ${key}`);
      return key.length;
    });
    expect(await Promise.all([read('abc'), read('abc'), read('de')])).toEqual([3, 3, 2]);
    await expect(read('bad')).rejects.toThrow('cannot read bad');
    await expect(read('bad')).rejects.toThrow('cannot read bad');
    expect(await read('abc')).toBe(3);
    expect(calls).toEqual(['abc', 'de', 'bad']);
  });
});
