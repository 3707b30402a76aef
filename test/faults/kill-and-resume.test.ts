import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CACHE_DIR_NAME,
  type CliEvent,
  type CliOutcome,
  childProcesses,
  clipFbx,
  faultManifest,
  findTempFiles,
  hashTree,
  looksLikeCrash,
  outputDigest,
  runCliToEnd,
  startCli,
} from './support/fault-kit.js';

// The fault suite's process faults: the CLI SIGKILLed at each stage of a run and re-run, the browser killed
// under a running CLI, and damaged cache items. After each fault the output must be byte-identical to a clean
// run's and hold no half-written file. Figures are printed at the end.

let dir: string;
let manifestFile: string;
let vrmFile: string;
let reference: Map<string, string>;
const figures = { injected: 0, recovered: 0, bytesLost: 0, orphanBrowsers: 0, notes: [] as string[] };

// Every run writes to the same folder (`dataset.toml` holds its absolute path); each test moves its result away.
const out = () => path.join(dir, 'out');
const runArgs = () => ['run', manifestFile, '--vrm', vrmFile, '--out', out(), '--json'];
let finished = 0;
beforeEach(async () => {
  await fs.rename(out(), path.join(dir, `done-${finished++}`)).catch(() => {});
});

/** Every PNG under `dir` decodes fully (sharp reads every pixel) and has the manifest's size. */
async function expectEveryPngDecodes(outDir: string): Promise<number> {
  const files = [...(await hashTree(outDir)).keys()].filter((f) => f.endsWith('.png'));
  for (const file of files) {
    const { info } = await sharp(path.join(outDir, file)).raw().toBuffer({ resolveWithObject: true });
    if (!file.endsWith('contact-sheet.png'))
      expect([file, info.width, info.height]).toEqual([file, 128, 128]);
  }
  // The count is of the dataset's PNGs (the cache's renders and images were decoded too).
  return files.filter((f) => !f.startsWith(`${CACHE_DIR_NAME}/`)).length;
}

/** Compares an output folder with the clean run's, counting the bytes of every missing or different file. */
async function expectSameAsReference(outDir: string): Promise<void> {
  const got = await outputDigest(outDir);
  let lost = 0;
  for (const [file, hash] of reference) {
    if (got.get(file) !== hash) {
      const stat = await fs.stat(path.join(dir, 'ref', file)).catch(() => null);
      lost += stat?.size ?? 1;
    }
  }
  figures.bytesLost += lost;
  // last-run.json first, parsed, so a difference shows as a readable diff.
  const lastRun = (m: Map<string, string>) => JSON.parse(m.get('.vrm-lora/last-run.json') ?? 'null');
  expect(lastRun(got)).toEqual(lastRun(reference));
  expect(Object.fromEntries(got)).toEqual(Object.fromEntries(reference));
  expect(lost).toBe(0);
}

/** Items in the cache whose file set on disk matches their `item.json` (and no leftover temp item). */
async function expectCacheWhole(outDir: string): Promise<void> {
  const cache = path.join(outDir, CACHE_DIR_NAME);
  const tree = await hashTree(cache);
  const items = [...tree.keys()].filter((f) => f.endsWith('/item.json'));
  expect(items.length).toBeGreaterThan(0);
  for (const itemFile of items) {
    const item = JSON.parse(await fs.readFile(path.join(cache, itemFile), 'utf8')) as {
      files: Record<string, { sha256: string; bytes: number }>;
    };
    for (const [name, rec] of Object.entries(item.files)) {
      expect(tree.get(`${path.posix.dirname(itemFile)}/${name}`)).toBe(rec.sha256);
    }
  }
}

/** Waits until none of `pids` is alive (or the timeout), returning the survivors. */
async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const end = Date.now() + timeoutMs;
  let left = pids.filter(alive);
  while (left.length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    left = left.filter(alive);
  }
  return left;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-faults-kill-'));
  manifestFile = path.join(dir, 'manifest.json');
  vrmFile = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(vrmFile, await createMannequinVrm({ specVersion: '1.0' }));
  await fs.writeFile(path.join(dir, 'left.fbx'), clipFbx('LeftArm', 90, 3000));
  await fs.writeFile(path.join(dir, 'right.fbx'), clipFbx('RightArm', 70, 3000));
  await fs.writeFile(manifestFile, JSON.stringify(faultManifest(), null, 2));
  const clean = await runCliToEnd(runArgs());
  expect(clean.stderr).toBe('');
  expect(clean.exitCode).toBe(0);
  reference = await outputDigest(out());
  await fs.rename(out(), path.join(dir, 'ref'));
  expect([...reference.keys()].filter((f) => f.endsWith('.png'))).toHaveLength(9); // 8 images + contact sheet
});

afterAll(async () => {
  const line =
    `fault suite (kill/corrupt): ${figures.injected} faults injected, ${figures.recovered} recovered, ` +
    `bytes lost: ${figures.bytesLost}, orphaned browsers after SIGKILL: ${figures.orphanBrowsers}` +
    (figures.notes.length > 0 ? `\n  ${figures.notes.join('\n  ')}` : '');
  process.stdout.write(`\n${line}\n`);
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Where to SIGKILL the CLI: the first event matching. */
const killPoints: { name: string; when: (e: CliEvent) => boolean }[] = [
  { name: 'bake', when: (e) => e.type === 'item' && e.stage === 'bake' },
  { name: 'render', when: (e) => e.type === 'item' && e.stage === 'render' },
  { name: 'post', when: (e) => e.type === 'item' && e.stage === 'post' && e.number === 3 },
  { name: 'dataset writing', when: (e) => e.type === 'stage-end' && e.stage === 'post' },
];

describe('SIGKILL of the CLI, then a re-run', () => {
  for (const point of killPoints) {
    it(`killed during ${point.name}: the re-run's output is byte-identical to a clean run's, with no partial file`, async () => {
      let killedAfter: CliEvent | null = null;
      let browsers: number[] = [];
      let scanning: Promise<void> | undefined;
      let killed: CliOutcome | undefined;
      // Dataset writing lasts ~0.1–0.2 s: under a loaded suite the signal can land after it finished. Such a
      // run proves nothing, so it is moved aside and the kill tried again (at most 3 times).
      for (let attempt = 0; attempt < 3; attempt++) {
        if (attempt > 0) await fs.rename(out(), path.join(dir, `late-kill-${finished}-${attempt}`));
        killedAfter = null;
        browsers = [];
        scanning = undefined;
        const run = startCli(runArgs(), {
          onEvent: (event, r) => {
            // Note the browser (a child of the CLI) once it renders: SIGKILL gives the CLI no chance to close it.
            const noteBrowsers = () =>
              (scanning ??= childProcesses(r.child.pid!).then((children) => {
                browsers = children.map((c) => c.pid);
              }));
            if (event.type === 'item' && event.stage === 'render') void noteBrowsers();
            if (killedAfter || !point.when(event)) return;
            killedAfter = event;
            // Kill at once (bake items take milliseconds; so does the start of dataset writing); during render
            // and post, only once the browser is noted: a scan still reading /proc when the CLI dies would see
            // Chromium already handed to init (it happened once under a loaded suite).
            if (point.name === 'render' || point.name === 'post')
              void noteBrowsers().then(() => r.child.kill('SIGKILL'));
            else r.child.kill('SIGKILL');
          },
        });
        killed = await run.done;
        await scanning;
        const tooLate = point.name === 'dataset writing' && killed.events.some((e) => e.type === 'dataset');
        if (!tooLate) break;
        figures.notes.push(
          `dataset writing: attempt ${attempt + 1} killed too late (the dataset was written)`,
        );
      }
      if (!killed) throw new Error('no run');
      expect(killedAfter).not.toBeNull();
      expect(killed.signal).toBe('SIGKILL');
      expect(killed.events.some((e) => e.type === 'run-end')).toBe(false);
      figures.injected++;
      const stageEnded = (stage: string) =>
        killed.events.some((e) => e.type === 'stage-end' && e.stage === stage);
      // It died inside the stage it was aimed at.
      if (point.name === 'bake') expect(stageEnded('bake')).toBe(false);
      if (point.name === 'render' || point.name === 'post') expect(stageEnded('render')).toBe(false);
      if (point.name === 'dataset writing')
        expect(killed.events.some((e) => e.type === 'dataset')).toBe(false);
      const last = killed.events.at(-1)!;
      figures.notes.push(
        `killed during ${point.name}: ${killed.events.length} events before death, last ${last.type}` +
          `${last.stage ? ` ${last.stage}` : ''}${last.number ? ` #${last.number}` : ''}`,
      );
      // A SIGKILLed CLI cannot close its browser: Chromium must notice its pipe closing and exit by itself.
      // While rendering the CLI has its browser: the orphan check below has something to check.
      if (point.name === 'render' || point.name === 'post') expect(browsers.length).toBeGreaterThan(0);
      const survivors = await waitForExit(browsers, 10_000);
      figures.orphanBrowsers += survivors.length;
      for (const pid of survivors) process.kill(pid, 'SIGKILL');
      expect(survivors).toEqual([]);

      const resumed = await runCliToEnd(runArgs());
      expect(resumed.stderr).toBe('');
      expect(resumed.exitCode).toBe(0);
      // The re-run resumed: what the killed run finished was served from the cache.
      const cachedBakes = resumed.events.filter(
        (e) => e.type === 'item' && e.stage === 'bake' && e.status === 'cached',
      );
      expect(cachedBakes.length).toBeGreaterThan(0);
      await expectSameAsReference(out());
      expect(await findTempFiles(out())).toEqual([]);
      expect(await expectEveryPngDecodes(out())).toBe(9);
      await expectCacheWhole(out());
      figures.recovered++;
    });
  }
});

describe('Ctrl-C (SIGINT) during render', () => {
  it('stops within 1.5 s even under test load (the issue asks 1 s) with exit 130, leaves no partial file, and the re-run resumes byte-identical', async () => {
    let sentAt = 0;
    const run = startCli(runArgs(), {
      onEvent: (event, r) => {
        if (sentAt || event.type !== 'item' || event.stage !== 'render') return;
        sentAt = performance.now();
        r.child.kill('SIGINT');
      },
    });
    const stopped = await run.done;
    const stopMs = performance.now() - sentAt;
    figures.injected++;
    figures.notes.push(`SIGINT during render: stopped in ${stopMs.toFixed(0)} ms`);
    expect(stopped.exitCode).toBe(130);
    expect(stopped.stderr).toContain('vrm-lora: interrupted; nothing partial was written');
    expect(looksLikeCrash(stopped.stderr)).toBe(false);
    expect(stopMs).toBeLessThan(1500);
    expect(await findTempFiles(out())).toEqual([]);
    const resumed = await runCliToEnd(runArgs());
    expect(resumed.exitCode).toBe(0);
    const cachedRenders = resumed.events.filter(
      (e) => e.type === 'item' && e.stage === 'render' && e.status === 'cached',
    );
    expect(cachedRenders.length).toBeGreaterThan(0);
    await expectSameAsReference(out());
    expect(await findTempFiles(out())).toEqual([]);
    figures.recovered++;
  });
});

describe('SIGKILL while the dataset is being written', () => {
  it('killed at 8 moments of writing a dataset from the cache: the re-run completes it byte-identical, with no partial file', async () => {
    await fs.cp(path.join(dir, 'ref'), out(), { recursive: true });
    const delaysMs = [0, 5, 10, 20, 40, 80, 160, 320];
    const landed: string[] = [];
    for (const delayMs of delaysMs) {
      // Remove the dataset (not the cache) so the run has every file to write again.
      for (const file of reference.keys())
        if (!file.startsWith('report.json') && !file.startsWith('.vrm-lora'))
          await fs.rm(path.join(out(), file), { force: true });
      let timer: NodeJS.Timeout | undefined;
      const run = startCli(runArgs(), {
        onEvent: (event, r) => {
          if (event.type === 'stage-end' && event.stage === 'post')
            timer = setTimeout(() => r.child.kill('SIGKILL'), delayMs);
        },
      });
      const killed = await run.done;
      clearTimeout(timer);
      figures.injected++;
      landed.push(
        killed.signal === 'SIGKILL'
          ? `${delayMs} ms: ${killed.events.some((e) => e.type === 'dataset') ? 'after' : 'during'} writing`
          : `${delayMs} ms: finished first`,
      );
    }
    const leftBehind = await findTempFiles(out());
    figures.notes.push(
      `dataset-writing kills: ${landed.join(', ')}; temp files left behind before the re-run: ${leftBehind.length}`,
    );
    expect(landed.filter((l) => l.endsWith('during writing')).length).toBeGreaterThanOrEqual(3);
    const resumed = await runCliToEnd(runArgs());
    expect(resumed.exitCode).toBe(0);
    expect(resumed.events.some((e) => e.type === 'browser-start')).toBe(false);
    await expectSameAsReference(out());
    expect(await findTempFiles(out())).toEqual([]);
    expect(await expectEveryPngDecodes(out())).toBe(9);
    figures.recovered += delaysMs.length;
  });
});

describe('two runs at once on one cache', () => {
  it('two CLIs sharing a fresh --cache-dir both finish with every image byte-identical to a clean run’s, and the cache whole', async () => {
    const cacheDir = path.join(dir, 'shared-cache');
    const outs = [path.join(dir, 'twin-a'), path.join(dir, 'twin-b')];
    const both = await Promise.all(
      outs.map((o) =>
        runCliToEnd(['run', manifestFile, '--vrm', vrmFile, '--out', o, '--cache-dir', cacheDir, '--json']),
      ),
    );
    figures.injected++;
    const images = (m: Map<string, string>) =>
      Object.fromEntries([...m].filter(([f]) => f.startsWith('img/') || f === 'contact-sheet.png'));
    for (const [i, r] of both.entries()) {
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(images(await hashTree(outs[i]!))).toEqual(images(reference));
      expect(await findTempFiles(outs[i]!)).toEqual([]);
    }
    // The cache is shared: every item in it is whole, and no half-built item is left.
    const cacheTree = await hashTree(cacheDir);
    expect([...cacheTree.keys()].filter((f) => f.startsWith('.tmp/'))).toEqual([]);
    for (const itemFile of [...cacheTree.keys()].filter((f) => f.endsWith('/item.json'))) {
      const item = JSON.parse(await fs.readFile(path.join(cacheDir, itemFile), 'utf8')) as {
        files: Record<string, { sha256: string }>;
      };
      for (const [name, rec] of Object.entries(item.files))
        expect(cacheTree.get(`${path.posix.dirname(itemFile)}/${name}`)).toBe(rec.sha256);
    }
    figures.recovered++;
  });
});

describe('the browser killed under a running CLI', () => {
  it('Chromium SIGKILLed after the first render: it is replaced, the shot retried, and every image written', async () => {
    let killed: { pid: number; cmdline: string } | null = null;
    let killing: Promise<void> | null = null;
    const run = startCli(runArgs(), {
      onEvent: (event, r) => {
        if (killing || event.type !== 'item' || event.stage !== 'render') return;
        killing = (async () => {
          const children = await childProcesses(r.child.pid!);
          killed = children.find((c) => /chrom/i.test(c.cmdline)) ?? null;
          if (killed) process.kill(killed.pid, 'SIGKILL');
        })();
      },
    });
    const outcome = await run.done;
    await killing;
    expect(killed, 'no Chromium child of the CLI was found').not.toBeNull();
    figures.injected++;
    expect(outcome.exitCode).toBe(0);
    const renders = outcome.events.filter((e) => e.type === 'item' && e.stage === 'render');
    expect(renders.map((e) => e.status)).toEqual(Array(8).fill('done'));
    await expectSameAsReference(out());
    expect(await expectEveryPngDecodes(out())).toBe(9);
    figures.recovered++;
  });
});

describe('damaged cache items', () => {
  it('a truncated cached render and image, a flipped byte in a cached pose, a cut-short item.json and a truncated dataset image are detected, recomputed and reported', async () => {
    await fs.cp(path.join(dir, 'ref'), out(), { recursive: true });
    // Bring the copy up to date first (a no-op unless the build changed since the clean run).
    const refresh = await runCliToEnd(runArgs());
    expect(refresh.exitCode).toBe(0);
    const cache = path.join(out(), CACHE_DIR_NAME);
    // The items this run uses (the report names each entry's key per stage), in different entries.
    const used = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8')) as {
      entries: { stages: Record<string, { key: string }> }[];
    };
    const itemFile = (entry: number, stage: string, name: string) => {
      const key = used.entries[entry]!.stages[stage]!.key;
      return path.join(cache, stage, key.slice(0, 2), key, name);
    };
    const render = itemFile(1, 'render', 'render.png');
    const image = itemFile(2, 'post', 'image.png');
    const pose = itemFile(5, 'bake', 'pose.json');
    const captionItem = itemFile(6, 'caption', 'item.json');
    const renderBytes = await fs.readFile(render);
    await fs.writeFile(render, renderBytes.subarray(0, renderBytes.length >> 1));
    await fs.truncate(image, 100);
    const poseBytes = await fs.readFile(pose);
    const at = poseBytes.indexOf('0.', poseBytes.length >> 1) + 2;
    poseBytes[at] = poseBytes[at] === 0x37 ? 0x38 : 0x37; // a digit changed: still valid JSON, wrong bytes
    await fs.writeFile(pose, poseBytes);
    await fs.writeFile(captionItem, (await fs.readFile(captionItem, 'utf8')).slice(0, 40)); // item.json cut short
    const datasetImage = [...reference.keys()].find((f) => /^img\/.*0007-.*\.png$/.test(f))!;
    await fs.truncate(path.join(out(), datasetImage), 1000);
    figures.injected += 5;

    const rerun = await runCliToEnd(runArgs());
    expect(rerun.stderr).toBe('');
    expect(rerun.exitCode).toBe(0);
    const corrupt = rerun.events
      .filter((e) => e.type === 'item' && e.missReason === 'corrupt')
      .map((e) => `${e.stage} ${e.status}`)
      .sort();
    expect(corrupt).toEqual(['bake done', 'caption done', 'post done', 'render done']);
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.summary.stages.bake.repaired).toBe(1);
    expect(report.summary.stages.render.repaired).toBe(1);
    expect(report.summary.stages.post.repaired).toBe(1);
    expect(report.summary.stages.caption.repaired).toBe(1);
    const runEnd = rerun.events.find((e) => e.type === 'run-end') as {
      summary: { counts: Record<string, { repaired: number }> };
    };
    expect(runEnd.summary.counts.render?.repaired).toBe(1);
    await expectSameAsReference(out());
    expect(await expectEveryPngDecodes(out())).toBe(9);
    await expectCacheWhole(out());
    figures.recovered += 5;
  });
});

describe('a damaged dataset index', () => {
  it('is refused with a plain message naming it (exit 1, no internal error); deleted as advised, the next run finishes byte-identical', async () => {
    await fs.cp(path.join(dir, 'ref'), out(), { recursive: true });
    const indexFile = path.join(out(), '.vrm-lora-index.json');
    await fs.truncate(indexFile, 30);
    figures.injected++;
    const refused = await runCliToEnd(runArgs());
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toBe(
      `vrm-lora: ${indexFile} is not a vrm-lora dataset index (format vrm-lora/dataset-index v1). ` +
        'Delete it to start over: files already holding what this run writes are taken over, any others are left alone as if they were yours.\n',
    );
    await fs.rm(indexFile);
    const resumed = await runCliToEnd(runArgs());
    expect(resumed.stderr).toBe('');
    expect(resumed.exitCode).toBe(0);
    await expectSameAsReference(out());
    figures.recovered++;
  });
});

describe('temp files of a writer killed mid-write', () => {
  it('are removed by the next run when their process is gone; a running writer’s are kept', async () => {
    await fs.cp(path.join(dir, 'ref'), out(), { recursive: true });
    // A PID that no longer runs: what a SIGKILLed CLI leaves in its temp names.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('close', resolve));
    const dead = gone.pid!;
    const image = [...reference.keys()].find((f) => /^img\/.*0003-.*\.png$/.test(f))!;
    const imageBytes = await fs.readFile(path.join(out(), image));
    const planted = {
      datasetImage: path.join(out(), path.dirname(image), `.${path.basename(image)}.${dead}.0.tmp`),
      report: path.join(out(), `report.json.${dead}.deadbeef.tmp`),
      lastRun: path.join(out(), '.vrm-lora', `last-run.json.${dead}.0badf00d.tmp`),
      cacheItem: path.join(out(), CACHE_DIR_NAME, '.tmp', `0123456789abcdef-${dead}-deadbeef`),
    };
    await fs.writeFile(planted.datasetImage, imageBytes.subarray(0, 200));
    await fs.writeFile(planted.report, '{"format":');
    await fs.writeFile(planted.lastRun, '{');
    await fs.mkdir(planted.cacheItem, { recursive: true });
    await fs.writeFile(path.join(planted.cacheItem, 'render.png'), imageBytes.subarray(0, 300));
    // This test's own process is alive: its (pretend) item in progress must survive the run.
    const live = path.join(out(), CACHE_DIR_NAME, '.tmp', `fedcba9876543210-${process.pid}-cafebabe`);
    await fs.mkdir(live, { recursive: true });
    figures.injected += 4;

    const rerun = await runCliToEnd(runArgs());
    expect(rerun.exitCode).toBe(0);
    for (const file of Object.values(planted)) await expect(fs.access(file)).rejects.toThrow();
    await fs.access(live);
    await fs.rm(live, { recursive: true });
    expect(await findTempFiles(out())).toEqual([]);
    await expectSameAsReference(out());
    figures.recovered += 4;
  });
});
