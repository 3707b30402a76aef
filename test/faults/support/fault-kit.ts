import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Quaternion, Vector3 } from 'three';
import { writeSyntheticMixamoFbx } from '../../../packages/pose-baker/test/support/synthetic-mixamo-rig.js';
import { cliMain } from '../../support/run-cli.js';
import { repoRoot } from '../../support/shared-assets.js';

/** The cache folder inside an output folder (the pipeline's default). */
export const CACHE_DIR_NAME = '.vrm-lora-cache';

/**
 * A Mixamo-rig clip (the project's own ASCII FBX writer) raising one arm by `maxDegrees` at frame 9 (and on
 * past it, over `frameCount` frames: a long clip makes baking slow enough to be interrupted).
 */
export function clipFbx(bone: 'LeftArm' | 'RightArm', maxDegrees: number, frameCount = 10): string {
  const raise = (frame: number) =>
    new Quaternion().setFromAxisAngle(new Vector3(0, 0, 1), ((maxDegrees * frame) / 9) * (Math.PI / 180));
  return writeSyntheticMixamoFbx([
    {
      name: 'mixamo.com',
      frameRate: 30,
      frameCount,
      rotations: { Hips: () => new Quaternion(), [bone]: raise },
    },
  ]);
}

/** One line of `--json` output. */
export type CliEvent = Record<string, unknown>;

/** What a finished CLI process left. */
export interface CliOutcome {
  /** Exit code, or null when killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: CliEvent[];
}

/** A running `vrm-lora` process whose `--json` events can be watched as they arrive. */
export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is drained. */
  done: Promise<CliOutcome>;
}

/**
 * Starts the built CLI (`node apps/cli/dist/main.js <args>`) and calls `onEvent` for each `--json` event line
 * as it arrives, so a test can act (e.g. SIGKILL) at a precise point of the run.
 */
export function startCli(
  args: string[],
  options: { cwd?: string; onEvent?: (event: CliEvent, run: CliRun) => void } = {},
): CliRun {
  const child = spawn(process.execPath, [cliMain, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const events: CliEvent[] = [];
  const run = { child } as CliRun;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as CliEvent;
      events.push(event);
      options.onEvent?.(event, run);
    }
  });
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });
  run.done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr, events }));
  });
  return run;
}

/** Runs the CLI to the end. */
export async function runCliToEnd(args: string[], cwd?: string): Promise<CliOutcome> {
  return startCli(args, cwd ? { cwd } : {}).done;
}

/** Every file under `dir` (relative POSIX paths → sha256), skipping folders for which `skip` says so. */
export async function hashTree(
  dir: string,
  skip: (relative: string) => boolean = () => false,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (current: string) => {
    for (const d of await fs.readdir(current, { withFileTypes: true })) {
      const full = path.join(current, d.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (skip(relative)) continue;
      if (d.isDirectory()) await walk(full);
      else
        out.set(
          relative,
          createHash('sha256')
            .update(await fs.readFile(full))
            .digest('hex'),
        );
    }
  };
  await walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every path (files and folders, with file sizes) under `dir`, for "nothing was written" checks. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (current: string) => {
    for (const d of await fs.readdir(current, { withFileTypes: true })) {
      const full = path.join(current, d.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      if (d.isDirectory()) {
        out.push(`${relative}/`);
        await walk(full);
      } else out.push(`${relative} ${(await fs.lstat(full)).size}`);
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * What counts as a run's output: every file in the output folder except the cache folder (`.vrm-lora-cache/`,
 * the tool's private store, checked separately) and `report.json`, which is compared after dropping what
 * legitimately differs between a fresh and a resumed run (timings, browser start, per-stage cached/done, and
 * the GL renderer string, known only in a run that started the browser; the backend stays compared).
 */
export async function outputDigest(outDir: string): Promise<Map<string, string>> {
  const files = await hashTree(outDir, (r) => r === CACHE_DIR_NAME || r === 'report.json');
  const report = JSON.parse(await fs.readFile(path.join(outDir, 'report.json'), 'utf8')) as {
    summary: Record<string, unknown>;
    entries: Record<string, unknown>[];
    renderer?: Record<string, unknown>;
  };
  const stable = {
    ...report,
    ...(report.renderer ? { renderer: { ...report.renderer, glRenderer: null, browserStarted: false } } : {}),
    summary: { ...report.summary, durationMs: 0, browserStarted: false, stages: null },
    entries: report.entries.map((e) => ({ ...e, stages: null })),
  };
  files.set('report.json (timings and per-stage cache status dropped)', JSON.stringify(stable));
  // `last-run.json` (what `explain` compares against) also records runtime facts (page bundle hash, browser
  // version) and the upstream keys derived from them: equal for two runs of one build; dropped so a rebuild
  // between runs (another engineer's `pnpm build`) is not mistaken for a loss. Params and inputs stay compared.
  const lastRun = JSON.parse(await fs.readFile(path.join(outDir, '.vrm-lora', 'last-run.json'), 'utf8')) as {
    entries: { keys: Record<string, { runtime?: unknown; upstream?: unknown }> }[];
  };
  for (const e of lastRun.entries)
    for (const k of Object.values(e.keys)) {
      delete k.runtime;
      delete k.upstream;
    }
  files.set('.vrm-lora/last-run.json', JSON.stringify(lastRun));
  return files;
}

/** Half-written things anywhere under `dir`: `*.tmp` files, and item folders in the cache's `.tmp/`. */
export async function findTempFiles(dir: string): Promise<string[]> {
  const all = await listTree(dir);
  return all
    .filter((p) => /\.tmp( \d+)?$/.test(p) || /(^|\/)\.vrm-lora-cache\/\.tmp\/./.test(p))
    .map((p) => p.replace(/ \d+$/, ''));
}

/** Sizes of every file under `dir` in bytes. */
export async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const line of await listTree(dir).catch(() => [])) {
    const m = / (\d+)$/.exec(line);
    if (m) total += Number(m[1]);
  }
  return total;
}

/** The PID of each direct child of `pid` (from /proc), with its command line. */
export async function childProcesses(pid: number): Promise<{ pid: number; cmdline: string }[]> {
  const found: { pid: number; cmdline: string }[] = [];
  for (const name of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await fs.readFile(`/proc/${name}/stat`, 'utf8');
      // Field 4 (after the parenthesised command, which may contain spaces) is the parent PID.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pid) continue;
      const cmdline = (await fs.readFile(`/proc/${name}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim();
      found.push({ pid: Number(name), cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** True when `text` looks like a leaked stack trace or an unhandled crash. */
export function looksLikeCrash(text: string): boolean {
  return (
    /^\s+at .+/m.test(text) || /internal error/i.test(text) || /Unhandled|TypeError:|RangeError:/.test(text)
  );
}

/** The manifest used by the kill/corruption tests: 8 small shots from 2 built-in poses and 2 FBX clips. */
export function faultManifest(): Record<string, unknown> {
  const shot = (animationPath: string, frame: number, cameraPosition: string, description: string) => ({
    animationPath,
    animationFrame: frame,
    cameraPosition,
    cameraFrame: 'fullShot',
    description,
  });
  return {
    width: 128,
    height: 128,
    topFrameOffsetPixels: 6,
    bottomFrameOffsetPixels: 6,
    backgroundGrayscale: 0.5,
    backgroundDescription: 'plain grey background',
    dataCollection: [
      shot('builtin:waving', 0, 'front', 'a mannequin waving'),
      shot('left.fbx', 2, 'front', 'left arm a little up'),
      shot('left.fbx', 5, 'left', 'left arm half up'),
      shot('left.fbx', 9, 'front-right', 'left arm up'),
      shot('right.fbx', 3, 'back', 'right arm a little up'),
      shot('right.fbx', 6, 'right', 'right arm half up'),
      shot('right.fbx', 9, 'front-left-top', 'right arm up'),
      shot('builtin:kneeling', 0, 'front', 'a mannequin kneeling'),
    ],
  };
}

/** The JSON chunk of a GLB (binary glTF) and its binary chunk. */
export function readGlb(glb: Uint8Array): { json: Record<string, unknown>; bin: Buffer } {
  const bytes = Buffer.from(glb);
  const jsonLength = bytes.readUInt32LE(12);
  const json = JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8')) as Record<string, unknown>;
  const binStart = 20 + jsonLength;
  const binLength = bytes.readUInt32LE(binStart);
  return { json, bin: bytes.subarray(binStart + 8, binStart + 8 + binLength) };
}

/** A GLB from a JSON chunk and a binary chunk (each padded to 4 bytes, as the format requires). */
export function writeGlb(json: Record<string, unknown>, bin: Buffer): Buffer {
  const pad = (b: Buffer, fill: number) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4, fill)]);
  const jsonChunk = pad(Buffer.from(JSON.stringify(json)), 0x20);
  const binChunk = pad(bin, 0);
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0x46546c67, 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(12 + 8 + jsonChunk.length + 8 + binChunk.length, 8);
  const chunkHeader = (length: number, type: number) => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(length, 0);
    h.writeUInt32LE(type, 4);
    return h;
  };
  return Buffer.concat([
    header,
    chunkHeader(jsonChunk.length, 0x4e4f534a),
    jsonChunk,
    chunkHeader(binChunk.length, 0x004e4942),
    binChunk,
  ]);
}
