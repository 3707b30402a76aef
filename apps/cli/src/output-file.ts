import fs from 'node:fs/promises';
import path from 'node:path';
import { checkFolderUsable } from '@vrm-lora/manifest';

/**
 * Why `file` cannot be written as a file (it is a folder, or its folder cannot be made); null when it can. The
 * CLI asks before writing the files of `schema -o` and `shot -o`, so a wrong path is an input error naming it,
 * not an internal EEXIST/ENOTDIR (`init` asks `checkFolderUsable` of its folder).
 */
export async function outputFileProblem(file: string): Promise<string | null> {
  const target = path.resolve(file);
  const stat = await fs.stat(target).catch(() => null);
  if (stat?.isDirectory()) return 'is a folder: give a file name';
  const folder = path.dirname(target);
  const problem = await checkFolderUsable(folder);
  return problem ? `cannot be written: its folder ${folder} ${problem}` : null;
}
