import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CACHE_DIR_NAME,
  type CliEvent,
  type CliRun,
  clipFbx,
  findTempFiles,
  hashTree,
  runCliToEnd,
  startCli,
} from './faults/support/fault-kit.js';

// `vrm-lora watch` as a user runs it (the built CLI, `--json`): the mechanics behind "one edited entry → its
// image on disk in ≤ 0.5 s" (one render, no browser start, no avatar load: from the events, not the clock),
// the output folder's lock, Ctrl-C leaving no process and no partial file, and the dataset byte-identical
// to what `run` writes for the same inputs. The figure itself is `pnpm bench`'s (BENCH_PARTS=watch).

let dir: string;
let manifestFile: string;
let vrmFile: string;
let out: string;
const started: CliRun[] = [];

const manifest = {
  width: 160,
  height: 160,
  topFrameOffsetPixels: 8,
  bottomFrameOffsetPixels: 8,
  backgroundGrayscale: 0.5,
  backgroundDescription: 'plain grey background',
  dataCollection: [
    ['builtin:waving', 'front', 'a mannequin waving'],
    ['builtin:arms-crossed', 'left', 'a mannequin with arms crossed'],
    ['clip.fbx', 'front', 'a mannequin raising an arm'],
    ['builtin:cheering', 'back', 'a mannequin cheering'],
  ].map(([animationPath, cameraPosition, description]) => ({
    animationPath,
    animationFrame: animationPath === 'clip.fbx' ? 9 : 0,
    lookAtCamera: false,
    cameraPosition,
    cameraFrame: 'fullShot',
    description,
  })),
};

/** A running watcher whose cycles can be awaited one by one. */
function startWatch(args: string[] = []): CliRun & { next(type: string): Promise<CliEvent[]> } {
  const waiting: { type: string; resolve: (events: CliEvent[]) => void }[] = [];
  let since: CliEvent[] = [];
  const run = startCli(['watch', manifestFile, '--vrm', vrmFile, '--out', out, '--json', ...args], {
    onEvent: (event) => {
      since.push(event);
      const waiter = waiting[0];
      if (waiter && event.type === waiter.type) {
        waiting.shift();
        const batch = since;
        since = [];
        waiter.resolve(batch);
      }
    },
  });
  started.push(run);
  return Object.assign(run, {
    /**
     * Every event since the last call, up to and including the next `type` event. A save can be seen half
     * written (a `cycle-error`, then a good cycle once the write is complete): `cycle-end` waits for the good one.
     */
    next: (type: string) => new Promise<CliEvent[]>((resolve) => waiting.push({ type, resolve })),
  });
}

/** Every process under `pid`, its children's children included: one `ps` snapshot, taken synchronously. */
function descendants(pid: number): number[] {
  const parents = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parents)
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
  };
  walk(pid);
  return found;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  // A zombie (state Z) has exited and waits to be reaped.
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** The dataset `run` writes, byte for byte: every file but the cache, and report.json without its timings. */
async function datasetDigest(outDir: string): Promise<Record<string, string>> {
  const files = Object.fromEntries(
    await hashTree(outDir, (r) => r === CACHE_DIR_NAME || r === 'report.json'),
  );
  const report = JSON.parse(await fs.readFile(path.join(outDir, 'report.json'), 'utf8'));
  report.summary.durationMs = 0;
  report.summary.browserStarted = null;
  report.summary.stages = null;
  for (const e of report.entries)
    for (const s of Object.values(e.stages) as {
      status?: string;
      durationMs: number;
      missReason?: string;
    }[]) {
      s.durationMs = 0;
      delete s.status;
      delete s.missReason;
    }
  files['report.json (timings and cache outcomes dropped)'] = JSON.stringify(report);
  return files;
}

const cycleEnd = (events: CliEvent[]) => events.findLast((e) => e.type === 'cycle-end')!;
const pipelineEvents = (events: CliEvent[]) =>
  events.filter((e) => e.type === 'pipeline').map((e) => e.event as CliEvent);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-watch-cli-'));
  manifestFile = path.join(dir, 'manifest.json');
  vrmFile = path.join(dir, 'mannequin.vrm');
  out = path.join(dir, 'out');
  await fs.writeFile(vrmFile, await createMannequinVrm({ specVersion: '1.0' }));
  await fs.writeFile(path.join(dir, 'clip.fbx'), clipFbx('LeftArm', 80));
  await fs.writeFile(manifestFile, JSON.stringify(manifest, null, 2));
});
afterAll(async () => {
  // A test that failed or timed out leaves its watcher running: stop it (it closes its browser).
  for (const run of started) if (run.child.exitCode === null) run.child.kill('SIGINT');
  await Promise.all(started.map((run) => run.done.catch(() => null)));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('vrm-lora watch (built CLI)', () => {
  it('re-renders only what changed on a warm renderer, locks the folder, stops clean on Ctrl-C, and writes what run writes', async () => {
    const watch = startWatch();
    const first = await watch.next('cycle-end');
    expect(cycleEnd(first)).toMatchObject({ renders: 4, browserStarts: 1, avatarLoads: 1 });
    expect(first.find((e) => e.type === 'watching')?.files).toEqual(
      [manifestFile, vrmFile, dir, path.join(dir, 'clip.fbx')].sort(),
    );

    // While it watches, the output folder is taken: another watcher and a run are refused, and say why.
    const lockLine = `output folder ${out} is in use by vrm-lora watch (pid ${watch.child.pid}`;
    const run = await runCliToEnd(['run', manifestFile, '--vrm', vrmFile, '--out', out]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(lockLine);
    expect(run.stderr).toContain('stop it (Ctrl-C in its terminal) or choose another --out');
    const second = await runCliToEnd(['watch', manifestFile, '--vrm', vrmFile, '--out', out, '--json']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toContain(lockLine);

    // One edited entry: one render, no browser start, no avatar load; the other images are left as they were.
    const images = path.join(out, 'img', '10_anata person');
    const before = await hashTree(images);
    const edited = structuredClone(manifest);
    edited.dataCollection[1]!.cameraPosition = 'front-left';
    await fs.writeFile(manifestFile, JSON.stringify(edited, null, 2));
    const second2 = await watch.next('cycle-end');
    expect(cycleEnd(second2)).toMatchObject({ renders: 1, browserStarts: 0, avatarLoads: 0 });
    const events = pipelineEvents(second2);
    expect(
      events
        .filter((e) => e.type === 'item' && e.stage === 'render' && e.status === 'done')
        .map((e) => e.number),
    ).toEqual([2]);
    expect(
      events.filter((e) => e.type === 'item' && e.stage === 'render' && e.status === 'cached'),
    ).toHaveLength(3);
    expect(events.some((e) => e.type === 'browser-start' || e.type === 'avatar-load')).toBe(false);
    const after = await hashTree(images);
    expect([...after].filter(([f, h]) => before.get(f) !== h).map(([f]) => f)).toEqual([
      '0002-a-mannequin-with-arms-crossed.png',
    ]);

    // An animation file the manifest uses changes: its entry is baked and rendered again, nothing else.
    await fs.writeFile(path.join(dir, 'clip.fbx'), clipFbx('LeftArm', 40));
    const third = await watch.next('cycle-end');
    expect(cycleEnd(third)).toMatchObject({ renders: 1, browserStarts: 0, avatarLoads: 0 });
    expect(
      pipelineEvents(third)
        .filter((e) => e.type === 'item' && e.status === 'done')
        .map((e) => `${e.stage} ${e.number}`)
        .sort(),
    ).toEqual(['bake 3', 'post 3', 'render 3']);

    // The avatar changes: the one case that loads an avatar again (in the same browser).
    await fs.writeFile(vrmFile, await createMannequinVrm({ specVersion: '0.x' }));
    const fourth = await watch.next('cycle-end');
    expect(cycleEnd(fourth)).toMatchObject({ renders: 4, browserStarts: 0, avatarLoads: 1 });

    // Ctrl-C: the browser closes, no process of the watcher stays, no partial file, the lock is gone.
    const processes = descendants(watch.child.pid!);
    expect(processes.length).toBeGreaterThan(0);
    watch.child.kill('SIGINT');
    const ended = await watch.done;
    expect(ended.exitCode).toBe(0);
    expect(ended.events.at(-1)).toEqual({ type: 'stopped' });
    for (const pid of processes) expect(await alive(pid), `process ${pid}`).toBe(false);
    expect(await findTempFiles(out)).toEqual([]);
    await expect(fs.access(path.join(out, '.vrm-lora.lock'))).rejects.toThrow();

    // What `run` writes from scratch for the same inputs, byte for byte.
    const watched = await datasetDigest(out);
    await fs.rm(out, { recursive: true });
    const fresh = await runCliToEnd(['run', manifestFile, '--vrm', vrmFile, '--out', out]);
    expect(fresh.exitCode, fresh.stderr).toBe(0);
    expect(await datasetDigest(out)).toEqual(watched);
    expect(Object.keys(watched).length).toBeGreaterThanOrEqual(10);
  }, 400_000);

  it('SIGTERM in the middle of a cycle closes the browser and leaves no partial file; the next run resumes', async () => {
    await fs.rm(out, { recursive: true, force: true });
    // Thirty-six shots, so the cycle is still rendering when the signal lands even when this process reads
    // the watcher's events late (a loaded machine).
    const views = Array.from({ length: 18 }, (_, k) => [
      Number(Math.sin((k * Math.PI) / 9).toFixed(3)),
      0,
      Number(Math.cos((k * Math.PI) / 9).toFixed(3)),
    ]);
    const long = {
      ...manifest,
      dataCollection: views.flatMap((cameraPosition) =>
        manifest.dataCollection
          .filter((e) => e.animationPath?.startsWith('builtin:'))
          .slice(0, 2)
          .map((e) => ({
            ...e,
            cameraPosition,
            description: `${e.description} ${cameraPosition.join(' ')}`,
          })),
      ),
    };
    await fs.writeFile(manifestFile, JSON.stringify(long, null, 2));
    // Stopped the moment the first image is rendered (from the event handler, synchronously), while the
    // others are still to come; the watcher's processes are listed just before.
    let processes: number[] = [];
    const watch = startCli(['watch', manifestFile, '--vrm', vrmFile, '--out', out, '--json'], {
      onEvent: (event, run) => {
        const inner = event.event as CliEvent | undefined;
        if (processes.length > 0 || inner?.type !== 'item' || inner.stage !== 'render') return;
        processes = descendants(run.child.pid!);
        run.child.kill('SIGTERM');
      },
    });
    started.push(watch);
    const ended = await watch.done;
    expect(ended.exitCode).toBe(0);
    expect(ended.events.some((e) => e.type === 'cycle-end')).toBe(false);
    for (const pid of processes) expect(await alive(pid), `process ${pid}`).toBe(false);
    expect(await findTempFiles(out)).toEqual([]);
    await expect(fs.access(path.join(out, '.vrm-lora.lock'))).rejects.toThrow();
    const resumed = await runCliToEnd(['run', manifestFile, '--vrm', vrmFile, '--out', out, '--json']);
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const renders = resumed.events.filter((e) => e.type === 'item' && e.stage === 'render');
    expect(renders.filter((e) => e.status === 'cached').length).toBeGreaterThanOrEqual(1);
  }, 400_000);
});
