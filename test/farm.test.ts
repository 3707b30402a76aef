import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { demoManifest } from '@vrm-lora/pipeline';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from './support/redis-server.js';
import { cliMain, jsonEvents, runCli } from './support/run-cli.js';
import { sharedAsset } from './support/shared-assets.js';

// The farm end to end: a real redis-server on loopback, worker processes of the built CLI, a submitter, and
// 6 avatars (4 shared, 2 mannequin variants) on the demo manifest. Each farm run's datasets must be the bytes
// a one-process run writes, with a worker SIGKILLed mid-job, and with Redis restarted (empty) mid-run.

const SHARED = [
  'debug_robot.vrm',
  'cryptovoxels.vrm',
  'VRMC_vrm_expressions_isBinary_Overrides.vrm',
  'VRMC_materials_mtoon_UV_Animation_Test.vrm',
];
const hasAssets = sharedAsset('vrm', SHARED[0]!) !== null;

type Proc = { name: string; proc: ResultPromise; events: Record<string, unknown>[] };

let dir: string;
let redis: TestRedis;
const workers: Proc[] = [];

/** A CLI process in the background whose `--json` events are collected as they come. */
function spawnCli(name: string, args: string[]): Proc {
  const proc = execa(process.execPath, [cliMain, ...args], { cwd: dir, env: { CI: '1' }, reject: false });
  const p: Proc = { name, proc, events: [] };
  let rest = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    p.events.push(...jsonEvents(lines.join('\n')));
  });
  return p;
}

function startWorker(name: string): Proc {
  // Inputs only from the test's folder and the shared avatars its links point to.
  const roots = ['--input-root', dir, '--input-root', path.dirname(sharedAsset('vrm', SHARED[0]!)!)];
  const locks = ['--lock-duration-ms', '3000', '--stalled-interval-ms', '1000'];
  const common = ['--queue', redis.url, '--cache-dir', 'cache', '--name', name, '--json'];
  const w = spawnCli(name, ['worker', ...common, ...roots, ...locks]);
  workers.push(w);
  return w;
}

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file of a collection's output, relative; report.json of each avatar aside (it has timings). */
async function datasetFiles(root: string): Promise<string[]> {
  return (await fs.readdir(root, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .filter((f) => !(f.endsWith('/report.json') && f.includes('/')))
    .sort();
}

/** The farm's output equals the one-process run's, byte for byte (per-avatar reports: their entries). */
async function expectSameAsReference(
  out: string,
  ref = path.join(dir, 'ref'),
  minPngs = 6 * 6,
  compareBrowser = true,
): Promise<void> {
  const files = await datasetFiles(ref);
  expect(await datasetFiles(out)).toEqual(files);
  expect(files.filter((f) => f.endsWith('.png')).length).toBeGreaterThan(minPngs);
  for (const f of files) {
    const same = Buffer.compare(await fs.readFile(path.join(ref, f)), await fs.readFile(path.join(out, f)));
    expect(same, f).toBe(0);
  }
  for (const sub of await fs.readdir(ref)) {
    const report = path.join(sub, 'report.json');
    const read = async (root: string) =>
      JSON.parse(await fs.readFile(path.join(root, report), 'utf8').catch(() => 'null'))?.entries?.map(
        (e: Record<string, unknown>) => [e.id, e.status, e.error, e.caption, e.output, e.measured],
      );
    expect(await read(out), report).toEqual(await read(ref));
    // A browser rendered every avatar (the worker's; the one-process run's shared one): both reports say so.
    const rendered = async (root: string) => {
      const r = JSON.parse(await fs.readFile(path.join(root, report), 'utf8').catch(() => 'null'));
      return r && [r.summary.browserStarted, r.renderer];
    };
    const seen = await rendered(ref);
    if (seen) expect(seen[0], report).toBe(true);
    if (compareBrowser) expect(await rendered(out), report).toEqual(seen);
  }
}

function submit(runId: string, vrmDir = 'avatars', out = 'out', extra: string[] = []): Proc {
  const args = ['run', 'manifest.json', '--vrm-dir', vrmDir, '-o', out, '--cache-dir', 'cache', '--json'];
  return spawnCli(`submit-${runId}`, [...args, '--queue', redis.url, '--run-id', runId, ...extra]);
}

describe.skipIf(!hasAssets)('render farm (BullMQ on a real redis-server)', () => {
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-farm-'));
    redis = await startTestRedis();
    const manifest = demoManifest();
    Object.assign(manifest, { width: 128, height: 128, topFrameOffsetPixels: 8, bottomFrameOffsetPixels: 8 });
    manifest.dataCollection = (manifest.dataCollection as unknown[]).slice(0, 6);
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await fs.mkdir(path.join(dir, 'avatars'));
    await fs.writeFile(
      path.join(dir, 'avatars', 'mannequin.vrm'),
      await createMannequinVrm({ specVersion: '1.0' }),
    );
    await fs.writeFile(
      path.join(dir, 'avatars', 'mannequin_v0.vrm'),
      await createMannequinVrm({ specVersion: '0.x' }),
    );
    for (const name of SHARED) await fs.symlink(sharedAsset('vrm', name)!, path.join(dir, 'avatars', name));
    // The one-process run every farm run must equal, then moved aside (dataset.toml names the output folder).
    const local = await runCli(
      ['run', 'manifest.json', '--vrm-dir', 'avatars', '-o', 'out', '--cache-dir', 'cache-local'],
      { cwd: dir },
    );
    // One entry of the MToon test avatar renders empty (it fails the same way on the farm).
    expect(local.exitCode, String(local.stderr)).toBe(1);
    expect(String(local.stderr)).toContain(
      '6 of 6 avatar(s) written (0 failed): 35 image(s), 1 entry failure(s)',
    );
    await fs.rename(path.join(dir, 'out'), path.join(dir, 'ref'));
    for (const name of ['w1', 'w2', 'w3']) startWorker(name);
  }, 180_000);

  afterAll(async () => {
    for (const w of workers) w.proc.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.proc));
    await redis?.stop();
    if (!process.env.VRM_LORA_KEEP_TEST_DIR) await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes the one-process bytes when a worker is SIGKILLed mid-job', async () => {
    const run = submit('kill');
    const w1 = workers[0]!;
    const taken = await waitFor('w1 to take a job', () => w1.events.find((e) => e.type === 'job-start'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(
      w1.events.some((e) => e.type === 'job-done'),
      'w1 finished before it was killed',
    ).toBe(false);
    w1.proc.kill('SIGKILL');
    const result = await run.proc;
    expect(result.exitCode, String(result.stderr)).toBe(1);
    // Its job was taken over (BullMQ's stalled-job check) and finished by another worker.
    const doneBy = run.events.filter((e) => e.type === 'job-done' && e.jobId === taken.jobId);
    expect(doneBy).toHaveLength(1);
    expect((doneBy[0]!.result as { worker: string }).worker).not.toBe('w1');
    // Each avatar's dataset written once.
    const ends = run.events
      .filter((e) => e.type === 'avatar-end')
      .map((e) => (e.avatar as { file: string }).file);
    expect(ends.sort()).toEqual([...new Set(ends)].sort());
    expect(ends).toHaveLength(6);
    const end = run.events.filter((e) => e.type === 'collection-end');
    expect(end.map((e) => [e.report, (e.summary as { avatars: number }).avatars])).toEqual([
      [path.join(dir, 'out', 'report.json'), 6],
    ]);
    await expectSameAsReference(path.join(dir, 'out'));
    await fs.rename(path.join(dir, 'out'), path.join(dir, 'out-kill'));
  }, 180_000);

  it('writes the one-process bytes when Redis restarts mid-run', async () => {
    await fs.rm(path.join(dir, 'cache'), { recursive: true, force: true });
    startWorker('w4');
    const run = submit('restart');
    await waitFor('the first avatar written', () => run.events.find((e) => e.type === 'avatar-end'));
    await redis.restart(1000);
    const result = await run.proc;
    expect(result.exitCode, String(result.stderr)).toBe(1);
    // The restart emptied Redis: the submitter queued the unfinished jobs again, and the workers reconnected.
    expect(run.events.filter((e) => e.type === 'job-requeued').length).toBeGreaterThan(0);
    expect(run.events.filter((e) => e.type === 'avatar-end')).toHaveLength(6);
    // A job queued again may find its renders all cached by its lost first run: its report says no browser.
    await expectSameAsReference(path.join(dir, 'out'), undefined, undefined, false);
    await fs.rename(path.join(dir, 'out'), path.join(dir, 'out-restart'));
  }, 180_000);

  it('keeps two submitters on one queue apart', async () => {
    const avatars = (await fs.readdir(path.join(dir, 'avatars'))).sort();
    await fs.writeFile(
      path.join(dir, 'first.txt'),
      avatars
        .slice(0, 3)
        .map((a) => `avatars/${a}`)
        .join('\n'),
    );
    await fs.writeFile(
      path.join(dir, 'second.txt'),
      avatars
        .slice(3)
        .map((a) => `avatars/${a}`)
        .join('\n'),
    );
    const runs = [submit('first', 'first.txt', 'out-first'), submit('second', 'second.txt', 'out-second')];
    const results = await Promise.all(runs.map((r) => r.proc));
    // The first half has the MToon avatar and its failing entry.
    expect(results.map((r) => r.exitCode)).toEqual([1, 0]);
    for (const [i, run] of runs.entries()) {
      const own = avatars.slice(i * 3, i * 3 + 3).map((a) => path.join(dir, 'avatars', a));
      const report = JSON.parse(
        await fs.readFile(path.join(dir, `out-${run.name.slice(7)}`, 'report.json'), 'utf8'),
      );
      expect(report.avatars.map((a: { file: string }) => a.file)).toEqual(own);
      const jobs = run.events.filter((e) => e.type === 'job-done').map((e) => e.jobId as string);
      expect(jobs).toHaveLength(3);
      for (const id of jobs) expect(id.startsWith(`${run.name.slice(7)}-`)).toBe(true);
    }
  }, 180_000);

  it('makes conditioning images on the workers: the one-process bytes', async () => {
    // Every kind: depth and normal maps need the worker's browser, OpenPose images its render's keypoints.
    const flags = [
      '--conditioning',
      'openpose,openpose_full,depth,normal',
      '--contact-sheet',
      'with-conditioning',
    ];
    const list = path.join(dir, 'conditioning.txt');
    await fs.writeFile(list, 'avatars/mannequin.vrm\navatars/debug_robot.vrm\n');
    // A cache of its own, as the farm's: a normal map made from a render served from the cache can differ in a
    // few pixels from one made right after rendering (the renderer's, not the farm's; see docs/scaling.md).
    const args = ['run', 'manifest.json', '--vrm-dir', list, '--cache-dir', 'cache-conditioning', ...flags];
    const local = await runCli([...args, '-o', 'ref-conditioning'], { cwd: dir });
    expect(local.exitCode, String(local.stderr)).toBe(0);
    await fs.rm(path.join(dir, 'cache'), { recursive: true, force: true });
    const run = submit('conditioning', list, 'out-conditioning', flags);
    const result = await run.proc;
    expect(result.exitCode, String(result.stderr)).toBe(0);
    // The workers made every image and map; the submitter only read them from the cache.
    const done = run.events.filter((e) => e.type === 'job-done');
    expect(done.map((e) => (e.result as { renders: { done: number } }).renders.done)).toEqual([6, 6]);
    const files = await datasetFiles(path.join(dir, 'ref-conditioning'));
    for (const kind of ['openpose', 'openpose_full', 'depth', 'normal'])
      expect(
        files.filter((f) => f.includes(`conditioning/${kind}/`)),
        kind,
      ).toHaveLength(2 * 6);
    await expectSameAsReference(
      path.join(dir, 'out-conditioning'),
      path.join(dir, 'ref-conditioning'),
      2 * 6 * 5 - 1,
    );
  }, 180_000);

  it('renders an avatar once when two submitters queue it into one cache at once', async () => {
    await fs.rm(path.join(dir, 'cache'), { recursive: true, force: true });
    const list = path.join(dir, 'both.txt');
    await fs.writeFile(list, 'avatars/mannequin.vrm\navatars/debug_robot.vrm\n');
    const runs = [submit('twice-a', list, 'out-twice-a'), submit('twice-b', list, 'out-twice-b')];
    const results = await Promise.all(runs.map((r) => r.proc));
    expect(results.map((r) => r.exitCode)).toEqual([0, 0]);
    // Four jobs (two per run, on three workers at once), 12 distinct renders: each made once, by one of them.
    const jobs = runs.flatMap((r) => r.events.filter((e) => e.type === 'job-done'));
    expect(jobs).toHaveLength(4);
    const renders = jobs.map((e) => (e.result as { renders: { done: number; cached: number } }).renders);
    expect(
      renders.reduce((n, r) => n + r.done, 0),
      JSON.stringify(renders),
    ).toBe(2 * 6);
    expect(renders.reduce((n, r) => n + r.done + r.cached, 0)).toBe(4 * 6);
    for (const out of ['out-twice-a', 'out-twice-b'])
      for (const avatar of ['mannequin', 'debug-robot']) {
        const files = await datasetFiles(path.join(dir, 'ref', avatar));
        expect(await datasetFiles(path.join(dir, out, avatar))).toEqual(files);
        for (const f of files.filter((f) => f.endsWith('.png') || f.endsWith('.txt')))
          expect(
            Buffer.compare(
              await fs.readFile(path.join(dir, 'ref', avatar, f)),
              await fs.readFile(path.join(dir, out, avatar, f)),
            ),
            `${out}/${avatar}/${f}`,
          ).toBe(0);
      }
  }, 180_000);
});
