import fs from 'node:fs/promises';
import path from 'node:path';
import { DatasetError } from './dataset-types.js';

/** Resolves a `/`-separated relative path inside `root`, or `null` if it would leave it. */
export function resolveInside(root: string, relative: string): string | null {
  const resolved = path.resolve(root, ...relative.split('/'));
  const back = path.relative(root, resolved);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) return null;
  return resolved;
}

/**
 * Makes the folder of `target` (when `create` is set) and checks that, with symbolic links resolved, it is still
 * inside `rootReal` (a link planted inside the output folder must not redirect writes or deletions elsewhere).
 * Returns `false` when the folder does not exist and `create` is not set.
 */
export async function prepareFolderInside(
  rootReal: string,
  target: string,
  create: boolean,
): Promise<boolean> {
  const dir = path.dirname(target);
  // Check the deepest folder that exists before creating anything below it.
  let existing = dir;
  let real: string | null = null;
  for (;;) {
    real = await fs.realpath(existing).catch(() => null);
    if (real || path.dirname(existing) === existing) break;
    existing = path.dirname(existing);
  }
  const back = real === null ? '..' : path.relative(rootReal, real);
  if (back.startsWith('..') || path.isAbsolute(back)) {
    throw new DatasetError(
      `${dir} leads outside the output folder ${rootReal} through a symbolic link; remove the link or choose another output folder.`,
    );
  }
  if (existing !== dir) {
    if (!create) return false;
    await fs.mkdir(dir, { recursive: true });
  }
  return true;
}

/** Removes `dir` and its parents up to (not including) `root` while they are empty. */
export async function removeEmptyDirs(root: string, dir: string): Promise<void> {
  let current = dir;
  while (current !== root && resolveInside(root, path.relative(root, current).split(path.sep).join('/'))) {
    try {
      await fs.rmdir(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}
