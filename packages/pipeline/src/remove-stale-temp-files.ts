import fs from 'node:fs/promises';
import path from 'node:path';
import { HOST_TAG } from './host-tag.js';
import { isProcessAlive as isAlive } from './is-process-alive.js';

/**
 * Temp names written by this project, with the writer's PID: `.<name>.<pid>.<n>.tmp` (dataset writer, before
 * `writeFileAtomic` moved to @vrm-lora/manifest),
 * `<name>.<pid>.<8 hex>.tmp` (pipeline) and cache item folders `<16 hex>-<pid>-<8 hex>` under `.tmp/`.
 */
const TEMP_FILE = /^(?:\..+\.(\d+)\.\d+|.+\.(\d+)\.[0-9a-f]{8})\.tmp$/;
const TEMP_ITEM = /^[0-9a-f]{16}-(\d+)-[0-9a-f]{8}(?:-([0-9a-f]{8}))?$/;
/** A half-built item of another host (a cache on shared storage) is only removed once it is this old. */
const FOREIGN_ITEM_MAX_AGE_MS = 24 * 3600_000;

/**
 * Removes the temp files a killed run left under `dir` (recursively, not following links, skipping `skip`):
 * only names this project writes, and only when the process that wrote them is gone, so a run working in the
 * same folder at the same time keeps its own. Returns the removed paths.
 */
export async function removeStaleTempFiles(dir: string, skip: string[] = []): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await fs.readdir(current, { withFileTypes: true }).catch(() => []);
    for (const d of entries) {
      const full = path.join(current, d.name);
      if (skip.includes(full)) continue;
      if (d.isDirectory()) {
        await walk(full);
        continue;
      }
      const m = d.isFile() ? TEMP_FILE.exec(d.name) : null;
      if (m && !isAlive(Number(m[1] ?? m[2]))) {
        await fs.rm(full, { force: true });
        removed.push(full);
      }
    }
  };
  await walk(dir);
  return removed;
}

/**
 * Removes the half-built item folders of killed runs from a cache's `.tmp/` folder. Returns them. A folder of
 * another host (its name ends with that host's tag: a cache shared between machines) is removed only after a
 * day, since its writer's pid means nothing here.
 */
export async function removeStaleCacheItems(cacheRoot: string): Promise<string[]> {
  const tmp = path.join(cacheRoot, '.tmp');
  const removed: string[] = [];
  for (const d of await fs.readdir(tmp, { withFileTypes: true }).catch(() => [])) {
    const m = TEMP_ITEM.exec(d.name);
    const foreign = m?.[2] !== undefined && m[2] !== HOST_TAG;
    const stale = foreign
      ? Date.now() - ((await fs.stat(path.join(tmp, d.name)).catch(() => null))?.mtimeMs ?? Date.now()) >
        FOREIGN_ITEM_MAX_AGE_MS
      : m && !isAlive(Number(m[1]));
    if (m && stale) {
      await fs.rm(path.join(tmp, d.name), { recursive: true, force: true });
      removed.push(path.join(tmp, d.name));
    }
  }
  return removed;
}
