// Running the built CLI as a child process for the bench: its JSON events timestamped as they arrive, its
// process tree's memory sampled on request, and per-stage figures read from the events.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sampleProcessTree } from './process-memory.mjs';

const median = (values) => {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};
const sum = (values) => values.reduce((n, x) => n + x, 0);
const round = (n, digits = 0) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));

/**
 * Runs the CLI once with `--json`, timestamping each event line; with `sampleMemory`, samples the process
 * tree's memory every 100 ms. Timed runs are not sampled: reading every Chromium process's smaps_rollup 10
 * times a second made a cold run 0.9 s (13 %) slower on 2 cores (6.7–7.1 s plain, 7.6–8.0 s sampled).
 */
export function runCli({
  cliMain,
  inputs,
  outDir,
  cacheDir,
  pages,
  sampleMemory = false,
  sampleEveryMs = 100,
}) {
  const avatars = inputs.avatarFiles ?? [inputs.avatarFile];
  const args = [
    cliMain,
    'run',
    inputs.manifestFile,
    ...avatars.flatMap((f) => ['--vrm', f]),
    '--out',
    outDir,
    '--json',
  ];
  if (inputs.animationsDir) args.push('--animations', inputs.animationsDir);
  if (cacheDir) args.push('--cache-dir', cacheDir);
  if (pages) args.push('--pages', String(pages));
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const memory = sampleMemory ? sampleProcessTree(child.pid, sampleEveryMs) : null;
    const events = [];
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      const at = performance.now() - started;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          events.push({ at, ...JSON.parse(line) });
        } catch {
          // not an event line
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const peak = memory?.stop() ?? { rssBytes: null, pssBytes: null, processes: null, samples: 0 };
      if (code !== 0) {
        reject(new Error(`vrm-lora run exited ${code} in ${outDir}:\n${stderr.slice(-2000)}`));
        return;
      }
      resolve({ wallMs, events, peak, outDir, cacheDir: cacheDir ?? path.join(outDir, '.vrm-lora-cache') });
    });
  });
}

/** Per-stage figures of one run from its events: items done/cached, summed item time, wall span. */
export function stageFigures(events) {
  const stages = {};
  for (const stage of ['bake', 'caption', 'render', 'post']) {
    const items = events.filter((e) => e.type === 'item' && e.stage === stage);
    const start = events.find((e) => e.type === 'stage-start' && e.stage === stage);
    const end = events.find((e) => e.type === 'stage-end' && e.stage === stage);
    const done = items.filter((e) => e.status === 'done');
    stages[stage] = {
      done: done.length,
      cached: items.filter((e) => e.status === 'cached').length,
      failed: items.filter((e) => e.status === 'failed').length,
      itemMsSum: round(sum(done.map((e) => e.durationMs))),
      itemMsMedian: round(median(done.map((e) => e.durationMs))),
      spanMs: start && end ? round(end.at - start.at) : null,
    };
  }
  const postEnd = events.find((e) => e.type === 'stage-end' && e.stage === 'post');
  const dataset = events.find((e) => e.type === 'dataset');
  const runStart = events.find((e) => e.type === 'run-start');
  const runEnd = events.find((e) => e.type === 'run-end');
  stages.dataset = { spanMs: postEnd && dataset ? round(dataset.at - postEnd.at) : null };
  stages.startup = { spanMs: runStart ? round(runStart.at) : null };
  const firstRender = events.find((e) => e.type === 'item' && e.stage === 'render' && e.status === 'done');
  return {
    stages,
    browserStarted: events.some((e) => e.type === 'browser-start'),
    firstRenderMs: firstRender ? round(firstRender.durationMs) : null,
    summary: runEnd?.summary ?? null,
  };
}
