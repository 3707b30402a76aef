import type { TrainerName } from '@vrm-lora/manifest';
import type { EntryConditioning } from './conditioning-types.js';

/** Dataset folder layouts. */
export type DatasetLayout = 'kohya' | 'flat' | 'jsonl';

/** Caption file extension, without the dot. */
export type CaptionExtension = 'txt' | 'caption';

/** Mask mode of the images (see `@vrm-lora/post`'s `AlphaMaskMode`). */
export type DatasetMaskMode = 'none' | 'alpha' | 'separate';

/**
 * Bytes to write, or a file to copy (e.g. a cached image), read when written. `sha256` (hex), when the caller
 * knows it (a content-addressed cache does), lets the writer put the files that changed since the last run first:
 * `vrm-lora watch` shows an edited entry's image as soon as it lands. Every file is still checked byte by byte.
 */
export type FileSource = Buffer | { path: string; sha256?: string };

/** One finished entry: final image, caption and optional separate mask. */
export interface DatasetEntry {
  /** 1-based entry number; unique. */
  number: number;
  /** The entry's stable id (`ResolvedShot.id`), passed through to the result. */
  id?: string;
  /** Where the entry sits in the manifest (`dataCollection[3]`); names the entry in errors. */
  jsonPath?: string;
  /** The entry's description, slugged into the file name. */
  description: string;
  /** The final image. */
  image: FileSource;
  /** Extension of `image`, without the dot. */
  imageExtension: 'png' | 'webp' | 'jpg';
  /** Image width in pixels (for `resolution` in dataset.toml). */
  width: number;
  /** Image height in pixels. */
  height: number;
  /**
   * The caption: one non-empty line, or several joined by `\n` (caption variants: the main caption first; trainers
   * that cannot pick a line per step get only the first).
   */
  caption: string;
  /** The separate mask PNG when the mask mode is `separate`. */
  mask?: FileSource | null;
  /** Conditioning images and keypoints (see plan-conditioning-files.ts). */
  conditioning?: EntryConditioning;
}

/** Dataset-level settings. */
export interface DatasetOptions {
  /** Default `kohya`. */
  layout?: DatasetLayout;
  /** The trigger word, e.g. `anata`. */
  trigger: string;
  /** The class token, e.g. `person`; empty or absent for none. */
  classToken?: string;
  /** Kohya repeats per image (`num_repeats`, folder prefix); default 10. */
  repeats?: number;
  /** Default `txt`. */
  captionExtension?: CaptionExtension;
  /** sd-scripts `keep_tokens` (from the captioner's `keepTokensFor`); default 1. */
  keepTokens?: number;
  /** Default `none`. */
  maskMode?: DatasetMaskMode;
  /**
   * Paths in the trainer configs: `relative` (default) to the output folder, so a copied or moved dataset trains
   * with no edits when the trainer is started from that folder (every trainer resolves relative paths from its
   * working directory); `absolute` pins this machine's folder.
   */
  configPaths?: 'relative' | 'absolute';
  /**
   * Trainers to write setups for (see `TRAINER_NAMES`); default every one the layout and captions suit. Asking
   * for one that cannot read this dataset (e.g. SimpleTuner with `.caption` files) is a {@link DatasetError}.
   */
  trainers?: readonly TrainerName[] | null;
  /**
   * User-supplied regularisation (class) images, found by `writeDataset` in the output folder's `reg/` when not
   * given; `null` for none. Configs that support them get a regularisation subset.
   */
  reg?: RegImages | null;
  /** The contact sheet PNG, written as `contact-sheet.png`, or `null`/absent for none. */
  contactSheet?: FileSource | null;
  /**
   * Makes the contact sheet when `contactSheet` is not given (pass `@vrm-lora/post`'s `makeContactSheet`): called
   * with every image (bytes or file path) in entry order, labelled `#<number> <caption>`.
   */
  makeContactSheet?: (items: { image: Buffer | string; label: string }[]) => Promise<Buffer>;
}

/** Regularisation images found in the output folder. */
export interface RegImages {
  /** Folder relative to the output folder, `/`-separated (`reg`). */
  dir: string;
  /** Image file names in it. */
  images: string[];
  /** Whether every image has a caption file with the dataset's caption extension. */
  captioned: boolean;
  /**
   * Whether the folder holds nothing but the images (no caption files, subfolders or other files): diffusers'
   * DreamBooth scripts open every entry of `--class_data_dir` as an image.
   */
  onlyImages: boolean;
}

/** A trainer left out of the dataset's setups, and why. */
export interface SkippedTrainer {
  trainer: TrainerName;
  reason: string;
}

/** A warning about the dataset, naming the entry when there is one. */
export interface DatasetWarning {
  entryNumber?: number;
  message: string;
}

/** What a planned file is. */
export type PlannedFileKind =
  | 'image'
  | 'caption'
  | 'mask'
  | 'config'
  | 'metadata'
  | 'preview'
  | 'conditioning'
  | 'keypoints';

/** One file the dataset writer will write. */
export interface PlannedFile {
  /** Path relative to the output folder, `/`-separated. */
  path: string;
  kind: PlannedFileKind;
  /** The entry the file belongs to, if any. */
  entryNumber?: number;
  source: FileSource;
}

/** Everything a dataset write will produce. */
export interface DatasetPlan {
  layout: DatasetLayout;
  /** Folder holding the training images, relative to the output folder (`img/10_anata person`, `train`). */
  imageDir: string;
  /** Folder holding separate masks, or `null`. */
  maskDir: string | null;
  files: PlannedFile[];
  /** Trainers whose setups are written. */
  trainers: TrainerName[];
  /** Trainers left out (by default only) because they cannot read this dataset. */
  skippedTrainers: SkippedTrainer[];
  /** E.g. a size that is not a multiple of sd-scripts' 64-pixel bucket step. */
  warnings: DatasetWarning[];
}

/** Dataset input that cannot be written; the message names the entry or file and the fix. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}
