// `pnpm bench`'s watch figure: `vrm-lora watch` (the built CLI, --json) on the bench inputs, then one entry
// edited at a time; each edit is timed from the manifest's save to its image's new bytes on disk (polled
// every 2 ms), and checked from the watcher's own events: exactly one render, no browser start, no avatar
// load. Run alone: `node test/bench/measure-watch.mjs` (see the end of this file).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const sha = (file) => {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the watcher; `next(type)` resolves with the next event of that type. */
function startWatcher({ cliMain, inputs, outDir }) {
  const args = [cliMain, 'watch', inputs.manifestFile, '--vrm', inputs.avatarFile, '--out', outDir, '--json'];
  if (inputs.animationsDir) args.push('--animations', inputs.animationsDir);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const waiting = [];
  const cycles = { started: 0, ended: 0, lastStartAt: 0, ends: [] };
  let pending = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const event = { ...JSON.parse(line), receivedAt: performance.now() };
      if (event.type === 'cycle-start') {
        cycles.started++;
        cycles.lastStartAt = event.receivedAt;
      }
      if (event.type === 'cycle-end' || event.type === 'cycle-error' || event.type === 'cycle-failed') {
        cycles.ended++;
        cycles.ends.push(event);
      }
      const i = waiting.findIndex((w) => w.types.includes(event.type));
      if (i >= 0) waiting.splice(i, 1)[0].resolve(event);
    }
  });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    exited,
    cycles,
    /** Resolves once no cycle has run or started for `quietMs`. */
    async settled(quietMs = 400) {
      while (cycles.started !== cycles.ended || performance.now() - cycles.lastStartAt < quietMs)
        await sleep(20);
    },
    stderr: () => stderr,
    next: (...types) =>
      Promise.race([
        new Promise((resolve) => waiting.push({ types, resolve })),
        exited.then((code) => {
          throw new Error(`vrm-lora watch exited (${code}): ${stderr.slice(-500)}`);
        }),
      ]),
  };
}

/**
 * The watcher's cold first cycle, then `edits` single-entry edits (entry i mod n, its camera moved a little
 * further each time so every edit is a new shot). Returns each edit's save → image-on-disk time.
 */
export async function measureWatch({ cliMain, inputs, workDir, edits }) {
  const dir = path.join(workDir, 'watch');
  const outDir = path.join(dir, 'out');
  const manifestFile = path.join(dir, 'manifest.json');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(inputs.manifestFile, manifestFile);
  const watcher = startWatcher({ cliMain, inputs: { ...inputs, manifestFile }, outDir });
  const runs = [];
  let firstCycle;
  try {
    const started = performance.now();
    const first = await watcher.next('cycle-end', 'cycle-error');
    if (first.type !== 'cycle-end') throw new Error(`first cycle failed: ${JSON.stringify(first.error)}`);
    firstCycle = { wallMs: first.receivedAt - started, renders: first.renders, durationMs: first.durationMs };
    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8'));
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const n = manifest.dataCollection.length;
    for (let i = 0; i < edits; i++) {
      // Settle: the watcher idles between saves, as it does between a user's saves (a save seen as two
      // changes runs a second, empty cycle: it is waited for, not counted as the next edit's).
      await watcher.settled();
      const index = i % n;
      const entry = manifest.dataCollection[index];
      const base = Array.isArray(entry.cameraPosition) ? entry.cameraPosition : [0, 0, 1];
      // A shot no earlier edit made (two entries on the same clip and frame would otherwise meet in the cache).
      entry.cameraPosition = [base[0] + 0.05 + 0.01 * i, base[1], base[2]];
      const image = path.join(outDir, report.entries.find((e) => e.number === index + 1).output.image);
      const before = sha(image);
      const beforeStat = fs.statSync(image);
      const endsBefore = watcher.cycles.ends.length;
      const saved = performance.now();
      fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
      let imageMs = null;
      while (performance.now() - saved < 10_000) {
        const stat = fs.statSync(image, { throwIfNoEntry: false });
        if (
          stat &&
          (stat.mtimeMs !== beforeStat.mtimeMs || stat.ino !== beforeStat.ino) &&
          sha(image) !== before
        ) {
          imageMs = performance.now() - saved;
          break;
        }
        await sleep(2);
      }
      await watcher.settled();
      // Every cycle this save caused (a save read half-written ends one cycle with an input error first).
      const ends = watcher.cycles.ends.slice(endsBefore);
      const good = ends.filter((e) => e.type === 'cycle-end');
      const total = (key) => good.reduce((n, e) => n + e[key], 0);
      const end = good.find((e) => e.renders > 0) ?? good.at(-1) ?? ends.at(-1);
      const problem =
        good.length === 0
          ? `no good cycle: ${JSON.stringify(ends.map((e) => e.error ?? e.message))}`
          : total('renders') !== 1 || total('browserStarts') !== 0 || total('avatarLoads') !== 0
            ? `expected 1 render, no browser start, no avatar load; got ${total('renders')}, ${total('browserStarts')}, ${total('avatarLoads')}`
            : imageMs === null
              ? 'the image did not change on disk within 10 s'
              : null;
      runs.push({
        entry: index + 1,
        imageMs: imageMs === null ? null : Math.round(imageMs),
        cycleEndMs: Math.round(end.receivedAt - saved),
        cycleDurationMs: end.durationMs,
        cycles: ends.length,
        renders: total('renders'),
        browserStarts: total('browserStarts'),
        avatarLoads: total('avatarLoads'),
        ...(problem ? { problem } : {}),
      });
    }
  } finally {
    watcher.child.kill('SIGINT');
    await watcher.exited;
  }
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  return { firstCycle, runs };
}

// Run alone: `pnpm build && node test/bench/measure-watch.mjs` (BENCH_WATCH_EDITS, default 15; BENCH_SIZE).
if (import.meta.url === `file://${process.argv[1]}`) {
  const os = await import('node:os');
  const { fileURLToPath } = await import('node:url');
  const { prepareBenchInputs } = await import('./prepare-bench-inputs.mjs');
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-bench-watch-'));
  const size = Number(process.env.BENCH_SIZE ?? 1024);
  const inputs = await prepareBenchInputs({ repoRoot, workDir, size });
  const load = os.loadavg();
  const { runs } = await measureWatch({
    cliMain: path.join(repoRoot, 'apps', 'cli', 'dist', 'main.js'),
    inputs,
    workDir,
    edits: Math.max(1, Number(process.env.BENCH_WATCH_EDITS ?? 15)),
  });
  for (const r of runs) process.stdout.write(`${JSON.stringify(r)}\n`);
  const ms = runs
    .filter((r) => !r.problem)
    .map((r) => r.imageMs)
    .sort((a, b) => a - b);
  process.stdout.write(
    `${inputs.description}; ${size}x${size}; load ${load.map((l) => l.toFixed(1)).join(' ')}\n` +
      `watch: edit -> image on disk, median ${ms[Math.floor(ms.length / 2)] ?? '-'} ms over ${ms.length} good edits (target <= 500 ms)\n`,
  );
  fs.rmSync(workDir, { recursive: true, force: true });
}
