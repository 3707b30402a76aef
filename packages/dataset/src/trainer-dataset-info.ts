import type { DatasetMaskMode, DatasetWarning, RegImages } from './dataset-types.js';

/** sd-scripts' bucket step (`bucket_reso_steps`); bucket sides are multiples of it. */
export const BUCKET_STEP_PX = 64;

/** What every trainer setup is written from: the dataset's folders (as the configs write them) and settings. */
export interface TrainerDatasetInfo {
  /** Folder of images and captions as configs write it (relative to the output folder, or absolute). */
  imageDir: string;
  /** Folder of separate masks as configs write it, or `null`. */
  maskDir: string | null;
  /** Folder of regularisation images as configs write it, or `null`. */
  regDir: string | null;
  reg: RegImages | null;
  maskMode: DatasetMaskMode;
  /** Without the dot. */
  captionExtension: 'txt' | 'caption';
  repeats: number;
  trigger: string;
  classToken: string;
  /** Trigger and class, e.g. `anata person`. */
  classTokens: string;
  keepTokens: number;
  /** Every image's width and height in pixels, in entry order. */
  sizes: readonly (readonly [number, number])[];
  /** Every image's file extension (no dot), in entry order; separate masks are always `png`. */
  imageExtensions: readonly string[];
  /** Whether some caption has more than one line (caption variants). */
  multiLineCaptions: boolean;
  /** Every caption line of the dataset (for sample prompts). */
  captionLines: readonly string[];
}

/** The most common image size (ties: larger area, then wider); 1024×1024 with no images. */
export function mostCommonSize(sizes: readonly (readonly [number, number])[]): readonly [number, number] {
  const counts = new Map<string, { size: readonly [number, number]; count: number }>();
  for (const size of sizes) {
    const key = `${size[0]}x${size[1]}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { size, count: 1 });
  }
  const ranked = [...counts.values()].sort(
    (a, b) => b.count - a.count || b.size[0] * b.size[1] - a.size[0] * a.size[1] || b.size[0] - a.size[0],
  );
  return ranked[0]?.size ?? [1024, 1024];
}

/**
 * A warning per entry whose width or height is not a multiple of {@link BUCKET_STEP_PX}: with `bucket_no_upscale`
 * sd-scripts (and ai-toolkit, OneTrainer, SimpleTuner in their own ways) crop such an image to the bucket below.
 */
export function bucketWarnings(
  entries: readonly { number: number; label: string; width: number; height: number }[],
): DatasetWarning[] {
  const warnings: DatasetWarning[] = [];
  for (const entry of entries) {
    if (entry.width % BUCKET_STEP_PX === 0 && entry.height % BUCKET_STEP_PX === 0) continue;
    const w = entry.width - (entry.width % BUCKET_STEP_PX);
    const h = entry.height - (entry.height % BUCKET_STEP_PX);
    warnings.push({
      entryNumber: entry.number,
      message:
        `${entry.label}: ${entry.width}×${entry.height} is not a multiple of ${BUCKET_STEP_PX} px; trainers' buckets ` +
        `crop it to ${w}×${h}. Use sizes that are multiples of ${BUCKET_STEP_PX} (512, 768, 832, 1024, 1216, …).`,
    });
  }
  return warnings;
}

/**
 * The side of the square with the size's area, rounded to {@link BUCKET_STEP_PX}: the `resolution` of trainers
 * whose buckets keep an area (ai-toolkit, SimpleTuner `pixel_area`), e.g. 832×1216 → 1024, 512×512 → 512.
 */
export function areaResolution(size: readonly [number, number]): number {
  return Math.max(BUCKET_STEP_PX, Math.round(Math.sqrt(size[0] * size[1]) / BUCKET_STEP_PX) * BUCKET_STEP_PX);
}
