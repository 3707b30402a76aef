// `BENCH_PART=conditioning pnpm bench`: the cost of each conditioning kind per shot. The bench inputs are
// rendered once (cold), then for each kind, BENCH_REPEATS times: drop the cached conditioning items, run with
// `--conditioning <kind>` (every image and render cached) and subtract a no-op re-run's time. See
// docs/conditioning.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const KINDS = ['openpose', 'openpose_full', 'depth', 'normal'];

function timeRun(cliMain, inputs, outDir, cacheDir, extra) {
  const args = [cliMain, 'run', inputs.manifestFile, '--vrm', inputs.avatarFile, '--out', outDir];
  if (inputs.animationsDir) args.push('--animations', inputs.animationsDir);
  args.push('--cache-dir', cacheDir, ...extra);
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vrm-lora run failed: ${result.stderr}`);
  return performance.now() - started;
}

/** Runs the conditioning part and returns its figures (also printed with `say`). */
export function benchConditioning({ cliMain, inputs, workDir, repeats, say }) {
  const outDir = path.join(workDir, 'conditioning-out');
  const cacheDir = path.join(workDir, 'conditioning-cache');
  const coldMs = timeRun(cliMain, inputs, outDir, cacheDir, []);
  const shots = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8')).summary.written;
  say(`conditioning: ${shots} shots, cold run without conditioning ${(coldMs / 1000).toFixed(2)} s`);
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const figures = {};
  for (const kind of KINDS) {
    const perShot = [];
    for (let r = 0; r < repeats; r++) {
      fs.rmSync(path.join(cacheDir, 'conditioning'), { recursive: true, force: true });
      const noopMs = timeRun(cliMain, inputs, outDir, cacheDir, ['--conditioning', 'none']);
      const withMs = timeRun(cliMain, inputs, outDir, cacheDir, ['--conditioning', kind]);
      perShot.push((withMs - noopMs) / shots);
    }
    figures[kind] = { msPerShotMedian: Math.round(median(perShot)), msPerShotAll: perShot.map(Math.round) };
    say(
      `  ${kind.padEnd(14)} ${figures[kind].msPerShotMedian} ms per shot (${figures[kind].msPerShotAll.join(', ')})`,
    );
  }
  return { shots, coldMs: Math.round(coldMs), kinds: figures };
}
