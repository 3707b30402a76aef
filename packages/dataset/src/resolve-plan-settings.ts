import path from 'node:path';
import {
  type CaptionExtension,
  DatasetError,
  type DatasetLayout,
  type DatasetMaskMode,
  type DatasetOptions,
} from './dataset-types.js';
import { makeSafeSegment } from './safe-names.js';

/** Folder of training files for the `flat` and `jsonl` layouts, so previews beside them are not trained on. */
export const TRAIN_DIR = 'train';

/** The dataset options with defaults applied and checked, and the layout's folders. */
export interface PlanSettings {
  layout: DatasetLayout;
  repeats: number;
  captionExtension: CaptionExtension;
  keepTokens: number;
  maskMode: DatasetMaskMode;
  /** Trimmed; empty for none. */
  trigger: string;
  /** Trimmed; empty for none. */
  classToken: string;
  /** Trigger and class, e.g. `anata person`. */
  classTokens: string;
  /** Folder of images (and captions), relative to the output folder. */
  imageDir: string;
  /** Folder of separate masks, relative to the output folder, or `null`. */
  maskDir: string | null;
  /** A path relative to the output folder as the trainer configs write it (`configPaths`). */
  configPath: (relative: string) => string;
}

/** The layout's image and mask folders: `img/<repeats>_<class tokens>` (kohya) or `train`. */
function chooseFolders(
  layout: DatasetLayout,
  maskMode: DatasetMaskMode,
  repeats: number,
  classTokens: string,
): { imageDir: string; maskDir: string | null } {
  if (layout === 'kohya') {
    const folder = makeSafeSegment(`${repeats}_${classTokens || 'subject'}`);
    return { imageDir: `img/${folder}`, maskDir: maskMode === 'separate' ? `mask/${folder}` : null };
  }
  return { imageDir: TRAIN_DIR, maskDir: maskMode === 'separate' ? 'masks' : null };
}

/** Applies the defaults of `options` and checks `repeats` and `keepTokens` ({@link DatasetError} otherwise). */
export function resolvePlanSettings(outDir: string, options: DatasetOptions): PlanSettings {
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
  const configPath = (relative: string) =>
    options.configPaths === 'absolute' ? path.resolve(outDir, ...relative.split('/')) : relative;
  return {
    layout,
    repeats,
    captionExtension,
    keepTokens,
    maskMode,
    trigger,
    classToken,
    classTokens,
    ...chooseFolders(layout, maskMode, repeats, classTokens),
    configPath,
  };
}
