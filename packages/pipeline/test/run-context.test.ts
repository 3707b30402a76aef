import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedPlan, StageName } from '@vrm-lora/manifest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CacheKeyInputs, CacheStore, cacheKeyOf } from '../src/cache-store.js';
import { type EntryState, newEntryStates } from '../src/entry-state.js';
import { newRunSummary, type PipelineEvent } from '../src/events.js';
import { loadPlanOrThrow } from '../src/load-plan-or-throw.js';
import { createRunContext, type RunContext } from '../src/run-context.js';

// serveItem is every stage's cache-or-compute step: these pin what it records, counts and emits, on a real cache
// folder and a real manifest.

let dir: string;
let plan: ResolvedPlan;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-run-context-'));
  const manifestFile = path.join(dir, 'manifest.json');
  const shot = (pose: string, description: string) => ({
    animationPath: `builtin:${pose}`,
    animationFrame: 0,
    cameraPosition: 'front',
    cameraFrame: 'fullShot',
    description,
  });
  await fs.writeFile(
    manifestFile,
    JSON.stringify({ dataCollection: [shot('waving', 'a waving person'), shot('kneeling', 'kneeling')] }),
  );
  plan = await loadPlanOrThrow(manifestFile, {});
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function setUp(options: { force?: StageName[]; signal?: AbortSignal } = {}) {
  const events: PipelineEvent[] = [];
  const summary = newRunSummary(plan.shots.length);
  const run = createRunContext({
    plan,
    cache: new CacheStore(path.join(dir, 'cache')),
    force: new Set(options.force ?? []),
    signal: options.signal,
    emit: (e) => events.push(e),
    counts: summary.counts,
    conditioningCounts: summary.conditioning,
  });
  return { run, events, counts: summary.counts };
}

const keyOf = (text: string): CacheKeyInputs => ({
  stage: 'post',
  stageVersion: '1',
  params: { text },
  inputs: {},
  upstream: {},
  runtime: {},
});

/** A post item whose value keeps the warnings it was made with, as the render and post stages store them. */
function servePost(run: RunContext, entry: EntryState, text: string, warnings: string[]) {
  return run.serveItem(
    'post',
    'a.vrm',
    entry,
    keyOf(text),
    async () => ({ value: { warnings }, files: { 'out.txt': Buffer.from(text) }, warnings }),
    (value) => value.warnings,
  );
}

describe('serveItem', () => {
  it('computes and stores a missing item, then serves it from the cache with its stored warnings', async () => {
    const first = setUp();
    const [entry] = newEntryStates(plan.shots);
    const made = await servePost(first.run, entry!, 'hello', ['too dark']);
    expect(await fs.readFile(made!.files['out.txt']!, 'utf8')).toBe('hello');
    expect(entry!.warnings).toEqual(['too dark']);
    expect(entry!.stages.post).toMatchObject({
      status: 'done',
      missReason: 'absent',
      key: cacheKeyOf(keyOf('hello')),
    });
    expect(first.events).toMatchObject([
      {
        type: 'item',
        stage: 'post',
        status: 'done',
        missReason: 'absent',
        number: 1,
        warnings: ['too dark'],
      },
    ]);
    expect(first.counts.post).toEqual({ done: 1, cached: 0, failed: 0, repaired: 0 });

    const again = setUp();
    const [fresh] = newEntryStates(plan.shots);
    const served = await servePost(again.run, fresh!, 'hello', ['never computed']);
    expect(served!.value).toEqual({ warnings: ['too dark'] });
    // The entry keeps the stored warnings (they reach report.json); the event reports only new ones.
    expect(fresh!.warnings).toEqual(['too dark']);
    expect(fresh!.stages.post).toEqual({
      status: 'cached',
      key: cacheKeyOf(keyOf('hello')),
      durationMs: expect.any(Number),
    });
    expect(again.events).toMatchObject([{ type: 'item', status: 'cached', warnings: [] }]);
    expect(again.events[0]).not.toHaveProperty('missReason');
    expect(again.counts.post).toEqual({ done: 0, cached: 1, failed: 0, repaired: 0 });
  });

  it('a forced stage recomputes a stored item, and mayServe says no for it', async () => {
    await servePost(setUp().run, newEntryStates(plan.shots)[0]!, 'hello', []);
    const key = cacheKeyOf(keyOf('hello'));
    expect(await setUp().run.mayServe('post', key)).toBe(true);
    expect(await setUp().run.mayServe('post', cacheKeyOf(keyOf('other')))).toBe(false);
    const forced = setUp({ force: ['post'] });
    expect(await forced.run.mayServe('post', key)).toBe(false);
    await servePost(forced.run, newEntryStates(plan.shots)[0]!, 'hello', []);
    expect(forced.events).toMatchObject([{ status: 'done', missReason: 'forced' }]);
  });

  it('a failing compute fails the entry with the stage named, keeps its first error, and returns undefined', async () => {
    const { run, events, counts } = setUp();
    const [entry] = newEntryStates(plan.shots);
    const fail = (message: string) => async () => {
      throw new Error(message);
    };
    expect(await run.serveItem('render', 'a.vrm', entry!, keyOf('x'), fail('no page'))).toBeUndefined();
    await run.serveItem('post', 'a.vrm', entry!, keyOf('y'), fail('later'));
    expect(entry!.error).toBe('render: no page');
    expect(entry!.stages.render?.status).toBe('failed');
    expect(events.map((e) => (e.type === 'item' ? [e.stage, e.status, e.error] : e.type))).toEqual([
      ['render', 'failed', 'render: no page'],
      ['post', 'failed', 'render: no page'],
    ]);
    expect(counts.render.failed).toBe(1);
  });

  it('an aborted run throws instead of failing the entry', async () => {
    const controller = new AbortController();
    const { run, events } = setUp({ signal: controller.signal });
    const [entry] = newEntryStates(plan.shots);
    const aborting = run.serveItem('post', null, entry!, keyOf('z'), async () => {
      controller.abort(new Error('interrupted'));
      throw new Error('stopped');
    });
    await expect(aborting).rejects.toThrow('stopped');
    expect(entry!.error).toBeUndefined();
    expect(events).toEqual([]);
    await expect(
      run.serveItem('post', null, entry!, keyOf('z'), async () => ({ value: 1, files: {} })),
    ).rejects.toThrow('interrupted');
  });

  it('endStage counts the outcomes of the entries given', async () => {
    const { run, events } = setUp();
    const states = newEntryStates(plan.shots);
    await servePost(run, states[0]!, 'one', []);
    await servePost(run, states[1]!, 'one', []);
    run.startStage('post', 'a.vrm', states.length);
    run.endStage('post', 'a.vrm', states);
    expect(events.slice(-2)).toEqual([
      { type: 'stage-start', stage: 'post', avatar: 'a.vrm', total: 2 },
      { type: 'stage-end', stage: 'post', avatar: 'a.vrm', done: 1, cached: 1, failed: 0 },
    ]);
  });
});
