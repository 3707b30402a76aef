import { BUCKET_STEP_PX, mostCommonSize, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/** The smallest bucket side sd-scripts' own default allows (`min_bucket_reso`); lowered for smaller images. */
const MIN_BUCKET_PX = 256;
/** `max_bucket_reso` at least this, so raising `resolution` to 1024 (SDXL, Flux) stays within the limits. */
const MAX_BUCKET_PX = 2048;

/** A TOML basic string (JSON escapes are valid TOML; DEL must be escaped too). */
export function toTomlString(text: string): string {
  return JSON.stringify(text).replace(/\u007f/g, '\\u007f');
}

/** The comment lines that say what the file's mask settings need, per sd-scripts script. */
function maskComment(info: TrainerDatasetInfo): string[] {
  if (info.maskMode === 'alpha') {
    return [
      '# Masks: alpha_mask = true, so sd-scripts weights the loss by each image’s alpha channel by itself',
      '# (train_network.py, sdxl_train_network.py, flux_train_network.py, train_db.py): add no flag. Do not pass',
      '# --masked_loss to train_db.py: it switches that script to the ControlNet schema, which rejects',
      '# class_tokens and alpha_mask.',
    ];
  }
  if (info.maskMode === 'separate') {
    return [
      '# Masks: conditioning_data_dir holds one mask per image (same stem). Add --masked_loss to the command: without',
      '# it sd-scripts rejects conditioning_data_dir; with it the subset is a ControlNet-style subset, which has no',
      '# class_tokens (so every image needs its caption file).',
    ];
  }
  return ['# class_tokens is used only for an image without a caption file.'];
}

/**
 * The sd-scripts `--dataset_config` file (schema of sd-scripts' `library/config_util.py` `ConfigSanitizer`): a
 * DreamBooth-style subset of the images with `caption_extension` always written (sd-scripts' default is
 * `.caption`), buckets on with `bucket_no_upscale` (so changing `resolution` to 512 or 1024 never hits sd-scripts'
 * image-size asserts), `enable_wildcard` when captions have several lines (sd-scripts then picks one line per
 * step; without it only the first line is read), `alpha_mask` or `conditioning_data_dir` for masks, and an
 * `is_reg` subset for regularisation images (in a `[[datasets]]` of its own with separate masks, since a
 * masked-loss dataset needs a mask for every subset). Paths are as given: relative ones resolve from the
 * directory sd-scripts is started in.
 */
export function makeDatasetToml(info: TrainerDatasetInfo): string {
  const main = mostCommonSize(info.sizes);
  const sides = info.sizes.flat();
  const smallest = Math.min(...sides, main[0], main[1]);
  const largest = Math.max(...sides, main[0], main[1]);
  const minBucket = Math.max(
    BUCKET_STEP_PX,
    Math.floor(Math.min(MIN_BUCKET_PX, smallest) / BUCKET_STEP_PX) * BUCKET_STEP_PX,
  );
  const maxBucket = Math.max(MAX_BUCKET_PX, Math.ceil(largest / BUCKET_STEP_PX) * BUCKET_STEP_PX);
  const captionExtension = toTomlString(`.${info.captionExtension}`);
  const datasetHeader = [
    '[[datasets]]',
    `resolution = [${main[0]}, ${main[1]}]`,
    'batch_size = 1',
    'enable_bucket = true',
    `min_bucket_reso = ${minBucket}`,
    `max_bucket_reso = ${maxBucket}`,
    `bucket_reso_steps = ${BUCKET_STEP_PX}`,
    'bucket_no_upscale = true',
  ];
  const lines = [
    '# Written by vrm-lora for kohya-ss sd-scripts. Paths are relative to this folder: start sd-scripts from here,',
    '#   cd <this folder> && accelerate launch <sd-scripts>/train_network.py --dataset_config dataset.toml ...',
    '# (sdxl_train_network.py for SDXL, flux_train_network.py for Flux). TRAINING.md beside it has full commands.',
    ...maskComment(info),
    '',
    '[general]',
    `caption_extension = ${captionExtension}`,
    'shuffle_caption = false',
    `keep_tokens = ${info.keepTokens}`,
  ];
  if (info.multiLineCaptions)
    lines.push('enable_wildcard = true # caption files hold variants, one per line');
  lines.push(
    '',
    ...datasetHeader,
    '',
    '  [[datasets.subsets]]',
    `  image_dir = ${toTomlString(info.imageDir)}`,
    `  caption_extension = ${captionExtension}`,
    `  num_repeats = ${info.repeats}`,
    `  keep_tokens = ${info.keepTokens}`,
  );
  if (info.maskDir) lines.push(`  conditioning_data_dir = ${toTomlString(info.maskDir)}`);
  else lines.push(`  class_tokens = ${toTomlString(info.classTokens)}`);
  if (info.maskMode === 'alpha') lines.push('  alpha_mask = true');
  if (info.regDir) {
    lines.push('');
    if (info.maskDir) {
      lines.push(
        '# Regularisation images in a dataset of their own (a masked-loss dataset needs a mask for every subset).',
        '# train_db.py --masked_loss accepts only masked subsets: delete this block to use train_db.py.',
        ...datasetHeader,
        '',
      );
    }
    lines.push(
      '  [[datasets.subsets]] # regularisation (class) images; weight them with --prior_loss_weight',
      `  image_dir = ${toTomlString(info.regDir)}`,
      '  is_reg = true',
      `  caption_extension = ${captionExtension}`,
      '  num_repeats = 1',
      `  class_tokens = ${toTomlString(info.classToken || info.classTokens)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
