// The farm's part of `pnpm bench` (alone: BENCH_FARM_ONLY=1 pnpm bench): the same collection run in one
// process, then through a real redis-server on loopback with 1 and 2 worker processes of the built CLI, each on
// a fresh cache; and the farm with one entry per avatar, whose time per job is what any job costs besides its
// shots (the figure that decides per-avatar jobs over chunks of entries). See docs/scaling.md.
//
// Environment: BENCH_FARM_SIZE (default 512), BENCH_FARM_ENTRIES (default 12: the demo's), BENCH_FARM_REPEATS
// (default 1).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Runs the built CLI; resolves with its wall time and `--json` events (rejects on a crash, not exit 1). */
function runCli(cliMain, args, cwd, onEvent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliMain, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const events = [];
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.startsWith('{'))) {
        const event = { at: performance.now() - started, ...JSON.parse(line) };
        events.push(event);
        onEvent?.(event);
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1)
        reject(new Error(`vrm-lora ${args[0]} exited ${code}:\n${stderr.slice(-2000)}`));
      else resolve({ wallMs: performance.now() - started, events, child });
    });
  });
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(dir) {
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  await new Promise((resolve, reject) => {
    let out = '';
    proc.once('error', (e) => reject(new Error(`redis-server: ${e.message} (apt-get install redis-server)`)));
    proc.stdout.on('data', (c) => {
      out += c;
      if (out.includes('Ready to accept connections')) resolve();
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        proc.once('exit', resolve);
        proc.kill();
      }),
  };
}

/** Starts `count` workers on `cacheDir`; resolves once each is ready. */
async function startWorkers(cliMain, cwd, url, cacheDir, count) {
  const workers = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(
      process.execPath,
      [cliMain, 'worker', '--queue', url, '--cache-dir', cacheDir, '--name', `w${i + 1}`, '--json'],
      { cwd, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    await new Promise((resolve) => {
      child.stdout.on('data', (c) => {
        if (String(c).includes('"worker-ready"')) resolve();
      });
    });
    workers.push(child);
  }
  return {
    stop: () =>
      Promise.all(
        workers.map(
          (w) =>
            new Promise((resolve) => {
              if (w.exitCode !== null) return resolve();
              w.once('exit', resolve);
              w.kill();
            }),
        ),
      ),
  };
}

/** Writes the collection's inputs: the demo manifest at `size` px and its avatars (shared ones when present). */
async function prepareCollection(repoRoot, dir, size, entries) {
  const { demoManifest } = await import(path.join(repoRoot, 'packages/pipeline/dist/index.js'));
  const { createMannequinVrm } = await import(path.join(repoRoot, 'packages/mannequin/dist/index.js'));
  const manifest = demoManifest();
  const margin = Math.round(size / 16);
  Object.assign(manifest, {
    width: size,
    height: size,
    topFrameOffsetPixels: margin,
    bottomFrameOffsetPixels: margin,
  });
  manifest.dataCollection = manifest.dataCollection.slice(0, entries);
  fs.mkdirSync(path.join(dir, 'avatars'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(
    path.join(dir, 'avatars', 'mannequin.vrm'),
    await createMannequinVrm({ specVersion: '1.0' }),
  );
  fs.writeFileSync(
    path.join(dir, 'avatars', 'mannequin_v0.vrm'),
    await createMannequinVrm({ specVersion: '0.x' }),
  );
  const shared = process.env.VRM_LORA_SHARED_ASSETS ?? path.resolve(repoRoot, '..', 'shared', 'assets');
  for (const name of [
    'debug_robot.vrm',
    'cryptovoxels.vrm',
    'VRMC_vrm_expressions_isBinary_Overrides.vrm',
    'Asian_F_1_Casual.vrm',
  ]) {
    const file = path.join(shared, 'vrm', name);
    if (fs.existsSync(file)) fs.symlinkSync(file, path.join(dir, 'avatars', name));
  }
  return fs.readdirSync(path.join(dir, 'avatars')).length;
}

/** One measured run: local (`workers` 0) or on the farm; a fresh cache and output each time. */
async function measure({ cliMain, dir, redisUrl, workers, only, label }) {
  const runDir = path.join(dir, label);
  const cacheDir = path.join(runDir, 'cache');
  const args = [
    'run',
    'manifest.json',
    '--vrm-dir',
    'avatars',
    '-o',
    path.join(runDir, 'out'),
    '--cache-dir',
    cacheDir,
    '--json',
  ];
  if (only) args.push('--only', only);
  const pool = workers > 0 ? await startWorkers(cliMain, dir, redisUrl, cacheDir, workers) : null;
  try {
    const run = await runCli(
      cliMain,
      workers > 0 ? [...args, '--queue', redisUrl, '--run-id', label] : args,
      dir,
    );
    const end = run.events.find((e) => e.type === 'collection-end');
    const jobs = run.events.filter((e) => e.type === 'job-done').map((e) => e.result);
    return {
      label,
      workers,
      wallMs: Math.round(run.wallMs),
      images: end?.summary.images ?? null,
      avatars: end?.summary.avatars ?? null,
      jobMsMedian: jobs.length ? median(jobs.map((j) => j.durationMs)) : null,
      jobsByWorker: Object.fromEntries(
        [...new Set(jobs.map((j) => j.worker))].map((w) => [w, jobs.filter((j) => j.worker === w).length]),
      ),
    };
  } finally {
    await pool?.stop();
  }
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** The farm bench: returns its figures (and prints them with `say`). */
export async function benchFarm({ repoRoot, workDir, say }) {
  const cliMain = path.join(repoRoot, 'apps', 'cli', 'dist', 'main.js');
  const size = Number(process.env.BENCH_FARM_SIZE ?? 512);
  const entries = Number(process.env.BENCH_FARM_ENTRIES ?? 12);
  const repeats = Math.max(1, Number(process.env.BENCH_FARM_REPEATS ?? 1));
  const dir = path.join(workDir, 'farm');
  const avatars = await prepareCollection(repoRoot, dir, size, entries);
  say(
    `farm: ${avatars} avatars × ${entries} entries at ${size}×${size}; ${repeats} repeat(s); redis-server on loopback`,
  );
  const redis = await startRedis(path.join(dir, 'redis'));
  const runs = [];
  try {
    for (let r = 0; r < repeats; r++) {
      for (const [workers, only, name] of [
        [0, null, 'local'],
        [1, null, 'farm1'],
        [2, null, 'farm2'],
        [1, '1', 'farm1-one-entry'],
        [0, '1', 'local-one-entry'],
      ]) {
        const m = await measure({ cliMain, dir, redisUrl: redis.url, workers, only, label: `${name}-r${r}` });
        runs.push({ name, ...m });
        say(
          `  ${name} #${r + 1}: ${seconds(m.wallMs)}, ${m.images} images${m.workers ? `, jobs per worker ${JSON.stringify(m.jobsByWorker)}, median job ${seconds(m.jobMsMedian)}` : ''}`,
        );
      }
    }
  } finally {
    await redis.stop();
  }
  const wall = (name) => median(runs.filter((r) => r.name === name).map((r) => r.wallMs));
  const images = runs.find((r) => r.name === 'local').images;
  const shots = avatars * entries;
  const figures = {
    avatars,
    entries,
    size,
    localMs: wall('local'),
    farm1Ms: wall('farm1'),
    farm2Ms: wall('farm2'),
    imagesPerHour: {
      local: Math.round((images / wall('local')) * 3_600_000),
      oneWorker: Math.round((images / wall('farm1')) * 3_600_000),
      twoWorkers: Math.round((images / wall('farm2')) * 3_600_000),
    },
    queueOverheadPerShotMs: Math.round((wall('farm1') - wall('local')) / shots),
    queueOverheadPerJobMs: Math.round((wall('farm1') - wall('local')) / avatars),
    oneEntryJob: {
      farmPerAvatarMs: Math.round(wall('farm1-one-entry') / avatars),
      localPerAvatarMs: Math.round(wall('local-one-entry') / avatars),
    },
    runs,
  };
  say('');
  say(`farm: ${images} images of ${shots} shots (${avatars} avatars × ${entries} entries, ${size} px)`);
  say(
    `  one process (run --vrm-dir)  ${seconds(figures.localMs)} = ${figures.imagesPerHour.local} images/hour`,
  );
  say(
    `  farm, 1 worker               ${seconds(figures.farm1Ms)} = ${figures.imagesPerHour.oneWorker} images/hour`,
  );
  say(
    `  farm, 2 workers              ${seconds(figures.farm2Ms)} = ${figures.imagesPerHour.twoWorkers} images/hour`,
  );
  say(
    `  queue overhead (1 worker − local): ${figures.queueOverheadPerShotMs} ms per shot, ${figures.queueOverheadPerJobMs} ms per job`,
  );
  say(
    `  one-entry jobs: ${figures.oneEntryJob.farmPerAvatarMs} ms per avatar on the farm, ${figures.oneEntryJob.localPerAvatarMs} ms locally`,
  );
  return figures;
}
