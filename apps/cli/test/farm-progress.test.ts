import type { FarmJobResult } from '@vrm-lora/farm';
import { describe, expect, it } from 'vitest';
import { etaOf, FarmTally, renderCounts, workingLine } from '../src/farm-progress.js';

const result = (worker: string, done: number, cached: number, failed = 0): FarmJobResult => ({
  worker,
  durationMs: 1000,
  renders: { done, cached, failed },
  posts: { done, cached, failed: 0 },
  failedEntries: [],
});

const jobs = (...texts: string[]) => new Map(texts.map((text, i) => [`w${i}`, { text }]));

describe("the farm's progress line", () => {
  it('lists the workers by name, as many as the width holds, and counts the rest', () => {
    const working = jobs('w2: cryptovoxels 3/6', 'w1: debug_robot 5/6', 'w3: mannequin');
    expect(workingLine(working, 3, 80)).toBe('w1: debug_robot 5/6 · w2: cryptovoxels 3/6 · w3: mannequin');
    expect(workingLine(working, 3, 50)).toBe('w1: debug_robot 5/6 · w2: cryptovoxels 3/6 +1 more');
    expect(workingLine(working, 3, 30)).toBe('w1: debug_robot 5/6 +2 more');
    // Not even one fits: a count.
    expect(workingLine(working, 3, 16)).toBe('3 worker(s) busy');
  });

  it('says what happens when no job is in hand', () => {
    expect(workingLine(jobs(), 2, 80)).toBe('2 job(s) left, none in progress');
    expect(workingLine(jobs(), 0, 80)).toBe('writing datasets');
  });

  it('shows the time left at the pace so far, none before the first avatar', () => {
    expect(etaOf(5000, 0, 10)).toBe('…');
    expect(etaOf(10_000, 2, 10)).toBe('40s');
    expect(etaOf(60_000, 1, 10)).toBe('9m 00s');
    expect(etaOf(3_600_000, 1, 100)).toBe('99h 00m');
  });

  it("sums the workers' renders up, since the submitter's are all from the cache", () => {
    const tally = new FarmTally();
    tally.add(result('w2', 6, 0));
    tally.add(result('w1', 5, 0, 1));
    tally.add(result('w2', 0, 6));
    expect(tally.summary()).toBe(
      '  workers: 11 rendered, 6 from the cache, 1 failed · jobs per worker: w1 1, w2 2',
    );
    expect(renderCounts(result('w1', 5, 0, 1))).toBe('5 rendered, 0 from the cache, 1 failed');
  });
});
