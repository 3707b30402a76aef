import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Why `dir` cannot be used as a folder to write into (it, or a folder on its way, is a file), as words to show
 * after its name; null when it is a folder or can be created. Asked before writing: `run`'s output and cache
 * folders, and the files of `init`, `schema -o` and `shot -o`.
 */
export async function checkFolderUsable(dir: string): Promise<string | null> {
  let current = path.resolve(dir);
  for (;;) {
    const stat = await fs.stat(current).catch(() => null);
    if (stat) {
      if (stat.isDirectory()) return null;
      return current === path.resolve(dir)
        ? 'is a file, not a folder'
        : `cannot be created: ${current} is a file, not a folder`;
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}
