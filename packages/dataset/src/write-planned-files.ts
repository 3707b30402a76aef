import fs from 'node:fs/promises';
import { writeFileAtomic } from '@vrm-lora/manifest';
import { type FileHashMemo, sha256 } from '@vrm-lora/manifest/hash';
import type { SourceReader } from './create-source-reader.js';
import type { PlannedFile, PlannedFileKind } from './dataset-types.js';
import { prepareFolderInside } from './prepare-folder-inside.js';
import { readFileOrNull } from './read-file-or-null.js';

/** One file of the written dataset. */
export interface WrittenFile {
  /** Path relative to the output folder, `/`-separated. */
  path: string;
  kind: PlannedFileKind;
  entryNumber?: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
  /** `false` when the file already had this content and was left alone. */
  changed: boolean;
}

/** Input of {@link writePlannedFiles}. */
export interface WritePlannedFilesInput {
  /** The output folder with symbolic links resolved: no write leaves it. */
  rootReal: string;
  files: readonly PlannedFile[];
  /** Each planned file's absolute path, in plan order. */
  targets: readonly string[];
  /** The index as the last run left it: path → SHA-256 of what it wrote. */
  indexed: Readonly<Record<string, string | null>>;
  reader: SourceReader;
  /** Stops between files. */
  signal?: AbortSignal;
  /** Where files' hashes are remembered; without it every file in place is read. */
  hashes?: FileHashMemo;
}

/** Result of {@link writePlannedFiles}. */
export interface WritePlannedFilesResult {
  /** Every planned file, in plan order. */
  written: WrittenFile[];
  /** Path → SHA-256 of every planned file, for the index. */
  sha256ByPath: Record<string, string>;
}

/**
 * The order files are written in: files known to differ from what the index says was written (a changed image,
 * caption or setup) first, then the rest in plan order, the contact sheet last when it is drawn by the writer.
 */
export function orderPlannedFiles(
  files: readonly PlannedFile[],
  known: readonly (string | undefined)[],
  indexed: Readonly<Record<string, string | null>>,
  pendingSheet: Buffer | null,
): number[] {
  const ranks = files.map((file, i): number => {
    if (file.source === pendingSheet) return 2;
    return known[i] !== undefined && indexed[file.path] !== known[i] ? 0 : 1;
  });
  return files.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
}

/** The SHA-256 of the file at `target`, or `null` when there is no regular file there. */
async function currentSha256(target: string, hashes: FileHashMemo | undefined): Promise<string | null> {
  if (!hashes) {
    const current = await readFileOrNull(target);
    return current ? sha256(current) : null;
  }
  const stat = await fs.lstat(target).catch(() => null);
  return stat?.isFile() ? hashes.sha256File(target) : null;
}

/**
 * Writes every planned file whose content is not already in place, each through a temporary file and a rename,
 * in {@link orderPlannedFiles}'s order. A source whose hash is known (bytes, or a checked cache file) and already
 * in place is not read.
 */
export async function writePlannedFiles(input: WritePlannedFilesInput): Promise<WritePlannedFilesResult> {
  const { files, targets, reader } = input;
  const known = files.map((file) => reader.knownSha256(file));
  const written: WrittenFile[] = [];
  const sha256ByPath: Record<string, string> = {};
  for (const i of orderPlannedFiles(files, known, input.indexed, reader.pendingSheet)) {
    const file = files[i]!;
    const target = targets[i]!;
    input.signal?.throwIfAborted();
    const current = await currentSha256(target, input.hashes);
    let hash = known[i];
    let changed = false;
    if (hash === undefined || current !== hash) {
      const bytes = await reader.read(file);
      hash = sha256(bytes);
      changed = current !== hash;
      if (changed) {
        await prepareFolderInside(input.rootReal, target, true);
        await writeFileAtomic(target, bytes);
        await input.hashes?.remember(target, hash);
      }
    }
    sha256ByPath[file.path] = hash;
    written[i] = {
      path: file.path,
      kind: file.kind,
      ...(file.entryNumber === undefined ? {} : { entryNumber: file.entryNumber }),
      sha256: hash,
      changed,
    };
  }
  return { written: written.filter(Boolean), sha256ByPath };
}
