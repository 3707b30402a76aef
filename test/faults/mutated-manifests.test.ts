import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliOutcome, clipFbx, listTree, looksLikeCrash, runCliToEnd } from './support/fault-kit.js';
import { baseManifest, generateMutations, type ManifestMutation } from './support/mutate-manifest.js';

// Hundreds of generated bad manifests: each must give exit code 2 and a message naming the file (and the
// JSON path when there is one), never a stack trace, never a write anywhere. All go through `vrm-lora
// validate` (in one process, see support/cli-batch.mjs: the CLI's start-up would otherwise dominate), and a
// spread subset through real `vrm-lora run` processes, each with its own output folder.

const RUN_SUBSET = 30;
const CONCURRENT_RUNS = 2;

let dir: string;
let mutations: (ManifestMutation & { file: string })[];
let before: string[];
const figures = {
  generated: 0,
  validated: 0,
  runs: 0,
  commandLines: 0,
  runMs: [] as number[],
  validateMs: [] as number[],
  bigFileMs: 0,
  crashes: 0,
  writes: -1,
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-faults-manifests-'));
  await fs.writeFile(path.join(dir, 'mannequin.vrm'), await createMannequinVrm({ specVersion: '1.0' }));
  await fs.writeFile(path.join(dir, 'clip.fbx'), clipFbx('LeftArm', 60));
  await fs.writeFile(path.join(dir, 'valid.json'), JSON.stringify(baseManifest(), null, 2));
  await fs.mkdir(path.join(dir, 'manifests'));
  // Animation paths are relative to the manifest's folder.
  await fs.copyFile(path.join(dir, 'clip.fbx'), path.join(dir, 'manifests', 'clip.fbx'));
  mutations = generateMutations().map((m, i) => ({
    ...m,
    file: path.join(dir, 'manifests', `m${String(i).padStart(3, '0')}.json`),
  }));
  for (const m of mutations) await fs.writeFile(m.file, m.bytes);
  before = await listTree(dir);
});

afterAll(async () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
  process.stdout.write(
    `\nfault suite (manifests): ${figures.validated}/${figures.generated} mutated manifests refused by \`validate\` with exit 2 and a message ` +
      `(median ${median(figures.validateMs).toFixed(1)} ms each, all in one process), ${figures.runs} by \`vrm-lora run\` processes ` +
      `(median ${median(figures.runMs).toFixed(0)} ms each, nearly all start-up), ${figures.commandLines} bad command lines refused, 50 MB file refused in ${figures.bigFileMs.toFixed(0)} ms; ` +
      `stack traces: ${figures.crashes}, paths written: ${figures.writes < 0 ? 'not checked' : figures.writes}\n`,
  );
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** The checks every refused manifest must pass. */
function expectRefused(
  m: ManifestMutation & { file: string },
  r: { exitCode: number | null; stdout: string; stderr: string },
) {
  const text = `${r.stdout}${r.stderr}`;
  if (looksLikeCrash(text)) figures.crashes++;
  const label = `${m.name} (${path.basename(m.file)})`;
  expect({ label, exitCode: r.exitCode }).toEqual({ label, exitCode: 2 });
  expect(looksLikeCrash(text), `${label}: ${text}`).toBe(false);
  // validate names the file as given (relative to the working folder), run as an absolute path.
  expect(text, label).toContain(path.basename(m.file));
  if (m.mentions) expect(text, label).toContain(m.mentions);
}

describe('mutated manifests', () => {
  it('the valid base manifest validates (so each mutation is what breaks it)', async () => {
    const r = await runCliToEnd(['validate', path.join(dir, 'valid.json')], dir);
    expect(r.stdout + r.stderr).not.toContain('error');
    expect(r.exitCode).toBe(0);
  });

  it(`at least 200 mutated manifests: \`vrm-lora validate\` exits 2 with a message naming the file and path`, async () => {
    figures.generated = mutations.length;
    expect(mutations.length).toBeGreaterThanOrEqual(200);
    const casesFile = path.join(os.tmpdir(), `vrm-lora-batch-${process.pid}.json`);
    const resultsFile = `${casesFile}.out`;
    await fs.writeFile(casesFile, JSON.stringify(mutations.map((m) => ({ args: ['validate', m.file] }))));
    try {
      await promisify(execFile)(
        process.execPath,
        [fileURLToPath(new URL('./support/cli-batch.mjs', import.meta.url)), casesFile, resultsFile],
        { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
      );
      const results = JSON.parse(await fs.readFile(resultsFile, 'utf8')) as {
        exitCode: number;
        stdout: string;
        stderr: string;
        ms: number;
      }[];
      expect(results).toHaveLength(mutations.length);
      const failures: string[] = [];
      for (const [i, m] of mutations.entries()) {
        const r = results[i]!;
        figures.validateMs.push(r.ms);
        try {
          expectRefused(m, r);
          figures.validated++;
        } catch (error) {
          failures.push(
            `${(error as Error).message.split('\n')[0]}\n    output: ${(r.stdout + r.stderr).slice(0, 300)}`,
          );
        }
      }
      expect(failures).toEqual([]);
    } finally {
      await fs.rm(casesFile, { force: true });
      await fs.rm(resultsFile, { force: true });
    }
  });

  it(`a spread subset through \`vrm-lora run\`: exit 2, nothing rendered, no output folder`, async () => {
    const step = Math.max(1, Math.floor(mutations.length / RUN_SUBSET));
    const subset = mutations.filter((_, i) => i % step === 0).slice(0, RUN_SUBSET);
    expect(subset.length).toBeGreaterThanOrEqual(30);
    const outcomes: CliOutcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENT_RUNS }, async () => {
        while (next < subset.length) {
          const i = next++;
          const m = subset[i]!;
          const started = performance.now();
          outcomes[i] = await runCliToEnd(
            [
              'run',
              m.file,
              '--vrm',
              path.join(dir, 'mannequin.vrm'),
              '--out',
              path.join(dir, `out-${i}`),
              '--json',
            ],
            dir,
          );
          figures.runMs.push(performance.now() - started);
        }
      }),
    );
    for (const [i, m] of subset.entries()) {
      const r = outcomes[i]!;
      expectRefused(m, r);
      expect(r.events.filter((e) => e.type === 'item' || e.type === 'browser-start')).toEqual([]);
      figures.runs++;
    }
  });

  it('bad command lines around a valid manifest: exit 2 with a message, never a stack trace', async () => {
    const valid = path.join(dir, 'valid.json');
    const vrm = path.join(dir, 'mannequin.vrm');
    const out = path.join(dir, 'out-flags');
    const cases: { args: string[]; says: string }[] = [
      { args: ['run', valid, '--vrm', path.join(dir, 'missing.vrm'), '--out', out], says: 'missing.vrm' },
      { args: ['run', valid, '--vrm', dir, '--out', out], says: 'is a folder' },
      {
        args: ['run', valid, '--vrm', vrm, '--animations', path.join(dir, 'no-such-dir'), '--out', out],
        says: 'no-such-dir',
      },
      { args: ['run', valid, '--vrm', vrm, '--out', out, '--pages', '0'], says: '--pages' },
      { args: ['run', valid, '--vrm', vrm, '--out', out, '--pages', 'many'], says: '--pages' },
      {
        args: ['run', valid, '--vrm', vrm, '--out', out, '--force', 'everything'],
        says: '--force everything',
      },
      { args: ['run', valid, '--vrm', vrm, '--out', out, '--only', '7'], says: 'no entry number 7' },
      { args: ['run', valid, '--vrm', vrm, '--out', out, '--only', '2-1'], says: 'runs backwards' },
      { args: ['run', valid, '--vrm', vrm, '--out', out, '--frobnicate'], says: 'frobnicate' },
      { args: ['run', '--vrm', vrm, '--out', out], says: 'manifest' },
      { args: ['run', path.join(dir, 'missing.json'), '--vrm', vrm, '--out', out], says: 'file not found' },
      { args: ['run', dir, '--vrm', vrm, '--out', out], says: 'is a folder' },
      { args: ['validate', path.join(dir, 'manifests')], says: 'is a folder' },
      { args: ['frobnicate'], says: 'frobnicate' },
    ];
    const outcomes = await Promise.all(cases.map((c) => runCliToEnd(c.args, dir)));
    for (const [i, c] of cases.entries()) {
      const r = outcomes[i]!;
      const text = `${r.stdout}${r.stderr}`;
      expect({ args: c.args.join(' '), exitCode: r.exitCode }).toEqual({
        args: c.args.join(' '),
        exitCode: 2,
      });
      expect(text, c.args.join(' ')).toContain(c.says);
      expect(looksLikeCrash(text), text).toBe(false);
      if (looksLikeCrash(text)) figures.crashes++;
      figures.commandLines++;
    }
  });

  it('a 50 MB manifest is refused by size, quickly', async () => {
    const big = path.join(dir, 'big.json');
    const m = baseManifest();
    (m.dataCollection as Record<string, unknown>[])[0]!.description = 'x'.repeat(50 * 1024 * 1024);
    await fs.writeFile(big, JSON.stringify(m));
    try {
      const started = performance.now();
      const r = await runCliToEnd(
        ['run', big, '--vrm', path.join(dir, 'mannequin.vrm'), '--out', path.join(dir, 'out-big')],
        dir,
      );
      figures.bigFileMs = performance.now() - started;
      expectRefused({ name: '50 MB', bytes: Buffer.alloc(0), file: big }, r);
      expect(r.stderr).toMatch(/50\.0 MB; a manifest may be at most \d+ MB/);
    } finally {
      await fs.rm(big, { force: true });
    }
  });

  it('nothing was written anywhere in the work folder: not even an empty output folder', async () => {
    const after = await listTree(dir);
    figures.writes =
      after.filter((p) => !before.includes(p)).length + before.filter((p) => !after.includes(p)).length;
    expect(after).toEqual(before);
  });
});
