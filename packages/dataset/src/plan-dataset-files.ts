import path from 'node:path';
import type { TrainerName } from '@vrm-lora/manifest';
import {
  type DatasetEntry,
  DatasetError,
  type DatasetOptions,
  type DatasetPlan,
  type DatasetWarning,
  type PlannedFile,
  type SkippedTrainer,
} from './dataset-types.js';
import { makeIndexHtml } from './make-index-html.js';
import { type PlacedEntry, planConditioningFiles } from './plan-conditioning-files.js';
import { chooseTrainers, planTrainerFiles } from './plan-trainer-files.js';
import { makeEntryStem, makeSafeSegment, padEntryNumber } from './safe-names.js';
import { bucketWarnings, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/** Folder of training files for the `flat` and `jsonl` layouts, so previews beside them are not trained on. */
export const TRAIN_DIR = 'train';
/** File names of the preview files in the output folder. */
export const CONTACT_SHEET_FILE = 'contact-sheet.png';
export const INDEX_HTML_FILE = 'index.html';
/** The sd-scripts dataset config. */
export const DATASET_TOML_FILE = 'dataset.toml';

function describeEntry(entry: DatasetEntry): string {
  return entry.jsonPath ? `${entry.jsonPath} (entry ${entry.number})` : `entry ${entry.number}`;
}

function checkEntries(entries: readonly DatasetEntry[]): void {
  const seen = new Set<number>();
  for (const entry of entries) {
    if (!Number.isInteger(entry.number) || entry.number < 1) {
      throw new DatasetError(
        `Entry number ${entry.number} of ${describeEntry(entry)} must be a whole number from 1.`,
      );
    }
    if (seen.has(entry.number))
      throw new DatasetError(`Entry number ${entry.number} appears twice; numbers must be unique.`);
    seen.add(entry.number);
    if (/\r/.test(entry.caption) || entry.caption.split('\n').some((line) => line.trim() === '')) {
      throw new DatasetError(
        `The caption of ${describeEntry(entry)} must be one or more non-empty lines separated by \\n (no empty line, no \\r).`,
      );
    }
    if (!(entry.width > 0 && entry.height > 0)) {
      throw new DatasetError(
        `The image size of ${describeEntry(entry)} is missing (${entry.width}×${entry.height}).`,
      );
    }
  }
}

/**
 * Every file a dataset write produces, with its path relative to the output folder:
 *
 * - `kohya`: `img/<repeats>_<trigger> <class>/<stem>.<ext>` + `<stem>.<txt|caption>`, masks in
 *   `mask/<same folder>/<stem>.png`;
 * - `flat`: `train/0001.<ext>` + `train/0001.txt` (CharacterStudio's names), masks in `masks/0001.png`;
 * - `jsonl`: `train/<stem>.<ext>` + `train/metadata.jsonl` (`file_name`, `text`), masks in `masks/<stem>.png`;
 * - the setups of every trainer chosen (`planTrainerFiles`: `dataset.toml`, `ai-toolkit.yaml`, …, `TRAINING.md`),
 *   with paths relative to the output folder unless `configPaths` is `absolute`; warnings for sizes that are not
 *   multiples of 64;
 * - always `index.html`, and `contact-sheet.png` when given.
 *
 * With no entries only `index.html` is planned (a re-run then removes every earlier file).
 *
 * `<stem>` is the padded entry number and a slug of the description (`0004-a-person-sitting-on-the-floor`); no
 * name is built from unsanitised text. `outDir` is used only for absolute paths in the configs.
 */
export function planDatasetFiles(
  outDir: string,
  entries: readonly DatasetEntry[],
  options: DatasetOptions,
): DatasetPlan {
  checkEntries(entries);
  const layout = options.layout ?? 'kohya';
  const repeats = options.repeats ?? 10;
  const captionExtension = options.captionExtension ?? 'txt';
  const keepTokens = options.keepTokens ?? 1;
  const maskMode = options.maskMode ?? 'none';
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new DatasetError(`repeats must be a whole number from 1, got ${repeats}.`);
  }
  if (!Number.isInteger(keepTokens) || keepTokens < 0) {
    throw new DatasetError(`keep_tokens must be a whole number from 0, got ${keepTokens}.`);
  }
  const classToken = (options.classToken ?? '').trim();
  const trigger = options.trigger.trim();
  const classTokens = [trigger, classToken].filter(Boolean).join(' ');
  const sorted = [...entries].sort((a, b) => a.number - b.number);
  const numberWidth = Math.max(4, String(sorted[sorted.length - 1]?.number ?? 0).length);

  let imageDir: string;
  let maskDir: string | null = null;
  if (layout === 'kohya') {
    const folder = makeSafeSegment(`${repeats}_${classTokens || 'subject'}`);
    imageDir = `img/${folder}`;
    if (maskMode === 'separate') maskDir = `mask/${folder}`;
  } else {
    imageDir = TRAIN_DIR;
    if (maskMode === 'separate') maskDir = 'masks';
  }

  const files: PlannedFile[] = [];
  const placed: PlacedEntry[] = [];
  const htmlEntries = [];
  const imageNames: string[] = [];
  for (const entry of sorted) {
    const stem =
      layout === 'flat'
        ? padEntryNumber(entry.number, numberWidth)
        : makeEntryStem(entry.number, entry.description, numberWidth);
    const imageName = `${stem}.${entry.imageExtension}`;
    const imagePath = `${imageDir}/${imageName}`;
    files.push({ path: imagePath, kind: 'image', entryNumber: entry.number, source: entry.image });
    imageNames.push(imageName);
    if (layout !== 'jsonl') {
      files.push({
        path: `${imageDir}/${stem}.${captionExtension}`,
        kind: 'caption',
        entryNumber: entry.number,
        source: Buffer.from(entry.caption, 'utf8'),
      });
    }
    if (maskDir) {
      if (!entry.mask) {
        throw new DatasetError(
          `${describeEntry(entry)} has no mask, but masks are "separate"; post-process it again.`,
        );
      }
      files.push({
        path: `${maskDir}/${stem}.png`,
        kind: 'mask',
        entryNumber: entry.number,
        source: entry.mask,
      });
    }
    htmlEntries.push({ number: entry.number, caption: entry.caption.split('\n').join(' · '), imagePath });
    placed.push({ entry, stem, imagePath });
  }

  // With no entry (all failed, or none selected) only index.html is written; earlier files are removed.
  let trainers: TrainerName[] = [];
  let skippedTrainers: SkippedTrainer[] = [];
  let warnings: DatasetWarning[] = [];
  if (sorted.length > 0) {
    const configPath = (relative: string) =>
      options.configPaths === 'absolute' ? path.resolve(outDir, ...relative.split('/')) : relative;
    const reg = options.reg ?? null;
    const lines = sorted.map((entry) => entry.caption.split('\n'));
    const info: TrainerDatasetInfo = {
      imageDir: configPath(imageDir),
      maskDir: maskDir ? configPath(maskDir) : null,
      regDir: reg ? configPath(reg.dir) : null,
      reg,
      maskMode,
      captionExtension,
      repeats,
      trigger,
      classToken,
      classTokens,
      keepTokens,
      sizes: sorted.map((entry) => [entry.width, entry.height] as const),
      multiLineCaptions: lines.some((entryLines) => entryLines.length > 1),
      captionLines: lines.flat(),
    };
    ({ trainers, skipped: skippedTrainers } = chooseTrainers(options.trainers, layout, info));
    files.push(
      ...planTrainerFiles({
        layout,
        imageDirRelative: imageDir,
        info,
        trainers,
        skipped: skippedTrainers,
        metadata: sorted.map((_entry, i) => ({ fileName: imageNames[i] ?? '', lines: lines[i] ?? [] })),
      }),
    );
    warnings = bucketWarnings(sorted.map((entry) => ({ ...entry, label: describeEntry(entry) })));
  }
  files.push(
    ...planConditioningFiles({
      layout,
      imageDir,
      placed,
      captionExtension,
      repeats,
      keepTokens,
      tomlPath: (relative) =>
        options.configPaths === 'absolute' ? path.resolve(outDir, ...relative.split('/')) : relative,
    }),
  );
  if (options.contactSheet && sorted.length > 0)
    files.push({ path: CONTACT_SHEET_FILE, kind: 'preview', source: options.contactSheet });
  const html = makeIndexHtml(htmlEntries, {
    title: `${trigger || 'vrm-lora'} dataset`,
    contactSheetPath: options.contactSheet && sorted.length > 0 ? CONTACT_SHEET_FILE : null,
  });
  files.push({ path: INDEX_HTML_FILE, kind: 'preview', source: Buffer.from(html, 'utf8') });
  return { layout, imageDir, maskDir, files, trainers, skippedTrainers, warnings };
}
