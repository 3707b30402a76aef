import fs from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive as isAlive } from './is-process-alive.js';

/**
 * Temp names written by this project, with the writer's PID: `.<name>.<pid>.<n>.tmp` (dataset writer, before
 * `writeFileAtomic` moved to @vrm-lora/manifest),
 * `<name>.<pid>.<8 hex>.tmp` (pipeline) and cache item folders `<16 hex>-<pid>-<8 hex>` under `.tmp/`.
 */
const TEMP_FILE = /^(?:\..+\.(\d+)\.\d+|.+\.(\d+)\.[0-9a-f]{8})\.tmp$/;
const TEMP_ITEM = /^[0-9a-f]{16}-(\d+)-[0-9a-f]{8}$/;

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

/** Removes the half-built item folders of killed runs from a cache's `.tmp/` folder. Returns them. */
export async function removeStaleCacheItems(cacheRoot: string): Promise<string[]> {
  const tmp = path.join(cacheRoot, '.tmp');
  const removed: string[] = [];
  for (const d of await fs.readdir(tmp, { withFileTypes: true }).catch(() => [])) {
    const m = TEMP_ITEM.exec(d.name);
    if (m && !isAlive(Number(m[1]))) {
      await fs.rm(path.join(tmp, d.name), { recursive: true, force: true });
      removed.push(path.join(tmp, d.name));
    }
  }
  return removed;
}
