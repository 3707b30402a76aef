/** Input of {@link makeDatasetToml}. */
export interface DatasetTomlInput {
  /** `image_dir`: folder of images and captions, as sd-scripts should read it. */
  imageDir: string;
  /** `conditioning_data_dir` for separate masks (needs `--masked_loss`), or `null`. */
  maskDir: string | null;
  /** `caption_extension` including the dot, e.g. `.txt`. */
  captionExtension: string;
  /** `num_repeats`. */
  repeats: number;
  /** `class_tokens` (trigger and class), used by sd-scripts only for an image without a caption file. */
  classTokens: string;
  /** `keep_tokens`. */
  keepTokens: number;
  /** Whether to set `alpha_mask = true` (mask from the PNG alpha channel; needs `--masked_loss`). */
  alphaMask: boolean;
  /** Width and height of every image, in pixels. */
  sizes: readonly (readonly [number, number])[];
}

/** sd-scripts' bucket step; bucket limits must be multiples of it. */
const BUCKET_STEP_PX = 64;

/** A TOML basic string (JSON escapes are valid TOML; DEL must be escaped too). */
export function toTomlString(text: string): string {
  return JSON.stringify(text).replace(/\u007f/g, '\\u007f');
}

/**
 * The sd-scripts `--dataset_config` file for one DreamBooth-style subset, following sd-scripts'
 * `library/config_util.py` schema: dataset options (`resolution`, `batch_size`, `enable_bucket`, bucket limits) in
 * `[[datasets]]`; subset options (`image_dir`, `caption_extension`, `num_repeats`, `class_tokens`, `keep_tokens`,
 * `alpha_mask`) in `[[datasets.subsets]]`. `caption_extension` is always written (sd-scripts defaults to
 * `.caption`). With separate masks the subset carries `conditioning_data_dir` instead of `class_tokens`, which
 * sd-scripts then reads as a masked-loss (ControlNet-style) subset, where `class_tokens` is not allowed.
 */
export function makeDatasetToml(input: DatasetTomlInput): string {
  const counts = new Map<string, { size: readonly [number, number]; count: number }>();
  for (const size of input.sizes) {
    const key = `${size[0]}x${size[1]}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { size, count: 1 });
  }
  const ranked = [...counts.values()].sort(
    (a, b) => b.count - a.count || b.size[0] * b.size[1] - a.size[0] * a.size[1] || b.size[0] - a.size[0],
  );
  const main = ranked[0]?.size ?? [1024, 1024];
  const bucketed = ranked.length > 1;
  const lines = [
    '# Written by vrm-lora for kohya-ss sd-scripts: train_network.py --dataset_config dataset.toml',
    input.alphaMask || input.maskDir
      ? '# Masks are on: add --masked_loss to the training command.'
      : '# Captions are the files next to each image; class_tokens is used only when a caption file is missing.',
    '',
    '[general]',
    `caption_extension = ${toTomlString(input.captionExtension)}`,
    'shuffle_caption = false',
    `keep_tokens = ${input.keepTokens}`,
    '',
    '[[datasets]]',
    `resolution = [${main[0]}, ${main[1]}]`,
    'batch_size = 1',
    `enable_bucket = ${bucketed}`,
  ];
  if (bucketed) {
    const largest = Math.max(...input.sizes.flat());
    const smallest = Math.min(...input.sizes.flat());
    lines.push(
      `min_bucket_reso = ${Math.max(BUCKET_STEP_PX, Math.floor(Math.min(256, smallest) / BUCKET_STEP_PX) * BUCKET_STEP_PX)}`,
      `max_bucket_reso = ${Math.ceil(largest / BUCKET_STEP_PX) * BUCKET_STEP_PX}`,
      `bucket_reso_steps = ${BUCKET_STEP_PX}`,
      'bucket_no_upscale = true',
    );
  }
  lines.push(
    '',
    '  [[datasets.subsets]]',
    `  image_dir = ${toTomlString(input.imageDir)}`,
    `  caption_extension = ${toTomlString(input.captionExtension)}`,
    `  num_repeats = ${input.repeats}`,
    `  keep_tokens = ${input.keepTokens}`,
  );
  if (input.maskDir) lines.push(`  conditioning_data_dir = ${toTomlString(input.maskDir)}`);
  else lines.push(`  class_tokens = ${toTomlString(input.classTokens)}`);
  if (input.alphaMask) lines.push('  alpha_mask = true');
  return `${lines.join('\n')}\n`;
}
