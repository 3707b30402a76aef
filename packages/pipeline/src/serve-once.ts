import fs from 'node:fs/promises';
import path from 'node:path';
import type { CacheItem, CacheStore } from './cache-store.js';
import { HOST_TAG } from './host-tag.js';
import { isProcessAlive } from './is-process-alive.js';

/** How often a claim's holder touches it, and how long a claim of another host lives untouched. */
const HEARTBEAT_MS = 5_000;
const FOREIGN_CLAIM_STALE_MS = 30_000;
/** How often a process waiting for another's item looks for it. */
const POLL_MS = 100;

/**
 * Computes a cache item once across every process sharing the cache (farm workers on shared storage, two runs
 * on one cache): the first to ask claims it (`<cache>/.claims/<stage>-<key>`, created exclusively) and
 * `compute`s it; the others wait and get the stored item (`made: false`). A claim whose holder died is taken
 * over: at once when it was this host's (its pid is gone), after 30 s without its 5 s heartbeat otherwise.
 * A holder that fails leaves no item: a waiter then claims and computes it itself.
 */
export async function serveOnce<T>(
  cache: CacheStore,
  stage: string,
  key: string,
  compute: () => Promise<CacheItem<T>>,
  signal?: AbortSignal,
): Promise<{ item: CacheItem<T>; made: boolean }> {
  const claim = path.join(cache.root, '.claims', `${stage}-${key}`);
  for (;;) {
    signal?.throwIfAborted();
    if (await tryClaim(claim)) {
      const heartbeat = setInterval(() => {
        const now = new Date();
        fs.utimes(claim, now, now).catch(() => {});
      }, HEARTBEAT_MS);
      try {
        // Stored by another between this process's miss and its claim.
        const stored = await cache.get<T>(stage, key);
        if ('hit' in stored) return { item: stored.hit, made: false };
        return { item: await compute(), made: true };
      } finally {
        clearInterval(heartbeat);
        await fs.rm(claim, { force: true });
      }
    }
    const stored = await waitForOther<T>(cache, stage, key, claim, signal);
    if (stored) return { item: stored, made: false };
  }
}

/** Creates the claim file (host tag and pid); false when another process holds it. */
async function tryClaim(claim: string): Promise<boolean> {
  await fs.mkdir(path.dirname(claim), { recursive: true });
  try {
    await fs.writeFile(claim, `${HOST_TAG} ${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Waits for the claim's holder: its item once stored, or null once the claim is gone or stale (removed). */
async function waitForOther<T>(
  cache: CacheStore,
  stage: string,
  key: string,
  claim: string,
  signal: AbortSignal | undefined,
): Promise<CacheItem<T> | null> {
  for (;;) {
    if (await cache.has(stage, key)) {
      const stored = await cache.get<T>(stage, key);
      if ('hit' in stored) return stored.hit;
    }
    const holder = await readClaim(claim);
    if (!holder) return null;
    if (holder.stale) {
      await fs.rm(claim, { force: true });
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    signal?.throwIfAborted();
  }
}

async function readClaim(claim: string): Promise<{ stale: boolean } | null> {
  const [text, stat] = await Promise.all([
    fs.readFile(claim, 'utf8').catch(() => null),
    fs.stat(claim).catch(() => null),
  ]);
  if (text === null || stat === null) return null;
  const [host, pid] = text.trim().split(' ');
  if (host === HOST_TAG && pid) return { stale: !isProcessAlive(Number(pid)) };
  // Another host's (or a claim still being written): alive while its holder touches it.
  return { stale: Date.now() - stat.mtimeMs > FOREIGN_CLAIM_STALE_MS };
}
