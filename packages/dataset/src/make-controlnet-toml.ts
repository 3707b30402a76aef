import { toTomlString } from './make-dataset-toml.js';

/** Input of {@link makeControlNetToml}. */
export interface ControlNetTomlInput {
  /** `image_dir`: the training images and captions. */
  imageDir: string;
  /** `conditioning_data_dir`: the conditioning images, one per training image with the same file stem. */
  conditioningDir: string;
  /** `caption_extension` including the dot. */
  captionExtension: string;
  repeats: number;
  keepTokens: number;
  /** Width and height of the images (all the same size, else bucketing is on). */
  sizes: readonly (readonly [number, number])[];
  /** The conditioning kind, for the header comment. */
  kind: string;
}

/**
 * sd-scripts' `--dataset_config` for ControlNet training (`train_control_net.py`, `sdxl_train_control_net.py`),
 * following `library/config_util.py`'s ControlNet subset schema: `image_dir` and `conditioning_data_dir` (files
 * paired by stem), `caption_extension`, `num_repeats`, `keep_tokens`; no `class_tokens` (not allowed there).
 */
export function makeControlNetToml(input: ControlNetTomlInput): string {
  const first = input.sizes[0] ?? [1024, 1024];
  const same = input.sizes.every(([w, h]) => w === first[0] && h === first[1]);
  const lines = [
    `# Written by vrm-lora for kohya-ss sd-scripts ControlNet training (${input.kind} conditioning):`,
    '# train_control_net.py --dataset_config <this file>. Each image in image_dir has the conditioning image',
    '# of the same file stem in conditioning_data_dir.',
    '',
    '[general]',
    `caption_extension = ${toTomlString(input.captionExtension)}`,
    'shuffle_caption = false',
    `keep_tokens = ${input.keepTokens}`,
    '',
    '[[datasets]]',
    `resolution = [${first[0]}, ${first[1]}]`,
    'batch_size = 1',
    `enable_bucket = ${!same}`,
  ];
  if (!same) {
    const largest = Math.max(...input.sizes.flat());
    lines.push(
      `max_bucket_reso = ${Math.ceil(largest / 64) * 64}`,
      'bucket_reso_steps = 64',
      'bucket_no_upscale = true',
    );
  }
  lines.push(
    '',
    '  [[datasets.subsets]]',
    `  image_dir = ${toTomlString(input.imageDir)}`,
    `  conditioning_data_dir = ${toTomlString(input.conditioningDir)}`,
    `  caption_extension = ${toTomlString(input.captionExtension)}`,
    `  num_repeats = ${input.repeats}`,
    `  keep_tokens = ${input.keepTokens}`,
  );
  return `${lines.join('\n')}\n`;
}
