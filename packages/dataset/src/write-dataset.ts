import fs from 'node:fs/promises';
import path from 'node:path';
import type { TrainerName } from '@vrm-lora/manifest';
import type { FileHashMemo } from '@vrm-lora/manifest/hash';
import { checkNoForeignFiles } from './check-no-foreign-files.js';
import { collectEntryOutputs, type DatasetEntryOutput } from './collect-entry-outputs.js';
import { createSourceReader } from './create-source-reader.js';
import { readDatasetIndex, writeDatasetIndex } from './dataset-index.js';
import {
  type DatasetEntry,
  DatasetError,
  type DatasetOptions,
  type DatasetWarning,
  type PlannedFile,
  type RegImages,
  type SkippedTrainer,
} from './dataset-types.js';
import { findRegImages } from './find-reg-images.js';
import { CONTACT_SHEET_FILE, planDatasetFiles } from './plan-dataset-files.js';
import { resolveInside } from './prepare-folder-inside.js';
import { removeStaleFiles } from './remove-stale-files.js';
import { type WrittenFile, writePlannedFiles } from './write-planned-files.js';

/** Result of {@link writeDataset}. */
export interface WriteDatasetResult {
  /** The layout's folders, relative to the output folder. */
  imageDir: string;
  maskDir: string | null;
  /** Per entry, in entry-number order. */
  outputs: DatasetEntryOutput[];
  /** `contact-sheet.png` when one was written, else `null`. */
  contactSheet: string | null;
  /** Every file of the dataset, in plan order. */
  files: WrittenFile[];
  /** Files of earlier runs that are no longer part of the dataset and were deleted. */
  removed: string[];
  /** Files of earlier runs that are no longer part of the dataset but were edited since, so were left in place. */
  keptModified: string[];
  /** Trainers whose setups were written. */
  trainers: TrainerName[];
  /** Trainers left out of the default set, and why. */
  skippedTrainers: SkippedTrainer[];
  /** Regularisation images the setups use (`reg/`), or `null`. */
  reg: RegImages | null;
  /** E.g. sizes that are not multiples of 64, naming the entry. */
  warnings: DatasetWarning[];
}

/** Options of {@link writeDataset} beyond the dataset settings. */
export interface WriteDatasetControl {
  /** Stops between files; files already written stay consistent with the index. */
  signal?: AbortSignal;
  /**
   * Where files' hashes are remembered (a watcher's, across its cycles): a dataset file whose stat is unchanged
   * since it was written or checked is not read again. Default: every file is read.
   */
  hashes?: FileHashMemo;
}

/** Each planned file's absolute path inside `root`, in plan order. */
function resolveTargets(root: string, files: readonly PlannedFile[]): string[] {
  return files.map((file) => {
    const target = resolveInside(root, file.path);
    if (!target)
      throw new DatasetError(`Planned file ${JSON.stringify(file.path)} would leave ${root}; this is a bug.`);
    return target;
  });
}

/**
 * Writes the dataset into `outDir` (see `planDatasetFiles` for the layouts), each file through a temporary file
 * and a rename; a file whose content is already right is left untouched.
 *
 * The tool keeps `.vrm-lora-index.json` listing what it wrote. A re-run deletes files of entries that are gone
 * (unless they were edited since: those are reported in `keptModified` and left), and refuses to overwrite a file it
 * did not write (a {@link DatasetError} lists them). Files it did not write are never touched. Files known to have
 * changed since the last run are written first, a contact sheet drawn here last.
 */
export async function writeDataset(
  outDir: string,
  entries: readonly DatasetEntry[],
  options: DatasetOptions,
  control: WriteDatasetControl = {},
): Promise<WriteDatasetResult> {
  const root = path.resolve(outDir);
  const reg =
    options.reg !== undefined ? options.reg : await findRegImages(root, options.captionExtension ?? 'txt');
  const reader = createSourceReader(entries, options);
  const plan = planDatasetFiles(root, entries, {
    ...options,
    reg,
    ...(reader.pendingSheet ? { contactSheet: reader.pendingSheet } : {}),
  });
  await fs.mkdir(root, { recursive: true });
  const rootReal = await fs.realpath(root);
  const index = await readDatasetIndex(root);
  const targets = resolveTargets(root, plan.files);
  await checkNoForeignFiles(root, plan.files, targets, index.files, reader);

  // Claim every planned path before writing, so a run stopped half-way still knows these files are ours.
  const claimed: Record<string, string | null> = { ...index.files };
  for (const file of plan.files) if (!(file.path in claimed)) claimed[file.path] = null;
  await writeDatasetIndex(root, claimed);

  const { written, sha256ByPath } = await writePlannedFiles({
    rootReal,
    files: plan.files,
    targets,
    indexed: index.files,
    reader,
    signal: control.signal,
    hashes: control.hashes,
  });
  const planned = new Set(plan.files.map((file) => file.path));
  const { removed, keptModified } = await removeStaleFiles(root, rootReal, index.files, planned);
  const finalIndex: Record<string, string | null> = { ...claimed, ...sha256ByPath };
  for (const relative of Object.keys(index.files)) if (!planned.has(relative)) delete finalIndex[relative];
  await writeDatasetIndex(root, finalIndex);

  return {
    imageDir: plan.imageDir,
    maskDir: plan.maskDir,
    outputs: collectEntryOutputs(plan, entries),
    contactSheet: plan.files.some((file) => file.path === CONTACT_SHEET_FILE) ? CONTACT_SHEET_FILE : null,
    files: written,
    removed,
    keptModified,
    trainers: plan.trainers,
    skippedTrainers: plan.skippedTrainers,
    reg: plan.trainers.length > 0 ? reg : null,
    warnings: plan.warnings,
  };
}
