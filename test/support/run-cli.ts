import path from 'node:path';
import { execa, type Result } from 'execa';
import { repoRoot } from './shared-assets.js';

/** The built CLI, as a user runs it (`pnpm build` first; `pnpm test` does). */
export const cliMain = path.join(repoRoot, 'apps', 'cli', 'dist', 'main.js');

/** Runs `vrm-lora <args>` and never throws on a non-zero exit: tests assert the code. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Result> {
  return execa(process.execPath, [cliMain, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...options.env, CI: '1' },
    reject: false,
    timeout: 300_000,
  });
}

/** The `--json` events a run printed. */
export function jsonEvents(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** How many items each stage computed (`done`), served from the cache, or failed. */
export function stageCounts(
  events: Record<string, unknown>[],
): Record<string, { done: number; cached: number; failed: number }> {
  const out: Record<string, { done: number; cached: number; failed: number }> = {};
  for (const e of events) {
    if (e.type !== 'item') continue;
    const s = out[e.stage as string] ?? { done: 0, cached: 0, failed: 0 };
    s[e.status as 'done' | 'cached' | 'failed']++;
    out[e.stage as string] = s;
  }
  return out;
}
