// The parts of `pnpm bench` around issue #12's job (see docs/benchmarks.md): a 46-shot cold run against its
// full-frame floor, the pixels of subject-box renders against full-frame ones, warm re-runs, scale to 1,000
// shots and to 10 avatars. Each part returns figures and table rows; run-bench.mjs picks them by BENCH_PARTS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import sharp from 'sharp';
import { createRenderer } from '../../packages/renderer/dist/index.js';
import { writeJobManifest } from './job-manifests.mjs';
import { measureFloor, readShotsFromRun, shotRequest } from './measure-floor.mjs';
import { editManifest } from './prepare-bench-inputs.mjs';
import { runCli, stageFigures } from './run-cli.mjs';

const median = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const round = (n, digits = 0) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));
const seconds = (ms) => (ms === null || ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const megabytes = (bytes) => (bytes ? `${Math.round(bytes / 2 ** 20)} MB` : '—');
const load1m = () => round(os.loadavg()[0], 2);

/** The render stage of `avatar` (or the only one): span from its events, shots rendered, ms per shot. */
function renderSpan(events, avatar = null) {
  const of = (e) => e.stage === 'render' && (avatar === null || e.avatar === avatar);
  const start = events.find((e) => e.type === 'stage-start' && of(e));
  const end = events.find((e) => e.type === 'stage-end' && of(e));
  const done = events.filter((e) => e.type === 'item' && of(e) && e.status === 'done').length;
  const spanMs = start && end ? end.at - start.at : null;
  return { spanMs: round(spanMs), done, perShotMs: spanMs && done ? round(spanMs / done, 1) : null };
}

/** The GL renderer string a run's report.json names (null when the run started no browser). */
function reportGl(outDir) {
  try {
    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8'));
    return report.renderer ?? null;
  } catch {
    return null;
  }
}

/**
 * Cold runs (empty output and cache) of the `shots`-shot job on `avatarFile`, each round followed by the
 * full-frame floor of the same shots (bare page, draw + readPixels of the whole frame), so both see the
 * same load. Ratio = cold wall time / floor.
 */
export async function benchJob({ cliMain, workDir, base, avatarFile, shots, repeats, label }) {
  const dir = path.join(workDir, `job-${label}`);
  fs.mkdirSync(dir, { recursive: true });
  const job = writeJobManifest(base.manifestFile, dir, `job-${shots}`, shots, 90, 0.3);
  const inputs = { manifestFile: job.manifestFile, animationsDir: base.animationsDir, avatarFile };
  const runs = [];
  let keep = null;
  let floorShots = null;
  for (let r = 0; r < repeats; r++) {
    const runDir = path.join(dir, `cold-${r}`);
    const loadAtStart = load1m();
    const run = await runCli({
      cliMain,
      inputs,
      outDir: path.join(runDir, 'out'),
      cacheDir: path.join(runDir, 'cache'),
      pages: 1,
    });
    const figures = stageFigures(run.events);
    floorShots ??= readShotsFromRun(path.join(run.outDir, 'report.json'), run.cacheDir);
    const loadAtFloor = load1m();
    const floor = await measureFloor({ avatarFile, shots: floorShots, repeats: 3 });
    runs.push({
      wallMs: round(run.wallMs),
      floorMs: round(floor.floorMs),
      ratio: round(run.wallMs / floor.floorMs, 2),
      load1mAtRun: loadAtStart,
      load1mAtFloor: loadAtFloor,
      rendered: figures.stages.render.done,
      cached: figures.stages.render.cached,
      render: renderSpan(run.events),
      gl: reportGl(run.outDir),
      floorGlRenderer: floor.glRenderer,
    });
    if (!keep) keep = { ...run, inputs };
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
  const wallMs = median(runs.map((x) => x.wallMs));
  const floorMs = median(runs.map((x) => x.floorMs));
  const result = {
    label,
    avatar: path.basename(avatarFile),
    shots,
    wallMs,
    floorMs,
    ratio: round(wallMs / floorMs, 2),
    ratioPaired: median(runs.map((x) => x.ratio)),
    runs,
  };
  const loads = runs.flatMap((x) => [x.load1mAtRun, x.load1mAtFloor]);
  const rows = [
    [
      `${shots}-shot cold run, ${result.avatar}`,
      `${seconds(wallMs)} (${runs.map((x) => (x.wallMs / 1000).toFixed(2)).join(', ')}); ${runs[0].rendered} rendered, ${runs[0].cached} cached; render ${runs[0].render.perShotMs} ms/shot`,
    ],
    [
      '  full-frame floor / ratio',
      `${seconds(floorMs)} (${runs.map((x) => (x.floorMs / 1000).toFixed(2)).join(', ')}); cold / floor ${result.ratio} (paired ${result.ratioPaired}); 1-min load ${Math.min(...loads)}–${Math.max(...loads)}`,
    ],
    ['  GL', `${runs[0].gl?.glBackend ?? '?'}: ${runs[0].gl?.glRenderer ?? runs[0].floorGlRenderer}`],
  ];
  return { result, rows, keep, shots: floorShots };
}

/**
 * The kept run's renders (subject box, the default) against the same shots drawn over the whole frame by
 * the renderer with `rasterRegion: 'full-frame'`: worst channel difference and differing pixels.
 */
export async function benchCompare({ keep, shots, avatarFile }) {
  const bytes = fs.readFileSync(avatarFile);
  const renderer = await createRenderer({ pages: 1, parameters: { rasterRegion: 'full-frame' } });
  const report = JSON.parse(fs.readFileSync(path.join(keep.outDir, 'report.json'), 'utf8'));
  let worst = 0;
  let differingPixels = 0;
  let differingShots = 0;
  let pixels = 0;
  let drawnSubject = 0;
  let drawnFull = 0;
  try {
    for (const shot of shots) {
      const key = report.entries.find((e) => e.number === shot.number).stages.render.key;
      const item = path.join(keep.cacheDir, 'render', key.slice(0, 2), key);
      const full = await renderer.renderShot(shotRequest(shot, 'compare', bytes));
      const a = await sharp(path.join(item, 'render.png')).raw().toBuffer();
      const b = await sharp(full.png).raw().toBuffer();
      let shotDiffers = false;
      for (let i = 0; i < a.length; i += 4) {
        let d = 0;
        for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(a[i + c] - b[i + c]));
        if (d > 0) {
          differingPixels++;
          shotDiffers = true;
          worst = Math.max(worst, d);
        }
      }
      if (shotDiffers) differingShots++;
      pixels += a.length / 4;
      drawnSubject += JSON.parse(fs.readFileSync(path.join(item, 'meta.json'), 'utf8')).timings
        .drawnMegapixels;
      drawnFull += full.meta.timings.drawnMegapixels;
    }
  } finally {
    await renderer.close();
  }
  const result = {
    shots: shots.length,
    worstChannelDifference: worst,
    differingPixels,
    differingShots,
    pixels,
    drawnMegapixels: { subject: round(drawnSubject, 1), fullFrame: round(drawnFull, 1) },
  };
  const rows = [
    [
      'subject box vs full frame',
      `${shots.length} shots: worst channel difference ${worst}, ${differingPixels} of ${pixels} pixels differ in ${differingShots} shots; drawn ${result.drawnMegapixels.subject} vs ${result.drawnMegapixels.fullFrame} megapixels`,
    ],
  ];
  return { result, rows };
}

/** No-op re-runs (no browser) and one edited entry (exactly 1 render) on the kept run's output and cache. */
export async function benchWarm({ cliMain, keep, repeats }) {
  const again = () =>
    runCli({ cliMain, inputs: keep.inputs, outDir: keep.outDir, cacheDir: keep.cacheDir, pages: 1 });
  await again(); // brings the cache up to date if the page bundle was rebuilt meanwhile
  const noop = [];
  for (let r = 0; r < repeats; r++) {
    const load = load1m();
    const run = await again();
    const f = stageFigures(run.events);
    noop.push({
      wallMs: round(run.wallMs),
      load1m: load,
      browserStarted: f.browserStarted,
      renders: f.stages.render.done,
    });
  }
  const editOne = [];
  for (let r = 0; r < repeats; r++) {
    editManifest(keep.inputs.manifestFile, (m) => {
      const first = m.dataCollection[0];
      const base = Array.isArray(first.cameraPosition) ? first.cameraPosition : [0, 0, 1];
      first.cameraPosition = [round(base[0] - 0.1, 4), base[1], base[2]];
    });
    const load = load1m();
    const run = await again();
    const f = stageFigures(run.events);
    editOne.push({ wallMs: round(run.wallMs), load1m: load, renders: f.stages.render.done });
  }
  const result = {
    noopMs: median(noop.map((x) => x.wallMs)),
    noop,
    editOneMs: median(editOne.map((x) => x.wallMs)),
    editOne,
  };
  const rows = [
    [
      'no-op re-run',
      `${seconds(result.noopMs)} (${noop.map((x) => x.wallMs).join(', ')} ms), browser started: ${noop.some((x) => x.browserStarted)}, renders ${noop.map((x) => x.renders).join('/')} (target ≤ 0.5 s, no browser)`,
    ],
    [
      'one edited entry',
      `${seconds(result.editOneMs)}, renders ${editOne.map((x) => x.renders).join('/')} (target: exactly 1)`,
    ],
  ];
  return { result, rows };
}

/**
 * Per-shot time (render stage span / shots) and peak PSS of the process tree, 46 vs 1,000 shots on one
 * avatar. Both runs sampled at the same (low) rate, so the sampler's own cost is the same in both.
 */
export async function benchScale({
  cliMain,
  workDir,
  base,
  avatarFile,
  smallShots,
  bigShots,
  sampleEveryMs = 500,
}) {
  const dir = path.join(workDir, 'scale');
  fs.mkdirSync(dir, { recursive: true });
  const result = { avatar: path.basename(avatarFile), sampleEveryMs, runs: [] };
  for (const shots of [smallShots, bigShots]) {
    const job = writeJobManifest(base.manifestFile, dir, `scale-${shots}`, shots, 360 / 77);
    const load = load1m();
    const run = await runCli({
      cliMain,
      inputs: { manifestFile: job.manifestFile, animationsDir: base.animationsDir, avatarFile },
      outDir: path.join(dir, `out-${shots}`),
      cacheDir: path.join(dir, `cache-${shots}`),
      pages: 1,
      sampleMemory: true,
      sampleEveryMs,
    });
    result.runs.push({
      shots,
      wallMs: round(run.wallMs),
      wallPerShotMs: round(run.wallMs / shots, 1),
      render: renderSpan(run.events),
      peakPssBytes: run.peak.pssBytes,
      peakRssBytes: run.peak.rssBytes,
      load1m: load,
      loadAfter: load1m(),
    });
    fs.rmSync(path.join(dir, `out-${shots}`), { recursive: true, force: true });
    fs.rmSync(path.join(dir, `cache-${shots}`), { recursive: true, force: true });
  }
  const [small, big] = result.runs;
  result.perShotRatio = round(big.render.perShotMs / small.render.perShotMs, 3);
  const rows = result.runs.map((x) => [
    `scale: ${x.shots} shots, ${result.avatar}`,
    `${seconds(x.wallMs)}; render ${x.render.perShotMs} ms/shot (${x.render.done} rendered); peak ${megabytes(x.peakPssBytes)} PSS / ${megabytes(x.peakRssBytes)} RSS; load ${x.load1m}→${x.loadAfter}`,
  ]);
  rows.push([
    `  per shot, ${bigShots} / ${smallShots}`,
    `${result.perShotRatio} (target ≤ 1.10); peak PSS ≤ 1.5 GB: ${Math.max(...result.runs.map((x) => x.peakPssBytes ?? 0)) <= 1.5 * 2 ** 30 ? 'met' : 'MISSED'}`,
  ]);
  return { result, rows };
}

/** A GLB with `extra` in its JSON's `asset.extras`: a distinct file (content hash), the same model. */
function withAssetExtra(glb, extra) {
  const jsonLength = glb.readUInt32LE(12);
  const json = JSON.parse(glb.subarray(20, 20 + jsonLength).toString('utf8'));
  json.asset = { ...json.asset, extras: { ...json.asset?.extras, ...extra } };
  let text = Buffer.from(JSON.stringify(json), 'utf8');
  if (text.length % 4) text = Buffer.concat([text, Buffer.alloc(4 - (text.length % 4), 0x20)]);
  const rest = glb.subarray(20 + jsonLength);
  const header = Buffer.alloc(20);
  header.write('glTF', 0, 'latin1');
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(20 + text.length + rest.length, 8);
  header.writeUInt32LE(text.length, 12);
  header.writeUInt32LE(0x4e4f534a, 16); // "JSON"
  return Buffer.concat([header, text, rest]);
}

/**
 * One run over 10 avatar files (the shared VRMs, the mannequin as VRM 1.0 and 0.x, and renamed copies of
 * shared VRMs to make ten; a copy is a distinct file and key, the same render work), `shots` shots each:
 * per-avatar render time per shot and the run's peak PSS.
 */
export async function benchAvatars({
  cliMain,
  workDir,
  base,
  vrmDir,
  shots,
  repeats = 1,
  sampleEveryMs = 500,
}) {
  const dir = path.join(workDir, 'avatars');
  fs.mkdirSync(dir, { recursive: true });
  const files = fs
    .readdirSync(vrmDir)
    .filter((f) => f.endsWith('.vrm'))
    .sort()
    .map((f) => path.join(vrmDir, f));
  for (const spec of ['1.0', '0.x']) {
    const file = path.join(dir, `mannequin-${spec}.vrm`);
    fs.writeFileSync(file, await createMannequinVrm({ specVersion: spec }));
    files.push(file);
  }
  const originals = [...files];
  for (let i = 0; files.length < 10; i++) {
    const from = originals[i % originals.length];
    const copy = path.join(dir, `copy-${i + 1}-${path.basename(from)}`);
    fs.writeFileSync(copy, withAssetExtra(fs.readFileSync(from), { benchCopy: i + 1 }));
    files.push(copy);
  }
  const job = writeJobManifest(base.manifestFile, dir, `avatars-${shots}`, shots, 90, 0.3);
  const load = load1m();
  // Each repeat is a cold run (its own output and cache); per avatar, the median over the repeats.
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const run = await runCli({
      cliMain,
      inputs: { manifestFile: job.manifestFile, animationsDir: base.animationsDir, avatarFiles: files },
      outDir: path.join(dir, `out-${r}`),
      cacheDir: path.join(dir, `cache-${r}`),
      pages: 1,
      sampleMemory: true,
      sampleEveryMs,
    });
    runs.push({
      wallMs: run.wallMs,
      peakPssBytes: run.peak.pssBytes,
      peakRssBytes: run.peak.rssBytes,
      perAvatar: files.map((f) => renderSpan(run.events, path.basename(f))),
    });
    fs.rmSync(path.join(dir, `out-${r}`), { recursive: true, force: true });
    fs.rmSync(path.join(dir, `cache-${r}`), { recursive: true, force: true });
  }
  const perAvatar = files.map((f, i) => ({
    avatar: path.basename(f),
    done: runs[0].perAvatar[i].done,
    perShotMs: median(runs.map((run) => run.perAvatar[i].perShotMs)),
    perShotMsEachRun: runs.map((run) => run.perAvatar[i].perShotMs),
  }));
  const result = {
    avatars: files.length,
    repeats,
    wallMs: round(median(runs.map((run) => run.wallMs))),
    peakPssBytes: Math.max(...runs.map((run) => run.peakPssBytes ?? 0)),
    peakRssBytes: Math.max(...runs.map((run) => run.peakRssBytes ?? 0)),
    load1m: load,
    loadAfter: load1m(),
    perAvatar,
  };
  // The same work later in the run: each copy against its original (same meshes, textures and shots).
  const copies = perAvatar.flatMap((x) => {
    const match = /^copy-\d+-(.*)$/.exec(x.avatar);
    const original = match && perAvatar.find((o) => o.avatar === match[1]);
    return original?.perShotMs && x.perShotMs
      ? [
          {
            avatar: match[1],
            original: original.perShotMs,
            copy: x.perShotMs,
            ratio: round(x.perShotMs / original.perShotMs, 3),
          },
        ]
      : [];
  });
  result.copies = copies;
  const perShot = perAvatar.map((x) => x.perShotMs).filter((x) => x !== null);
  const rows = [
    [
      `${files.length} avatars in one run`,
      `${seconds(result.wallMs)} (median of ${repeats}), ${perAvatar.reduce((n, x) => n + x.done, 0)} rendered; peak ${megabytes(result.peakPssBytes)} PSS; load ${load}→${result.loadAfter}`,
    ],
    [
      '  render ms/shot per avatar',
      perAvatar.map((x) => `${x.avatar.replace(/\.vrm$/, '')} ${x.perShotMs}`).join(', '),
    ],
    ['  spread', `${Math.min(...perShot)}–${Math.max(...perShot)} ms/shot`],
    [
      '  a file vs its copy later in the run',
      copies
        .map((c) => `${c.avatar.replace(/\.vrm$/, '')} ${c.original} → ${c.copy} (×${c.ratio})`)
        .join(', '),
    ],
  ];
  return { result, rows };
}
