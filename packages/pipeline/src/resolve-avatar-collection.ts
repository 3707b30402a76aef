import fs from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { collectionFolderOf } from './avatar-target.js';
import { PipelineInputError } from './pipeline-error.js';

/**
 * The VRM files of a collection, sorted by path: `spec` is a folder (its `*.vrm` files, not recursive), a glob
 * (`avatars/**\/*.vrm`), or a list file (one path a line, relative to the list file; blank lines and `#`
 * comments skipped). Throws `PipelineInputError` when it names no avatar, or when two avatars would write
 * into the same dataset folder (their triggers from file names are equal).
 */
export async function resolveAvatarCollection(spec: string, cwd = process.cwd()): Promise<string[]> {
  const full = path.resolve(cwd, spec);
  const stat = await fs.stat(full).catch(() => null);
  let files: string[];
  if (stat?.isDirectory()) {
    const names = await fs.readdir(full, { withFileTypes: true });
    files = names
      .filter((d) => (d.isFile() || d.isSymbolicLink()) && /\.vrm$/i.test(d.name))
      .map((d) => path.join(full, d.name));
    if (files.length === 0)
      throw new PipelineInputError(
        `--vrm-dir ${spec}: no .vrm files in this folder (sub-folders are not searched: give a glob such as "${path.join(spec, '**', '*.vrm')}")`,
      );
  } else if (stat?.isFile()) {
    files = await readListFile(full, spec);
  } else if (isDynamicPattern(spec)) {
    files = await glob([spec], { cwd, absolute: true, onlyFiles: true });
    if (files.length === 0) throw new PipelineInputError(`--vrm-dir ${spec}: the glob matches no file`);
  } else {
    throw new PipelineInputError(
      `--vrm-dir ${spec}: no such folder or file; give a folder of .vrm files, a glob, or a list file`,
    );
  }
  const unique = [...new Set(files.map((f) => path.resolve(f)))].sort();
  checkDistinctFolders(unique);
  return unique;
}

async function readListFile(file: string, spec: string): Promise<string[]> {
  const bytes = await fs.readFile(file);
  if (bytes.subarray(0, 4).toString('latin1') === 'glTF')
    throw new PipelineInputError(
      `--vrm-dir ${spec}: is a VRM file, not a folder or a list of files; give it with --vrm`,
    );
  const dir = path.dirname(file);
  const files = bytes
    .toString('utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => path.resolve(dir, line));
  if (files.length === 0)
    throw new PipelineInputError(`--vrm-dir ${spec}: the list file names no avatar (one path a line)`);
  return files;
}

/** Two avatars whose file names give one dataset folder would overwrite each other's datasets. */
function checkDistinctFolders(files: string[]): void {
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = collectionFolderOf(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  const clashes = [...byFolder].filter(([, same]) => same.length > 1);
  if (clashes.length > 0)
    throw new PipelineInputError(
      clashes
        .map(
          ([folder, same]) =>
            `avatars ${same.join(', ')} would all write the dataset folder "${folder}" (the trigger comes from the file name); rename all but one`,
        )
        .join('\n'),
    );
}
