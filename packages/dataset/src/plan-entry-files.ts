import { describeEntry } from './check-entries.js';
import { type DatasetEntry, DatasetError, type PlannedFile } from './dataset-types.js';
import type { IndexHtmlEntry } from './make-index-html.js';
import type { PlacedEntry } from './plan-conditioning-files.js';
import type { PlanSettings } from './resolve-plan-settings.js';
import { makeEntryStem, padEntryNumber } from './safe-names.js';

/** Result of {@link planEntryFiles}, each list in entry-number order. */
export interface EntryFilesPlan {
  /** Per entry: its image, its caption file (not in the jsonl layout), its separate mask. */
  files: PlannedFile[];
  placed: PlacedEntry[];
  /** Each image's file name (no folder). */
  imageNames: string[];
  htmlEntries: IndexHtmlEntry[];
}

/**
 * The files of each entry (`sorted` in entry-number order) in the layout's folders, named by `<stem>`: the padded
 * entry number (`flat`), or that and a slug of the description. A missing mask in the `separate` mask mode is a
 * {@link DatasetError}.
 */
export function planEntryFiles(sorted: readonly DatasetEntry[], settings: PlanSettings): EntryFilesPlan {
  const { layout, imageDir, maskDir } = settings;
  const numberWidth = Math.max(4, String(sorted[sorted.length - 1]?.number ?? 0).length);
  const plan: EntryFilesPlan = { files: [], placed: [], imageNames: [], htmlEntries: [] };
  for (const entry of sorted) {
    const stem =
      layout === 'flat'
        ? padEntryNumber(entry.number, numberWidth)
        : makeEntryStem(entry.number, entry.description, numberWidth);
    const imageName = `${stem}.${entry.imageExtension}`;
    const imagePath = `${imageDir}/${imageName}`;
    plan.files.push({ path: imagePath, kind: 'image', entryNumber: entry.number, source: entry.image });
    plan.imageNames.push(imageName);
    if (layout !== 'jsonl') {
      plan.files.push({
        path: `${imageDir}/${stem}.${settings.captionExtension}`,
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
      plan.files.push({
        path: `${maskDir}/${stem}.png`,
        kind: 'mask',
        entryNumber: entry.number,
        source: entry.mask,
      });
    }
    plan.htmlEntries.push({
      number: entry.number,
      caption: entry.caption.split('\n').join(' · '),
      imagePath,
    });
    plan.placed.push({ entry, stem, imagePath });
  }
  return plan;
}
