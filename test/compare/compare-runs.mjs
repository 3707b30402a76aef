#!/usr/bin/env node
// Before/after comparison for refactors that must keep behaviour: runs the built CLI over the shared
// CharacterStudio example (the entries whose clips are in ../shared/assets/fbx) on two avatars, keeps what
// a user gets (images, captions, report.json, dataset files) and every cache item's key and key inputs,
// then byte-compares two such snapshots.
//
//   node test/compare/compare-runs.mjs record <snapshot-dir> [--repo <checkout>] [--size <px>] [--conditioning <kinds>]
//   node test/compare/compare-runs.mjs compare <before-dir> <after-dir>
//
// `record` runs in one fixed work folder (so absolute paths written into reports are the same in both
// runs), with a fresh cache, then copies the results into <snapshot-dir>. `--conditioning openpose,depth` runs the
// second avatar (cryptovoxels.vrm) with those conditioning images and `--contact-sheet with-conditioning`, so the
// conditioning files and sheet are compared too. `compare` exits 1 when any image,
// caption, report (timings removed) or dataset file differs; changed cache keys are listed with the key
// inputs that changed, and fail the comparison unless `--keys-may-change` is given.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const avatars = ['Asian_F_1_Casual.vrm', 'cryptovoxels.vrm'];

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}

function sharedDir() {
  return process.env.VRM_LORA_SHARED_ASSETS
    ? path.resolve(process.env.VRM_LORA_SHARED_ASSETS, '..')
    : path.resolve(repoRoot, '..', 'shared');
}

/** Drops timings (`durationMs`, `*Ms` at run level) so two runs of one input compare equal. */
function withoutTimings(value) {
  if (Array.isArray(value)) return value.map(withoutTimings);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (/(duration|elapsed|started|finished)/i.test(k) || /Ms$/.test(k)) continue;
      out[k] = withoutTimings(v);
    }
    return out;
  }
  return value;
}

async function walk(dir, base = dir) {
  const out = [];
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, base)));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

async function record(snapshot, args) {
  const repo = path.resolve(option(args, '--repo', repoRoot));
  const size = option(args, '--size', undefined);
  const conditioning = option(args, '--conditioning', undefined);
  const shared = sharedDir();
  const assets = path.join(shared, 'assets');
  const work = path.join(os.tmpdir(), 'vrm-lora-compare-work');
  await fs.rm(work, { recursive: true, force: true });
  await fs.mkdir(work, { recursive: true });
  const example = JSON.parse(
    await fs.readFile(path.join(shared, 'examples', 'characterstudio-manifest.json'), 'utf8'),
  );
  const clips = new Set(await fs.readdir(path.join(assets, 'fbx')));
  example.dataCollection = example.dataCollection.filter((e) => clips.has(e.animationPath));
  if (size) Object.assign(example, { width: Number(size), height: Number(size) });
  const manifest = path.join(work, 'manifest.json');
  await fs.writeFile(manifest, JSON.stringify(example, null, 2));
  const commit = (await run('git', ['-C', repo, 'rev-parse', 'HEAD'])).stdout.trim();
  await fs.rm(snapshot, { recursive: true, force: true });
  await fs.mkdir(snapshot, { recursive: true });
  const meta = {
    commit,
    repo,
    work,
    size: size ?? `${example.width}`,
    entries: example.dataCollection.length,
    ...(conditioning ? { conditioning: { avatar: avatars[1], kinds: conditioning } } : {}),
  };
  for (const avatar of avatars) {
    const out = path.join(work, avatar, 'out');
    const cache = path.join(work, avatar, 'cache');
    const t0 = Date.now();
    const cli = path.join(repo, 'apps', 'cli', 'dist', 'main.js');
    const argv = [cli, 'run', manifest, '--vrm', path.join(assets, 'vrm', avatar)];
    argv.push('--animations', path.join(assets, 'fbx'), '--out', out, '--cache-dir', cache, '--json');
    if (conditioning && avatar === avatars[1])
      argv.push('--conditioning', conditioning, '--contact-sheet', 'with-conditioning');
    const result = await run(process.execPath, argv, {
      cwd: work,
      env: { ...process.env, CI: '1' },
      maxBuffer: 1 << 28,
    }).catch((error) => error);
    meta[avatar] = { exitCode: result.code ?? 0, seconds: (Date.now() - t0) / 1000 };
    process.stderr.write(`${avatar}: exit ${meta[avatar].exitCode} in ${meta[avatar].seconds} s\n`);
    await fs.cp(out, path.join(snapshot, avatar, 'out'), { recursive: true });
    await fs.writeFile(
      path.join(snapshot, avatar, 'keys.json'),
      JSON.stringify(await cacheKeys(cache), null, 1),
    );
    await fs.writeFile(
      path.join(snapshot, avatar, 'render-metas.json'),
      JSON.stringify(await renderMetas(out, cache), null, 1),
    );
  }
  await fs.writeFile(path.join(snapshot, 'meta.json'), JSON.stringify(meta, null, 2));
  await fs.rm(work, { recursive: true, force: true });
}

/** Every cache item as `{stage, key, keyInputs}`, sorted by stage, then by what the key is made of. */
async function cacheKeys(cache) {
  const items = [];
  for (const file of await walk(cache)) {
    if (path.basename(file) !== 'item.json') continue;
    const item = JSON.parse(await fs.readFile(path.join(cache, file), 'utf8'));
    items.push({
      stage: item.keyInputs?.stage ?? file.split(path.sep)[0],
      key: item.key,
      keyInputs: item.keyInputs,
    });
  }
  const order = (i) =>
    `${i.stage} ${JSON.stringify(i.keyInputs?.params ?? {})} ${JSON.stringify(i.keyInputs?.upstream ?? {})}`;
  return items.sort((a, b) => order(a).localeCompare(order(b)));
}

/**
 * Each entry's render meta.json from the cache (timings taken out), by entry number: the framing, camera,
 * bones and keypoints the renderer reported, which the images alone do not show.
 */
async function renderMetas(out, cache) {
  let report;
  try {
    report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
  } catch {
    return {};
  }
  const metas = {};
  for (const e of report.entries ?? []) {
    const key = e.stages?.render?.key;
    if (!key) continue;
    const file = path.join(cache, 'render', key.slice(0, 2), key, 'meta.json');
    const meta = await fs.readFile(file, 'utf8').catch(() => null);
    if (meta) metas[e.number] = withoutTimings(JSON.parse(meta));
  }
  return metas;
}

/** Compares the render metas of two snapshots (when both have them): counts, and the entries that differ. */
async function compareRenderMetas(before, after, avatar) {
  const read = (dir) =>
    fs
      .readFile(path.join(dir, avatar, 'render-metas.json'), 'utf8')
      .then(JSON.parse)
      .catch(() => null);
  const [a, b] = await Promise.all([read(before), read(after)]);
  if (!a || !b) return null;
  const numbers = new Set([...Object.keys(a), ...Object.keys(b)]);
  const differ = [...numbers].filter((n) => JSON.stringify(a[n]) !== JSON.stringify(b[n]));
  return { same: numbers.size - differ.length, differ };
}

function kindOf(file) {
  // last-run.json records each entry's key inputs: it changes exactly when keys do.
  if (file.endsWith('last-run.json')) return 'key records';
  if (file.endsWith('report.json')) return 'reports';
  if (file.endsWith('.png') || file.endsWith('.webp') || file.endsWith('.jpg')) return 'images';
  if (file.endsWith('.txt') || file.endsWith('.caption')) return 'captions';
  return 'dataset files';
}

const sha = (b) => createHash('sha256').update(b).digest('hex');

/**
 * A report with timings and cache keys taken out (keys are compared on their own), and the record's work
 * folder (in the manifest's path) written as `<work>`, so records made under different TMPDIRs compare.
 */
function normalizeReport(text, work) {
  const report = withoutTimings(
    JSON.parse(work ? text.replaceAll(JSON.stringify(work).slice(1, -1), '<work>') : text),
  );
  for (const e of report.entries ?? []) for (const s of Object.values(e.stages ?? {})) delete s.key;
  return JSON.stringify(report, null, 1);
}

async function normalizedBytes(file, work) {
  const bytes = await fs.readFile(file);
  if (file.endsWith('report.json')) return Buffer.from(normalizeReport(bytes.toString('utf8'), work));
  if (file.endsWith('.json') && file.includes(`${path.sep}.vrm-lora${path.sep}`)) {
    return Buffer.from(JSON.stringify(withoutTimings(JSON.parse(bytes.toString('utf8')))));
  }
  return bytes;
}

/** What changed in a key's inputs, as dotted paths. */
function diffPaths(a, b, prefix = '') {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return [prefix || '(value)'];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => diffPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
}

async function compare(before, after, args) {
  const workOf = {
    before: JSON.parse(await fs.readFile(path.join(before, 'meta.json'), 'utf8')).work,
    after: JSON.parse(await fs.readFile(path.join(after, 'meta.json'), 'utf8')).work,
  };
  let failed = false;
  let keysChanged = false;
  for (const avatar of avatars) {
    const a = path.join(before, avatar, 'out');
    const b = path.join(after, avatar, 'out');
    const filesA = await walk(a);
    const filesB = await walk(b);
    const counts = {};
    const problems = [];
    for (const f of new Set([...filesA, ...filesB])) {
      const kind = kindOf(f);
      counts[kind] ??= { same: 0, differ: 0 };
      if (!filesA.includes(f) || !filesB.includes(f)) {
        problems.push(`${f}: only in ${filesA.includes(f) ? 'before' : 'after'}`);
        counts[kind].differ++;
        continue;
      }
      const [x, y] = await Promise.all([
        normalizedBytes(path.join(a, f), workOf.before),
        normalizedBytes(path.join(b, f), workOf.after),
      ]);
      if (sha(x) === sha(y)) counts[kind].same++;
      else {
        counts[kind].differ++;
        if (kind === 'key records' && args.includes('--keys-may-change')) continue;
        problems.push(`${f}: bytes differ`);
      }
    }
    console.log(`\n${avatar}`);
    for (const [kind, c] of Object.entries(counts).sort()) {
      console.log(`  ${kind.padEnd(14)} ${c.same} identical, ${c.differ} differ`);
    }
    const metas = await compareRenderMetas(before, after, avatar);
    if (metas) {
      console.log(`  ${'render metas'.padEnd(14)} ${metas.same} identical, ${metas.differ.length} differ`);
      for (const n of metas.differ) problems.push(`render meta.json of entry ${n}: differs (timings aside)`);
    }
    for (const p of problems) console.log(`  DIFFERS ${p}`);
    if (problems.length > 0) failed = true;
    const keysA = JSON.parse(await fs.readFile(path.join(before, avatar, 'keys.json'), 'utf8'));
    const keysB = JSON.parse(await fs.readFile(path.join(after, avatar, 'keys.json'), 'utf8'));
    const byStage = {};
    for (let i = 0; i < Math.max(keysA.length, keysB.length); i++) {
      const x = keysA[i];
      const y = keysB[i];
      const stage = x?.stage ?? y?.stage;
      byStage[stage] ??= { same: 0, changed: 0, why: new Set() };
      if (x?.key === y?.key) byStage[stage].same++;
      else {
        byStage[stage].changed++;
        for (const p of diffPaths(x?.keyInputs, y?.keyInputs)) byStage[stage].why.add(p);
      }
    }
    for (const [stage, s] of Object.entries(byStage)) {
      const why = s.why.size ? `  (inputs that changed: ${[...s.why].join(', ')})` : '';
      console.log(`  keys ${stage.padEnd(9)} ${s.same} identical, ${s.changed} changed${why}`);
      if (s.changed > 0) keysChanged = true;
      if (s.changed > 0 && !args.includes('--keys-may-change')) failed = true;
    }
  }
  const same = keysChanged
    ? 'SAME images, captions, reports and dataset files; cache keys changed as listed'
    : 'SAME: every image, caption, report, dataset file and cache key';
  console.log(failed ? '\nDIFFERENT' : `\n${same}`);
  process.exitCode = failed ? 1 : 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'record' && rest[0]) await record(path.resolve(rest[0]), rest.slice(1));
else if (command === 'compare' && rest[0] && rest[1]) await compare(rest[0], rest[1], rest.slice(2));
else {
  console.error(
    'usage: compare-runs.mjs record <snapshot-dir> [--repo <checkout>] [--size <px>] [--conditioning <kinds>]',
  );
  console.error('       compare-runs.mjs compare <before-dir> <after-dir> [--keys-may-change]');
  process.exitCode = 2;
}
