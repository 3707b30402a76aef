import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Why `dir` cannot be a folder to write into (it, or a folder on its way, is a file), as words to show after
 * its name; null when it is a folder or can be created. The CLI asks before writing the files of `init`,
 * `schema -o` and `shot -o`, so a wrong path is an input error naming it, not an internal EEXIST/ENOTDIR.
 */
export async function outputFolderProblem(dir: string): Promise<string | null> {
  const wanted = path.resolve(dir);
  let current = wanted;
  for (;;) {
    const stat = await fs.stat(current).catch(() => null);
    if (stat) {
      if (stat.isDirectory()) return null;
      return current === wanted
        ? 'is a file, not a folder'
        : `cannot be created: ${current} is a file, not a folder`;
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** Why `file` cannot be written as a file (it is a folder, or its folder cannot be made); null when it can. */
export async function outputFileProblem(file: string): Promise<string | null> {
  const target = path.resolve(file);
  const stat = await fs.stat(target).catch(() => null);
  if (stat?.isDirectory()) return 'is a folder: give a file name';
  const folder = path.dirname(target);
  const problem = await outputFolderProblem(folder);
  return problem ? `cannot be written: its folder ${folder} ${problem}` : null;
}
