import { checkEntries } from './check-entries.js';
import type { DatasetEntry, DatasetOptions, DatasetPlan } from './dataset-types.js';
import { makeIndexHtml } from './make-index-html.js';
import { planConditioningFiles } from './plan-conditioning-files.js';
import { planDatasetTrainers } from './plan-dataset-trainers.js';
import { planEntryFiles } from './plan-entry-files.js';
import { resolvePlanSettings } from './resolve-plan-settings.js';

/** File names of the preview files in the output folder. */
export const CONTACT_SHEET_FILE = 'contact-sheet.png';
export const INDEX_HTML_FILE = 'index.html';
/** The sd-scripts dataset config. */
export const DATASET_TOML_FILE = 'dataset.toml';

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
  const settings = resolvePlanSettings(outDir, options);
  const { layout, imageDir, maskDir } = settings;
  const sorted = [...entries].sort((a, b) => a.number - b.number);
  const entryPlan = planEntryFiles(sorted, settings);
  const files = [...entryPlan.files];
  // With no entry (all failed, or none selected) only index.html is written; earlier files are removed.
  const setups =
    sorted.length > 0
      ? planDatasetTrainers(sorted, entryPlan.imageNames, settings, options.reg ?? null, options.trainers)
      : { files: [], trainers: [], skippedTrainers: [], warnings: [] };
  files.push(...setups.files);
  files.push(
    ...planConditioningFiles({
      layout,
      imageDir,
      placed: entryPlan.placed,
      captionExtension: settings.captionExtension,
      repeats: settings.repeats,
      keepTokens: settings.keepTokens,
      tomlPath: settings.configPath,
    }),
  );
  const contactSheet = options.contactSheet && sorted.length > 0 ? options.contactSheet : null;
  if (contactSheet) files.push({ path: CONTACT_SHEET_FILE, kind: 'preview', source: contactSheet });
  const html = makeIndexHtml(entryPlan.htmlEntries, {
    title: `${settings.trigger || 'vrm-lora'} dataset`,
    contactSheetPath: contactSheet ? CONTACT_SHEET_FILE : null,
  });
  files.push({ path: INDEX_HTML_FILE, kind: 'preview', source: Buffer.from(html, 'utf8') });
  const { trainers, skippedTrainers, warnings } = setups;
  return { layout, imageDir, maskDir, files, trainers, skippedTrainers, warnings };
}
