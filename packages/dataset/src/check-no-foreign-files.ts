import fs from 'node:fs/promises';
import { sha256 } from '@vrm-lora/manifest/hash';
import type { SourceReader } from './create-source-reader.js';
import { DatasetError, type PlannedFile } from './dataset-types.js';
import { readFileOrNull } from './read-file-or-null.js';

/**
 * Throws a {@link DatasetError} listing the planned files that already exist in `root` but are not in the index
 * (`indexed`), so were not written by vrm-lora. A file already holding exactly the bytes planned for it (e.g. the
 * index was deleted to start over) is adopted: writing it loses nothing.
 */
export async function checkNoForeignFiles(
  root: string,
  files: readonly PlannedFile[],
  targets: readonly string[],
  indexed: Readonly<Record<string, string | null>>,
  reader: SourceReader,
): Promise<void> {
  const foreign: string[] = [];
  for (const [i, file] of files.entries()) {
    if (file.path in indexed) continue;
    const stat = await fs.lstat(targets[i]!).catch(() => null);
    if (!stat) continue;
    const current = stat.isFile() ? await readFileOrNull(targets[i]!) : null;
    const planned = await reader.read(file);
    if (!current || sha256(current) !== sha256(planned)) foreign.push(file.path);
  }
  if (foreign.length > 0) {
    const shown =
      foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw new DatasetError(
      `Will not overwrite ${foreign.length === 1 ? 'a file' : 'files'} in ${root} that vrm-lora did not write: ${shown}. ` +
        'Move them away, or choose another output folder.',
    );
  }
}
