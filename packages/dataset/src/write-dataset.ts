import fs from 'node:fs/promises';
import path from 'node:path';
import { type TrainerName, writeFileAtomic } from '@vrm-lora/manifest';
import { type FileHashMemo, sha256 } from '@vrm-lora/manifest/hash';
import {
  type DatasetEntry,
  DatasetError,
  type DatasetOptions,
  type DatasetPlan,
  type DatasetWarning,
  type FileSource,
  type PlannedFile,
  type PlannedFileKind,
  type RegImages,
  type SkippedTrainer,
} from './dataset-types.js';
import { findRegImages } from './find-reg-images.js';
import { CONTACT_SHEET_FILE, planDatasetFiles } from './plan-dataset-files.js';

/** The writer's record of the files it wrote, in the output folder. */
export const DATASET_INDEX_FILE = '.vrm-lora-index.json';
const INDEX_FORMAT = 'vrm-lora/dataset-index';
const INDEX_VERSION = 1;

/**
 * The index: every file the tool wrote, with the SHA-256 of what it wrote, or `null` while a write is in progress
 * (a file listed as `null` is the tool's even if a run stopped half-way).
 */
interface DatasetIndex {
  format: typeof INDEX_FORMAT;
  version: typeof INDEX_VERSION;
  files: Record<string, string | null>;
}

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

/** Where one entry's files went, relative to the output folder. */
export interface DatasetEntryOutput {
  number: number;
  id?: string;
  image: string;
  /** The caption file, or `train/metadata.jsonl` for the jsonl layout. */
  caption: string;
  mask?: string;
}

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

/** Resolves a `/`-separated relative path inside `root`, or `null` if it would leave it. */
function resolveInside(root: string, relative: string): string | null {
  const resolved = path.resolve(root, ...relative.split('/'));
  const back = path.relative(root, resolved);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) return null;
  return resolved;
}

async function readSource(source: FileSource, purpose: string): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  try {
    return await fs.readFile(source.path);
  } catch (error) {
    throw new DatasetError(`Cannot read ${source.path} for ${purpose}: ${(error as Error).message}`);
  }
}

async function readFileOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readIndex(outDir: string): Promise<DatasetIndex> {
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

async function writeIndex(outDir: string, files: Record<string, string | null>): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const index: DatasetIndex = { format: INDEX_FORMAT, version: INDEX_VERSION, files: sorted };
  await writeFileAtomic(path.join(outDir, DATASET_INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
}

/**
 * Makes the folder of `target` and checks that, with symbolic links resolved, it is still inside `rootReal`
 * (a link planted inside the output folder must not redirect writes or deletions elsewhere).
 */
async function prepareFolderInside(rootReal: string, target: string, create: boolean): Promise<boolean> {
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
async function removeEmptyDirs(root: string, dir: string): Promise<void> {
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

/**
 * Writes the dataset into `outDir` (see `planDatasetFiles` for the layouts), each file through a temporary file
 * and a rename; a file whose content is already right is left untouched.
 *
 * The tool keeps `.vrm-lora-index.json` listing what it wrote. A re-run deletes files of entries that are gone
 * (unless they were edited since: those are reported in `keptModified` and left), and refuses to overwrite a file it
 * did not write (a {@link DatasetError} lists them). Files it did not write are never touched.
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
  let planOptions: DatasetOptions = { ...options, reg };
  // A contact sheet to draw is planned with a placeholder and drawn after every other file is written: bad
  // entries fail before the (slow) sheet is drawn, and the images land first (`vrm-lora watch` shows them).
  const makeSheet = options.makeContactSheet;
  const pendingSheet = !options.contactSheet && makeSheet && entries.length > 0 ? Buffer.alloc(0) : null;
  let sheet: Promise<Buffer> | null = null;
  const sourceOf = (file: PlannedFile): Promise<Buffer> => {
    if (!pendingSheet || !makeSheet || file.source !== pendingSheet)
      return readSource(file.source, file.path);
    sheet ??= makeSheet(
      [...entries]
        .sort((a, b) => a.number - b.number)
        .map((entry) => ({
          image: Buffer.isBuffer(entry.image) ? entry.image : entry.image.path,
          label: `#${entry.number} ${entry.caption.split('\n')[0]}`,
        })),
    );
    return sheet;
  };
  if (pendingSheet) planOptions = { ...planOptions, contactSheet: pendingSheet };
  const plan: DatasetPlan = planDatasetFiles(root, entries, planOptions);
  await fs.mkdir(root, { recursive: true });
  const rootReal = await fs.realpath(root);
  const index = await readIndex(root);

  const targets = plan.files.map((file) => {
    const target = resolveInside(root, file.path);
    if (!target)
      throw new DatasetError(`Planned file ${JSON.stringify(file.path)} would leave ${root}; this is a bug.`);
    return target;
  });
  const foreign: string[] = [];
  for (const [i, file] of plan.files.entries()) {
    if (file.path in index.files) continue;
    const stat = await fs.lstat(targets[i]!).catch(() => null);
    if (!stat) continue;
    // A file already holding exactly the bytes planned for it (e.g. the index was deleted to start over) is
    // adopted: writing it loses nothing.
    const current = stat.isFile() ? await readFileOrNull(targets[i]!) : null;
    const planned = await sourceOf(file);
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

  // Claim every planned path before writing, so a run stopped half-way still knows these files are ours.
  const claimed: Record<string, string | null> = { ...index.files };
  for (const file of plan.files) if (!(file.path in claimed)) claimed[file.path] = null;
  await writeIndex(root, claimed);

  const written: WrittenFile[] = [];
  const finalIndex: Record<string, string | null> = { ...claimed };
  // Files known to differ from what the index says was written (a changed image, caption or setup) first, then
  // the rest in plan order, the contact sheet last when it is drawn here.
  const rank = (file: PlannedFile): number => {
    if (file.source === pendingSheet) return 2;
    const known = Buffer.isBuffer(file.source) ? sha256(file.source) : file.source.sha256;
    return known !== undefined && index.files[file.path] !== known ? 0 : 1;
  };
  const ranks = plan.files.map(rank);
  const order = plan.files.map((_, i) => i).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
  const currentSha256 = async (target: string): Promise<string | null> => {
    if (!control.hashes) {
      const current = await readFileOrNull(target);
      return current ? sha256(current) : null;
    }
    const stat = await fs.lstat(target).catch(() => null);
    return stat?.isFile() ? control.hashes.sha256File(target) : null;
  };
  for (const i of order) {
    const file = plan.files[i]!;
    control.signal?.throwIfAborted();
    const current = await currentSha256(targets[i]!);
    // A source whose hash is known (bytes, or a checked cache file) and already in place is not read.
    const known =
      file.source === pendingSheet
        ? undefined
        : Buffer.isBuffer(file.source)
          ? sha256(file.source)
          : file.source.sha256;
    let hash = known;
    let changed = false;
    if (hash === undefined || current !== hash) {
      const bytes = await sourceOf(file);
      hash = sha256(bytes);
      changed = current !== hash;
      if (changed) {
        await prepareFolderInside(rootReal, targets[i]!, true);
        await writeFileAtomic(targets[i]!, bytes);
        await control.hashes?.remember(targets[i]!, hash);
      }
    }
    finalIndex[file.path] = hash;
    written[i] = {
      path: file.path,
      kind: file.kind,
      ...(file.entryNumber === undefined ? {} : { entryNumber: file.entryNumber }),
      sha256: hash,
      changed,
    };
  }
  const files = written.filter(Boolean);

  const planned = new Set(plan.files.map((file) => file.path));
  const removed: string[] = [];
  const keptModified: string[] = [];
  for (const [relative, recorded] of Object.entries(index.files)) {
    if (planned.has(relative)) continue;
    delete finalIndex[relative];
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
  await writeIndex(root, finalIndex);

  const ids = new Map(entries.map((entry) => [entry.number, entry.id]));
  const outputs = new Map<number, DatasetEntryOutput>();
  for (const file of plan.files) {
    if (file.entryNumber === undefined) continue;
    let output = outputs.get(file.entryNumber);
    if (!output) {
      const id = ids.get(file.entryNumber);
      output = { number: file.entryNumber, ...(id === undefined ? {} : { id }), image: '', caption: '' };
      outputs.set(file.entryNumber, output);
    }
    if (file.kind === 'image') output.image = file.path;
    else if (file.kind === 'caption') output.caption = file.path;
    else if (file.kind === 'mask') output.mask = file.path;
  }
  // The jsonl layout's captions live in its metadata.jsonl (the kohya and flat layouts write one for diffusers too).
  const metadata = plan.layout === 'jsonl' ? plan.files.find((file) => file.kind === 'metadata') : undefined;
  if (metadata) for (const output of outputs.values()) output.caption = metadata.path;
  return {
    imageDir: plan.imageDir,
    maskDir: plan.maskDir,
    outputs: [...outputs.values()],
    contactSheet: plan.files.some((file) => file.path === CONTACT_SHEET_FILE) ? CONTACT_SHEET_FILE : null,
    files,
    removed: removed.sort(),
    keptModified: keptModified.sort(),
    trainers: plan.trainers,
    skippedTrainers: plan.skippedTrainers,
    reg: plan.trainers.length > 0 ? reg : null,
    warnings: plan.warnings,
  };
}
