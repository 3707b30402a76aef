// `pnpm bench`: figures, not pass/fail. Runs the built CLI on the shared example manifest (the entries whose
// clips are shared) at 1024×1024, cold and warm, measures the floor (bare draw + read-back of the same shots),
// sweeps the number of render pages, and writes bench-results/bench-<date>.json. See docs/benchmarks.md.
//
// Environment: BENCH_PARTS (default all: job,asian,compare,warm,scale,avatars,watch,classic,farm; each runs
// alone; `watch` is issue #13's save → image figure, BENCH_WATCH_EDITS edits, default 15);
// BENCH_REPEATS (default 3) runs of each measurement, medians reported; BENCH_SHOTS (default 46, the job's
// shots); BENCH_SCALE_SHOTS (default 1000); BENCH_AVATAR_SHOTS (default 13, per avatar of the 10); BENCH_PAGES (default "1,2,4", classic part); BENCH_SIZE (default
// 1024); BENCH_AVATAR (a file name in ../shared/assets/vrm, classic part); BENCH_KEEP=1 keeps the temp
// folder; VRM_LORA_SHARED_ASSETS overrides where ../shared/assets is.
// BENCH_PARTS=farm (or BENCH_FARM_ONLY=1) runs the farm's part alone (bench-farm.mjs: 1 and 2 workers on a
// redis-server on loopback).
// BENCH_PART=conditioning (alone) runs only the cost of each conditioning kind per shot
// (bench-conditioning.mjs).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_BUNDLE_PATH } from '../../packages/renderer/dist/page-bundle.js';
import { benchConditioning } from './bench-conditioning.mjs';
import { benchFarm } from './bench-farm.mjs';
import { benchAvatars, benchCompare, benchJob, benchScale, benchWarm } from './bench-parts.mjs';
import { measureFloor, measureRendererLoop, readShotsFromRun } from './measure-floor.mjs';
import { measureWatch } from './measure-watch.mjs';
import { editManifest, prepareBenchInputs, writeScaledManifest } from './prepare-bench-inputs.mjs';
import { runCli as runCliWith, stageFigures } from './run-cli.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cliMain = path.join(repoRoot, 'apps', 'cli', 'dist', 'main.js');
const repeats = Math.max(1, Number(process.env.BENCH_REPEATS ?? 3));
const pagesSweep = (process.env.BENCH_PAGES ?? '1,2,4').split(',').map(Number);
const size = Number(process.env.BENCH_SIZE ?? 1024);
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-bench-'));
const say = (line) => process.stdout.write(`${line}\n`);
const runCli = (options) => runCliWith({ cliMain, ...options });

const median = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const round = (n, digits = 0) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));
const seconds = (ms) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);
const megabytes = (bytes) => (bytes === null ? '—' : `${Math.round(bytes / 2 ** 20)} MB`);

/** Sums the renderer's own per-shot timings (render meta) over a run's fresh renders. */
function rendererTimings(run) {
  const reportFile = path.join(run.outDir, 'report.json');
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const totals = {};
  const perShot = [];
  let shots = 0;
  for (const entry of report.entries) {
    const key = entry.stages.render?.key;
    if (!key || entry.stages.render.status !== 'done') continue;
    const meta = JSON.parse(
      fs.readFileSync(path.join(run.cacheDir, 'render', key.slice(0, 2), key, 'meta.json'), 'utf8'),
    );
    shots++;
    for (const [name, ms] of Object.entries(meta.timings ?? {})) totals[name] = (totals[name] ?? 0) + ms;
    perShot.push({
      number: entry.number,
      readPixelsMs: round(meta.timings?.readPixelsMs ?? 0),
      pageTotalMs: round(meta.timings?.pageTotalMs ?? 0),
      transferMs: round(meta.timings?.transferMs ?? 0),
      totalMs: round(meta.timings?.totalMs ?? 0),
    });
  }
  return {
    shots,
    totalsMs: Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, round(v)])),
    perShot,
  };
}

function machineFacts() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

async function classic() {
  const benchStarted = performance.now();
  const startedAt = new Date();
  say(`vrm-lora bench — ${startedAt.toISOString()} — work folder ${workDir}`);
  const inputs = await prepareBenchInputs({ repoRoot, workDir, size });
  if (process.env.BENCH_PART === 'conditioning') {
    const figures = benchConditioning({ cliMain, inputs, workDir, repeats, say });
    const outFile = path.join(
      repoRoot,
      'bench-results',
      `bench-conditioning-${startedAt.toISOString().slice(0, 10)}.json`,
    );
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(
      outFile,
      `${JSON.stringify({ startedAt, size, inputs: inputs.description, ...figures }, null, 2)}\n`,
    );
    say(`written ${path.relative(repoRoot, outFile)}`);
    return;
  }
  say(
    `inputs: ${inputs.description}; ${size}×${size}; ${repeats} repeat(s); pages sweep ${pagesSweep.join(', ')}`,
  );
  const loadBefore = os.loadavg();

  // 1. Cold runs (empty output and cache), interleaved over the pages sweep so load drifts hit all alike;
  // 2. after each round, the floor on the shots of the first cold run (its baked poses and render metas), so
  // cold runs and floor are measured under the same load; read-back methods compared in the first round.
  const cold = Object.fromEntries(pagesSweep.map((p) => [p, []]));
  const floors = [];
  let keep = null;
  let shots = null;
  for (let r = 0; r < repeats; r++) {
    for (const pages of pagesSweep) {
      const dir = path.join(workDir, `cold-p${pages}-r${r}`);
      const loadAverage1m = round(os.loadavg()[0], 2);
      const run = await runCli({
        inputs,
        outDir: path.join(dir, 'out'),
        cacheDir: path.join(dir, 'cache'),
        pages,
      });
      const figures = stageFigures(run.events);
      // Memory from a second cold run of its own (sampling slows the run it samples).
      const memoryDir = path.join(workDir, `memory-p${pages}-r${r}`);
      const sampled = await runCli({
        inputs,
        outDir: path.join(memoryDir, 'out'),
        cacheDir: path.join(memoryDir, 'cache'),
        pages,
        sampleMemory: true,
      });
      fs.rmSync(memoryDir, { recursive: true, force: true });
      cold[pages].push({
        wallMs: round(run.wallMs),
        loadAverage1m,
        peakPssBytes: sampled.peak.pssBytes,
        peakRssBytes: sampled.peak.rssBytes,
        peakProcesses: sampled.peak.processes,
        sampledRunWallMs: round(sampled.wallMs),
        ...figures,
        renderer: rendererTimings(run),
      });
      say(
        `  cold pages=${pages} #${r + 1}: ${seconds(run.wallMs)}; memory run ${seconds(sampled.wallMs)}, peak ${megabytes(sampled.peak.pssBytes)} PSS / ${megabytes(sampled.peak.rssBytes)} RSS, ${figures.summary?.written ?? '?'} images`,
      );
      if (pages === pagesSweep[0] && !keep) keep = run;
      else if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    }
    shots ??= readShotsFromRun(path.join(keep.outDir, 'report.json'), keep.cacheDir);
    const floor = await measureFloor({
      avatarFile: inputs.avatarFile,
      shots,
      repeats: 3,
      readbackShots: r === 0 ? 3 : 0,
    });
    floors.push(floor);
    say(
      `  floor #${r + 1}: ${seconds(floor.floorMs)} for ${shots.length} shots (bare page, draw + readPixels)`,
    );
  }
  // Fixed and per-shot costs: cold runs of the manifest with every entry three times, and their floor.
  const scaledInputs = { ...inputs, ...writeScaledManifest(inputs.manifestFile) };
  const scaled = [];
  for (let r = 0; r < repeats; r++) {
    const dir = path.join(workDir, `scaled-r${r}`);
    const run = await runCli({
      inputs: scaledInputs,
      outDir: path.join(dir, 'out'),
      cacheDir: path.join(dir, 'cache'),
      pages: pagesSweep[0],
    });
    const scaledShots = readShotsFromRun(path.join(dir, 'out', 'report.json'), path.join(dir, 'cache'));
    const scaledFloor = await measureFloor({ avatarFile: inputs.avatarFile, shots: scaledShots, repeats: 1 });
    fs.rmSync(dir, { recursive: true, force: true });
    scaled.push({ wallMs: round(run.wallMs), floorMs: round(scaledFloor.floorMs) });
    say(
      `  ${scaledInputs.entries} shots #${r + 1}: cold ${seconds(run.wallMs)}, floor ${seconds(scaledFloor.floorMs)}`,
    );
  }
  const floorMsMedian = median(floors.map((f) => f.floorMs));
  const floor = {
    ...floors[0],
    floorMs: floorMsMedian,
    floorMsAll: floors.map((f) => round(f.floorMs)),
    // Each shot's median over the rounds.
    perShot: floors[0].perShot.map((s, i) => ({
      number: s.number,
      floorMs: median(floors.map((f) => f.perShot[i]?.floorMs)),
    })),
  };
  floor.fixed = Object.fromEntries(
    Object.keys(floors[0].fixed).map((k) => [k, median(floors.map((f) => f.fixed[k]))]),
  );
  // Per round: that round's first cold run over that round's floor (same load), median over rounds.
  const pairedOverhead = median(floors.map((f, r) => cold[pagesSweep[0]][r].wallMs / f.floorMs));
  say('renderer loop: createRenderer + renderShot, 1 vs 2 shots in flight on one page …');
  const loop = await measureRendererLoop({ avatarFile: inputs.avatarFile, shots });
  say(`  1 in flight ${seconds(loop.sequentialMs)}, 2 in flight ${seconds(loop.twoInFlightMs)}`);

  // 3. Warm re-runs on the first cold run's output and cache.
  const warm = { noop: [], editOne: [], backgroundOnly: [] };
  const bundleSha = () => createHash('sha256').update(fs.readFileSync(PAGE_BUNDLE_PATH)).digest('hex');
  const warmRun = async (kind, check) => {
    const before = bundleSha();
    const run = await runCli({ inputs, outDir: keep.outDir, cacheDir: keep.cacheDir, pages: pagesSweep[0] });
    const figures = stageFigures(run.events);
    const problem =
      bundleSha() !== before
        ? 'the renderer page bundle was rebuilt during this run (by other work on the tree); figure not valid'
        : check(figures);
    warm[kind].push({ wallMs: round(run.wallMs), ...figures, problem });
    say(`  ${kind}: ${seconds(run.wallMs)}${problem ? `  !!! ${problem}` : ''}`);
  };
  say('warm re-runs …');
  // Other work on this tree may rebuild the renderer's page bundle (its hash is in every render key): one
  // unmeasured run first brings the cache up to date, and each measured run checks the hash did not move.
  const prime = await runCli({ inputs, outDir: keep.outDir, cacheDir: keep.cacheDir, pages: pagesSweep[0] });
  const primed = stageFigures(prime.events);
  if (primed.stages.render.done > 0) {
    say(
      `  (the page bundle changed since the cold run: ${primed.stages.render.done} renders redone before the warm runs)`,
    );
  }
  for (let r = 0; r < repeats; r++) {
    await warmRun('noop', (f) =>
      f.browserStarted
        ? 'a browser was started on a no-op re-run'
        : f.stages.render.done + f.stages.post.done + f.stages.bake.done > 0
          ? 'a no-op re-run did work'
          : null,
    );
  }
  for (let r = 0; r < repeats; r++) {
    editManifest(inputs.manifestFile, (m) => {
      const first = m.dataCollection[0];
      const base = Array.isArray(first.cameraPosition) ? first.cameraPosition : [0, 0, 1];
      first.cameraPosition = [base[0] - 0.1, base[1], base[2]];
    });
    await warmRun('editOne', (f) =>
      f.stages.render.done !== 1 ? `expected 1 render, got ${f.stages.render.done}` : null,
    );
  }
  for (let r = 0; r < repeats; r++) {
    editManifest(inputs.manifestFile, (m) => {
      m.backgroundGrayscale = [0.25, 0.5, 0.75][r % 3];
    });
    await warmRun('backgroundOnly', (f) =>
      f.stages.render.done !== 0 || f.browserStarted
        ? `expected no render and no browser, got ${f.stages.render.done} renders`
        : null,
    );
  }

  // 4. Figures.
  const pick = (pages, fn) => median(cold[pages].map(fn));
  const byPages = Object.fromEntries(
    pagesSweep.map((p) => [
      p,
      {
        wallMsMedian: round(pick(p, (c) => c.wallMs)),
        wallMsAll: cold[p].map((c) => c.wallMs),
        wallMsMin: Math.min(...cold[p].map((c) => c.wallMs)),
        imagesPerMinute: round((60000 * inputs.entries) / pick(p, (c) => c.wallMs), 1),
        peakPssBytesMax: Math.max(...cold[p].map((c) => c.peakPssBytes ?? 0)),
        peakRssBytesMax: Math.max(...cold[p].map((c) => c.peakRssBytes ?? 0)),
      },
    ]),
  );
  const defaultPages = pagesSweep[0];
  const bestPages = Number(
    Object.entries(byPages).sort((a, b) => a[1].wallMsMedian - b[1].wallMsMedian)[0][0],
  );
  const coldDefault = cold[defaultPages];
  const stageMedians = {};
  for (const stage of ['startup', 'bake', 'caption', 'render', 'post', 'dataset']) {
    stageMedians[stage] = {
      spanMs: round(median(coldDefault.map((c) => c.stages[stage].spanMs))),
      itemMsSum: round(median(coldDefault.map((c) => c.stages[stage].itemMsSum))),
    };
  }
  const rendererMedians = {};
  for (const name of Object.keys(coldDefault[0].renderer.totalsMs)) {
    rendererMedians[name] = round(median(coldDefault.map((c) => c.renderer.totalsMs[name])));
  }
  const coldWallMs = byPages[defaultPages].wallMsMedian;
  // Draws per shot in the pipeline: the renderer's draw + read-back time of a shot over that shot's floor
  // (the page re-renders a shot while it corrects the framing from the rendered alpha).
  const floorOf = new Map(floor.perShot.map((s) => [s.number, s.floorMs]));
  const drawsPerShot = median(
    coldDefault.flatMap((c) =>
      c.renderer.perShot
        .filter((s) => floorOf.get(s.number))
        .map((s) => s.readPixelsMs / floorOf.get(s.number)),
    ),
  );
  const fixedMs = floor.fixed.launchMs + floor.fixed.pageStartMs + floor.fixed.avatarLoadMs;
  // n and 3n shots: per-shot cost = slope, once-per-run cost = intercept; the same for the floor.
  const n = inputs.entries;
  const scaledWallMs = median(scaled.map((x) => x.wallMs));
  const scaledFloorMs = median(scaled.map((x) => x.floorMs));
  const perShotMs = (scaledWallMs - coldWallMs) / (2 * n);
  const perShotFloorMs = (scaledFloorMs - floorMsMedian) / (2 * n);
  const scaling = {
    entries: [n, 3 * n],
    coldWallMs: [coldWallMs, round(scaledWallMs)],
    floorMs: [round(floorMsMedian), round(scaledFloorMs)],
    overheadRatio: [round(coldWallMs / floorMsMedian, 2), round(scaledWallMs / scaledFloorMs, 2)],
    perShotMs: round(perShotMs),
    perShotFloorMs: round(perShotFloorMs),
    perShotOverheadRatio: round(perShotMs / perShotFloorMs, 2),
    oncePerRunMs: round(coldWallMs - n * perShotMs),
    runs: scaled,
  };
  const result = {
    format: 'vrm-lora-bench',
    version: 1,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    inputs: { ...inputs, size, repeats, pagesSweep },
    machine: {
      ...machineFacts(),
      chromiumVersion: floor.chromiumVersion,
      browserPath: floor.browserPath,
      glBackend: 'swiftshader',
      glRenderer: floor.glRenderer,
      glVendor: floor.glVendor,
      three: floor.threeVersion,
      threeVrm: floor.threeVrmVersion,
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: os.loadavg().map((l) => round(l, 2)),
    },
    cold: {
      pages: defaultPages,
      wallMs: coldWallMs,
      imagesPerMinute: byPages[defaultPages].imagesPerMinute,
      stagesMedian: stageMedians,
      rendererTimingsMedianMs: rendererMedians,
      firstRenderMsMedian: round(median(coldDefault.map((c) => c.firstRenderMs))),
      peakPssBytes: byPages[defaultPages].peakPssBytesMax,
      peakRssBytes: byPages[defaultPages].peakRssBytesMax,
      runs: coldDefault,
    },
    floor: {
      ...floor,
      overheadRatio: round(coldWallMs / floor.floorMs, 2),
      overheadRatioPaired: round(pairedOverhead, 2),
      drawsPerShotEstimate: round(drawsPerShot, 2),
      fixedCostsMs: round(fixedMs),
    },
    scaling,
    rendererLoop: loop,
    warm: Object.fromEntries(
      Object.entries(warm).map(([k, runs]) => [
        k,
        { wallMsMedian: round(median(runs.map((r) => r.wallMs))), runs },
      ]),
    ),
    concurrency: { byPages, fastestPages: bestPages },
  };
  result.durationMs = round(performance.now() - benchStarted);

  const outDir = path.join(repoRoot, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(`${outFile}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  fs.renameSync(`${outFile}.tmp`, outFile);

  const target = (ok) => (ok ? 'met' : 'MISSED');
  const editMs = result.warm.editOne.wallMsMedian;
  const oneRenderPlusStart = fixedMs + (floor.fixed.firstShotMs ?? 0);
  const rows = [
    ['inputs', inputs.description],
    [
      'machine',
      `${result.machine.cores} cores (${result.machine.cpuModel}), load ${loadBefore.map((l) => l.toFixed(1)).join(' ')} → ${result.machine.loadAverageAfter.join(' ')}; 1-min load at cold runs ${Math.min(
        ...Object.values(cold)
          .flat()
          .map((c) => c.loadAverage1m),
      )}–${Math.max(
        ...Object.values(cold)
          .flat()
          .map((c) => c.loadAverage1m),
      )}`,
    ],
    ['chromium / GL', `${floor.chromiumVersion}; ${floor.glRenderer}`],
    [
      `cold run (pages=${defaultPages})`,
      `${seconds(coldWallMs)} for ${inputs.entries} images = ${result.cold.imagesPerMinute} images/min`,
    ],
    [
      '  stage spans',
      Object.entries(stageMedians)
        .map(([s, v]) => `${s} ${seconds(v.spanMs)}`)
        .join(', '),
    ],
    [
      '  renderer per-shot sums',
      Object.entries(rendererMedians)
        .map(([s, v]) => `${s} ${seconds(v)}`)
        .join(', '),
    ],
    ['  first render (browser + avatar + compile)', seconds(result.cold.firstRenderMsMedian)],
    [
      'floor (draw + readPixels)',
      `${seconds(floor.floorMs)} (rounds ${floor.floorMsAll.map((ms) => (ms / 1000).toFixed(1)).join(', ')}; median shot ${round(median(floor.perShot.map((s) => s.floorMs)))} ms)`,
    ],
    [
      'fixed costs (floor page)',
      `launch ${round(floor.fixed.launchMs)} ms, page ${round(floor.fixed.pageStartMs)} ms, avatar ${round(floor.fixed.avatarLoadMs)} ms, first shot ${round(floor.fixed.firstShotMs)} ms`,
    ],
    [
      'overhead cold / floor',
      `${result.floor.overheadRatio} (paired by round ${result.floor.overheadRatioPaired}; target ≤ 1.3: ${target(result.floor.overheadRatio <= 1.3)})`,
    ],
    [
      `${n} vs ${3 * n} shots`,
      `cold ${seconds(scaling.coldWallMs[0])} / ${seconds(scaling.coldWallMs[1])}, floor ${seconds(scaling.floorMs[0])} / ${seconds(scaling.floorMs[1])}, overhead ${scaling.overheadRatio[0]} / ${scaling.overheadRatio[1]}`,
    ],
    [
      '  per shot / once per run',
      `each shot ${scaling.perShotMs} ms vs ${scaling.perShotFloorMs} ms of floor (ratio ${scaling.perShotOverheadRatio}); once per run ${seconds(scaling.oncePerRunMs)} (browser, page, avatar, CLI start, dataset)`,
    ],
    [
      'read-back (median per shot, ms)',
      Object.entries(floor.readback)
        .map(([k, v]) => `${k} ${round(v.medianMs)}`)
        .join(', '),
    ],
    [
      'draws per shot (estimate)',
      `${round(drawsPerShot, 2)} (renderer draw+read-back time / floor, median over shots)`,
    ],
    [
      'renderer loop, 1 page',
      `start ${seconds(loop.startMs)}, prepare ${seconds(loop.prepareMs)}, first shot ${seconds(loop.firstShotMs)}; all shots: 1 in flight ${seconds(loop.sequentialMs)}, 2 in flight ${seconds(loop.twoInFlightMs)} (${loop.shots} shots)`,
    ],
    [
      'peak memory (PSS / RSS sum)',
      `${megabytes(result.cold.peakPssBytes)} / ${megabytes(result.cold.peakRssBytes)} (target ≤ 1.5 GB: ${target(result.cold.peakPssBytes <= 1.5 * 2 ** 30)})`,
    ],
    [
      'no-op re-run',
      `${seconds(result.warm.noop.wallMsMedian)}, browser started: ${warm.noop.some((r) => r.browserStarted)} (target ≤ 1 s, no browser: ${target(result.warm.noop.wallMsMedian <= 1000 && !warm.noop.some((r) => r.browserStarted))})`,
    ],
    ['one edited entry', `${seconds(editMs)} (one render + browser start ≈ ${seconds(oneRenderPlusStart)})`],
    ['background only', `${seconds(result.warm.backgroundOnly.wallMsMedian)}`],
    ...pagesSweep.map((p) => [
      `pages=${p}`,
      `${seconds(byPages[p].wallMsMedian)} (${byPages[p].wallMsAll.map((ms) => (ms / 1000).toFixed(1)).join(', ')}), ${byPages[p].imagesPerMinute} images/min, peak ${megabytes(byPages[p].peakPssBytesMax)} PSS`,
    ]),
    ['fastest pages', String(bestPages)],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  say('');
  for (const [name, value] of rows) say(`${name.padEnd(width)}  ${value}`);
  const problems = Object.values(warm)
    .flat()
    .filter((r) => r.problem);
  for (const p of problems) say(`!!! ${p.problem}`);
  if (inputs.source !== 'shared')
    say('!!! FALLBACK inputs (mannequin + built-in poses): see the banner above');
  say('');
  say(`written ${path.relative(repoRoot, outFile)} (bench took ${seconds(result.durationMs)})`);
}

const ALL_PARTS = ['job', 'asian', 'compare', 'warm', 'scale', 'avatars', 'watch', 'classic', 'farm'];
// BENCH_PART=conditioning alone runs inside the classic part (it returns before the classic figures).
const defaultParts =
  process.env.BENCH_PART === 'conditioning'
    ? 'classic'
    : process.env.BENCH_FARM_ONLY === '1'
      ? 'farm'
      : ALL_PARTS.join(',');
const parts = (process.env.BENCH_PARTS ?? defaultParts).split(',').map((p) => p.trim());
for (const part of parts) {
  if (!ALL_PARTS.includes(part))
    throw new Error(`unknown BENCH_PARTS part "${part}": use ${ALL_PARTS.join(', ')}`);
}

/** Issue #12's parts: the 46-shot job and its floor, pixels vs full frame, warm re-runs, scale. */
async function jobParts() {
  const startedAt = new Date();
  const benchStarted = performance.now();
  say(`vrm-lora bench (${parts.join(', ')}) — ${startedAt.toISOString()} — work folder ${workDir}`);
  const base = await prepareBenchInputs({ repoRoot, workDir: path.join(workDir, 'base'), size });
  if (base.source !== 'shared') throw new Error('the job parts need ../shared (the example and its clips)');
  const vrmDir = path.dirname(base.avatarFile);
  const shots = Number(process.env.BENCH_SHOTS ?? 46);
  const results = { machine: machineFacts(), loadAverageBefore: os.loadavg().map((l) => round(l, 2)) };
  const rows = [];
  const add = (name, part) => {
    results[name] = part.result;
    rows.push(...part.rows);
    for (const [k, v] of part.rows) say(`  ${k}: ${v}`);
  };
  let job = null;
  const needJob = parts.some((p) => ['job', 'compare', 'warm'].includes(p));
  if (needJob) {
    say(`${shots}-shot job on cryptovoxels.vrm …`);
    job = await benchJob({
      cliMain,
      workDir,
      base,
      avatarFile: path.join(vrmDir, 'cryptovoxels.vrm'),
      shots,
      repeats,
      label: 'cryptovoxels',
    });
    add('job', job);
  }
  if (parts.includes('asian')) {
    say(`${shots}-shot job on Asian_F_1_Casual.vrm …`);
    add(
      'asian',
      await benchJob({
        cliMain,
        workDir,
        base,
        avatarFile: path.join(vrmDir, 'Asian_F_1_Casual.vrm'),
        shots,
        repeats,
        label: 'asian',
      }),
    );
  }
  if (parts.includes('compare')) {
    say('subject-box renders vs full-frame renders …');
    add(
      'compare',
      await benchCompare({ keep: job.keep, shots: job.shots, avatarFile: job.keep.inputs.avatarFile }),
    );
  }
  if (parts.includes('warm')) {
    say('warm re-runs …');
    add('warm', await benchWarm({ cliMain, keep: job.keep, repeats }));
  }
  if (parts.includes('scale')) {
    const bigShots = Number(process.env.BENCH_SCALE_SHOTS ?? 1000);
    say(`scale: ${shots} vs ${bigShots} shots …`);
    add(
      'scale',
      await benchScale({
        cliMain,
        workDir,
        base,
        avatarFile: path.join(vrmDir, 'cryptovoxels.vrm'),
        smallShots: shots,
        bigShots,
      }),
    );
  }
  if (parts.includes('avatars')) {
    say('10 avatars in one run …');
    const avatarShots = Number(process.env.BENCH_AVATAR_SHOTS ?? 13);
    add('avatars', await benchAvatars({ cliMain, workDir, base, vrmDir, shots: avatarShots, repeats }));
  }
  if (parts.includes('watch')) {
    const edits = Math.max(1, Number(process.env.BENCH_WATCH_EDITS ?? 15));
    say(`vrm-lora watch: ${edits} single-entry edits on ${path.basename(base.avatarFile)} …`);
    add('watch', await benchWatch({ base, edits }));
  }
  results.loadAverageAfter = os.loadavg().map((l) => round(l, 2));
  results.durationMs = round(performance.now() - benchStarted);
  const outDir = path.join(repoRoot, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `bench-job-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(`${outFile}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(`${outFile}.tmp`, outFile);
  const width = Math.max(...rows.map((r) => r[0].length));
  say('');
  say(
    `machine: ${results.machine.cores} cores (${results.machine.cpuModel}); load ${results.loadAverageBefore.join(' ')} → ${results.loadAverageAfter.join(' ')}`,
  );
  for (const [name, value] of rows) say(`${name.padEnd(width)}  ${value}`);
  say(`written ${path.relative(repoRoot, outFile)} (took ${seconds(results.durationMs)})`);
}

/**
 * `vrm-lora watch`'s figure (issue #13): each single-entry edit's save → image-on-disk time, each checked to
 * have cost one render, no browser start and no avatar load.
 */
async function benchWatch({ base, edits }) {
  const { firstCycle, runs } = await measureWatch({ cliMain, inputs: base, workDir, edits });
  const good = runs.filter((r) => !r.problem);
  const ms = good.map((r) => r.imageMs);
  const result = {
    edits,
    good: good.length,
    firstCycle,
    imageMs: { median: median(ms), min: Math.min(...ms), max: Math.max(...ms) },
    runs,
  };
  const problems = runs.filter((r) => r.problem).map((r) => `entry ${r.entry}: ${r.problem}`);
  return {
    result,
    rows: [
      [
        'watch: save → image on disk',
        `median ${result.imageMs.median} ms (min ${result.imageMs.min}, max ${result.imageMs.max}) over ${good.length}/${edits} edits, each 1 render, 0 browser starts, 0 avatar loads (target ≤ 500 ms)`,
      ],
      ['watch: first (cold) cycle', `${seconds(firstCycle.wallMs)}, ${firstCycle.renders} renders`],
      ...(problems.length ? [['watch: edits that missed', problems.join('; ')]] : []),
    ],
  };
}

/** The farm's figures, written beside the other parts'. */
async function farmPart() {
  const figures = await benchFarm({ repoRoot, workDir, say });
  const outFile = path.join(
    repoRoot,
    'bench-results',
    `bench-farm-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify({ machine: machineFacts(), ...figures }, null, 2)}\n`);
  say(`written ${path.relative(repoRoot, outFile)}`);
}

try {
  if (parts.some((p) => p !== 'classic' && p !== 'farm')) await jobParts();
  if (parts.includes('classic')) await classic();
  if (parts.includes('farm')) await farmPart();
} finally {
  if (!process.env.BENCH_KEEP) fs.rmSync(workDir, { recursive: true, force: true });
}
