import path from 'node:path';
import { writeFileAtomic } from '@vrm-lora/manifest';
import { DatasetError } from './dataset-types.js';
import { readFileOrNull } from './read-file-or-null.js';

/** The writer's record of the files it wrote, in the output folder. */
export const DATASET_INDEX_FILE = '.vrm-lora-index.json';
const INDEX_FORMAT = 'vrm-lora/dataset-index';
const INDEX_VERSION = 1;

/**
 * The index: every file the tool wrote, with the SHA-256 of what it wrote, or `null` while a write is in progress
 * (a file listed as `null` is the tool's even if a run stopped half-way).
 */
export interface DatasetIndex {
  format: typeof INDEX_FORMAT;
  version: typeof INDEX_VERSION;
  files: Record<string, string | null>;
}

/** The index of `outDir`, empty when there is none; a file that is not an index is a {@link DatasetError}. */
export async function readDatasetIndex(outDir: string): Promise<DatasetIndex> {
  const file = path.join(outDir, DATASET_INDEX_FILE);
  const bytes = await readFileOrNull(file);
  if (!bytes) return { format: INDEX_FORMAT, version: INDEX_VERSION, files: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = null;
  }
  const index = parsed as Partial<DatasetIndex> | null;
  if (
    !index ||
    index.format !== INDEX_FORMAT ||
    index.version !== INDEX_VERSION ||
    typeof index.files !== 'object' ||
    index.files === null
  ) {
    throw new DatasetError(
      `${file} is not a vrm-lora dataset index (format ${INDEX_FORMAT} v${INDEX_VERSION}). ` +
        'Delete it to start over: files already holding what this run writes are taken over, any others are left alone as if they were yours.',
    );
  }
  return index as DatasetIndex;
}

/** Writes the index of `outDir` (atomically), its files sorted by path. */
export async function writeDatasetIndex(outDir: string, files: Record<string, string | null>): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const index: DatasetIndex = { format: INDEX_FORMAT, version: INDEX_VERSION, files: sorted };
  await writeFileAtomic(path.join(outDir, DATASET_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
}
