import fs from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from '@vrm-lora/manifest/hash';
import { prepareFolderInside, removeEmptyDirs, resolveInside } from './prepare-folder-inside.js';
import { readFileOrNull } from './read-file-or-null.js';

/** Result of {@link removeStaleFiles}, each list sorted. */
export interface RemoveStaleFilesResult {
  /** Files of earlier runs that are no longer planned and were deleted. */
  removed: string[];
  /** Files of earlier runs that are no longer planned but were edited since, so were left in place. */
  keptModified: string[];
}

/**
 * Deletes the files of the index (`indexed`: path → SHA-256 written) that are no longer `planned`, unless they were
 * edited since they were written, then the folders this leaves empty. Nothing outside `root` is touched.
 */
export async function removeStaleFiles(
  root: string,
  rootReal: string,
  indexed: Readonly<Record<string, string | null>>,
  planned: ReadonlySet<string>,
): Promise<RemoveStaleFilesResult> {
  const removed: string[] = [];
  const keptModified: string[] = [];
  for (const [relative, recorded] of Object.entries(indexed)) {
    if (planned.has(relative)) continue;
    const target = resolveInside(root, relative);
    if (!target) continue;
    const current = await readFileOrNull(target).catch(() => null);
    if (!current) continue;
    if (recorded !== null && sha256(current) !== recorded) {
      keptModified.push(relative);
      continue;
    }
    if (!(await prepareFolderInside(rootReal, target, false))) continue;
    await fs.rm(target, { force: true });
    removed.push(relative);
    await removeEmptyDirs(root, path.dirname(target));
  }
  return { removed: removed.sort(), keptModified: keptModified.sort() };
}
