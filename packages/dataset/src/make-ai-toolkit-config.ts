import { stringify } from 'yaml';
import type { SamplePrompt } from './make-sample-prompts.js';
import { areaResolution, mostCommonSize, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/**
 * An ostris ai-toolkit job config (`python <ai-toolkit>/run.py ai-toolkit.yaml`, started from the dataset folder)
 * with its `datasets:` block read the way ai-toolkit's `toolkit/config_modules.py` `DatasetConfig` reads it:
 * `folder_path`, `caption_ext` (ai-toolkit's default is `.txt`), `num_repeats`, `keep_tokens`, `resolution`
 * (bucketed), `alpha_mask` or `mask_path` (a folder of same-stem masks) for masks, and an `is_reg` dataset for
 * regularisation images. The model block is a Flux-dev LoRA example to edit; `sample.prompts` are the previews.
 * ai-toolkit reads a caption file whole, so it is not offered for multi-line captions.
 */
export function makeAiToolkitConfig(info: TrainerDatasetInfo, prompts: readonly SamplePrompt[]): string {
  const main = mostCommonSize(info.sizes);
  const resolution = areaResolution(main);
  const subject: Record<string, unknown> = {
    folder_path: info.imageDir,
    caption_ext: info.captionExtension,
    num_repeats: info.repeats,
    keep_tokens: info.keepTokens,
    shuffle_tokens: false,
    caption_dropout_rate: 0.05,
    cache_latents_to_disk: true,
    resolution: [resolution],
  };
  if (info.maskMode === 'alpha') subject.alpha_mask = true;
  if (info.maskMode === 'separate' && info.maskDir) subject.mask_path = info.maskDir;
  const datasets: Record<string, unknown>[] = [subject];
  if (info.regDir) {
    datasets.push({
      folder_path: info.regDir,
      caption_ext: info.captionExtension,
      default_caption: info.classToken || info.classTokens,
      is_reg: true,
      num_repeats: 1,
      cache_latents_to_disk: true,
      resolution: [resolution],
    });
  }
  const config = {
    job: 'extension',
    config: {
      name: `${info.trigger || 'vrm'}-lora`.replace(/[^A-Za-z0-9_-]+/g, '_'),
      process: [
        {
          type: 'sd_trainer',
          training_folder: 'output',
          device: 'cuda:0',
          trigger_word: info.trigger,
          network: { type: 'lora', linear: 16, linear_alpha: 16 },
          save: { dtype: 'float16', save_every: 250, max_step_saves_to_keep: 4 },
          datasets,
          train: {
            batch_size: 1,
            steps: 2000,
            gradient_accumulation_steps: 1,
            train_unet: true,
            train_text_encoder: false,
            gradient_checkpointing: true,
            noise_scheduler: 'flowmatch',
            optimizer: 'adamw8bit',
            lr: 0.0001,
            dtype: 'bf16',
          },
          model: { name_or_path: 'black-forest-labs/FLUX.1-dev', is_flux: true, quantize: true },
          sample: {
            sampler: 'flowmatch',
            sample_every: 250,
            width: prompts[0]?.widthPx ?? main[0],
            height: prompts[0]?.heightPx ?? main[1],
            prompts: prompts.map((p) => p.prompt),
            seed: prompts[0]?.seed ?? 1000,
            walk_seed: true,
            guidance_scale: 4,
            sample_steps: 20,
          },
        },
      ],
    },
    meta: { name: '[name]', version: '1.0' },
  };
  const header = [
    '# Written by vrm-lora for ostris ai-toolkit. Paths are relative to this folder: start ai-toolkit from here,',
    '#   cd <this folder> && python <ai-toolkit>/run.py ai-toolkit.yaml',
    '# The model block is a Flux-dev example: set model.name_or_path (and is_flux / arch) for your base model.',
    '',
  ];
  return header.join('\n') + stringify(config, { lineWidth: 0 });
}
