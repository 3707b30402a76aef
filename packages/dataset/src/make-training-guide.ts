import type { TrainerName } from '@vrm-lora/manifest';
import type { SkippedTrainer } from './dataset-types.js';
import { simpleTunerFindsMasks } from './make-simpletuner-backend.js';
import { areaResolution, mostCommonSize, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/** File names of the trainer setups, relative to the output folder. */
export const TRAINER_FILES = {
  sdScriptsToml: 'dataset.toml',
  sdScriptsSamplePrompts: 'sample-prompts.txt',
  aiToolkit: 'ai-toolkit.yaml',
  oneTrainer: 'onetrainer-concepts.json',
  oneTrainerRegPrompt: 'onetrainer-reg-prompt.txt',
  simpleTuner: 'simpletuner-multidatabackend.json',
  guide: 'TRAINING.md',
} as const;

/** A shell-quoted argument (POSIX single quotes). */
function sh(text: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function sdScripts(info: TrainerDatasetInfo): string[] {
  const mask = info.maskMode === 'separate' ? ' --masked_loss' : '';
  const common = `--dataset_config dataset.toml --sample_prompts sample-prompts.txt --sample_every_n_epochs 1 --output_dir output --output_name ${sh(info.trigger || 'lora')} --save_model_as safetensors --network_dim 16 --learning_rate 1e-4 --max_train_epochs 10 --mixed_precision bf16${mask}`;
  const maskLine =
    info.maskMode === 'alpha'
      ? 'Masks (`alpha`): `alpha_mask = true` in dataset.toml; sd-scripts applies the masked loss by itself in every script below and in `train_db.py`. Add no flag; `--masked_loss` on `train_db.py` would switch it to the ControlNet schema, which rejects `class_tokens` and `alpha_mask`.'
      : info.maskMode === 'separate'
        ? 'Masks (`separate`): dataset.toml points `conditioning_data_dir` at the masks; `--masked_loss` (in the commands below) is required, for `train_db.py` too, and makes the subset a ControlNet-style one without `class_tokens`.'
        : 'Masks: none.';
  return [
    '## kohya-ss sd-scripts',
    '',
    'SD 1.5 / SD 2 (`train_network.py`), SDXL (`sdxl_train_network.py`), Flux (`flux_train_network.py`):',
    '',
    '```sh',
    'cd <this folder>',
    `accelerate launch <sd-scripts>/train_network.py --pretrained_model_name_or_path <model.safetensors> --network_module networks.lora ${common}`,
    `accelerate launch <sd-scripts>/sdxl_train_network.py --pretrained_model_name_or_path <sdxl.safetensors> --network_module networks.lora ${common}`,
    `accelerate launch <sd-scripts>/flux_train_network.py --pretrained_model_name_or_path <flux1-dev.safetensors> --clip_l <clip_l.safetensors> --t5xxl <t5xxl.safetensors> --ae <ae.safetensors> --network_module networks.lora_flux ${common}`,
    '```',
    '',
    'dataset.toml holds paths relative to this folder, so start sd-scripts from here. Buckets are on with `bucket_no_upscale`; set `resolution` in dataset.toml to your model’s (512 for SD 1.5, 1024 for SDXL and Flux).',
    `Without dataset.toml (\`--train_data_dir img\`), sd-scripts looks for \`.caption\` files by default: add \`--caption_extension .${info.captionExtension}\`, or every image trains on its folder’s class words only.`,
    maskLine,
    info.multiLineCaptions
      ? 'Caption variants: each caption file holds several lines; `enable_wildcard = true` in dataset.toml makes sd-scripts pick one per step (without it only the first line is read).'
      : '',
    info.regDir
      ? `Regularisation: the \`is_reg\` subset reads \`${info.regDir}\`; weight it with \`--prior_loss_weight 1.0\`.`
      : '',
    '',
  ];
}

function aiToolkit(info: TrainerDatasetInfo): string[] {
  return [
    '## ostris ai-toolkit',
    '',
    '```sh',
    'cd <this folder>',
    'python <ai-toolkit>/run.py ai-toolkit.yaml',
    '```',
    '',
    'Edit the `model:` block for your base model. ' +
      (info.maskMode === 'alpha'
        ? 'Masks: `alpha_mask: true` (the alpha channel weights the loss).'
        : info.maskMode === 'separate'
          ? 'Masks: `mask_path` points at the mask folder (white trains, black is ignored).'
          : 'Masks: none.') +
      (info.regDir ? ` Regularisation: the dataset with \`is_reg: true\` reads \`${info.regDir}\`.` : ''),
    '',
  ];
}

function oneTrainer(info: TrainerDatasetInfo): string[] {
  return [
    '## Nerogar OneTrainer',
    '',
    '```sh',
    'cd <this folder>',
    `python <OneTrainer>/scripts/train.py --config-path '<OneTrainer>/training_presets/#sdxl 1.0 LoRA.json' --config-value concept_file_name=${TRAINER_FILES.oneTrainer} --config-value base_model_name=<model>`,
    '```',
    '',
    'Or in the OneTrainer window: Concepts → add config → load `onetrainer-concepts.json`. Use a config without inline `concepts` (presets have none). ' +
      (info.maskMode === 'none'
        ? ''
        : 'Masks: OneTrainer reads masks only as `<stem>-masklabel.png` beside each image, which this dataset does not hold; it trains unmasked. ') +
      (info.regDir ? `Regularisation: the second concept reads \`${info.regDir}\`.` : ''),
    '',
  ];
}

function simpleTuner(info: TrainerDatasetInfo): string[] {
  return [
    '## bghira SimpleTuner',
    '',
    '```sh',
    'cd <this folder>',
    `CONFIG_BACKEND=cmd accelerate launch -m simpletuner.train --model_family sdxl --model_type lora --pretrained_model_name_or_path <model> --optimizer adamw_bf16 --data_backend_config ${TRAINER_FILES.simpleTuner} --output_dir output --resolution ${areaResolution(mostCommonSize(info.sizes))} --resolution_type pixel_area`,
    '```',
    '',
    '`CONFIG_BACKEND=cmd` makes SimpleTuner read its options from the command line (`simpletuner/helpers/configuration/loader.py`), where `--model_family`, `--model_type`, `--optimizer`, `--data_backend_config` and `--output_dir` are required; with your own `config/config.json`, set `data_backend_config` there and start SimpleTuner from this folder. ' +
      `\`repeats\` is ${info.repeats - 1} (SimpleTuner counts extra passes: kohya’s ${info.repeats}). ` +
      (simpleTunerFindsMasks(info)
        ? 'Masks: a `conditioning_type: "mask"` backend linked by `conditioning_data`. '
        : info.maskMode === 'separate'
          ? 'Masks: SimpleTuner pairs a mask with its image by the same file name, extension included, and the masks are `.png` while the images are not; it trains unmasked (use `image.format` `"png"` for masked SimpleTuner training). '
          : info.maskMode === 'alpha'
            ? 'Masks: SimpleTuner does not read alpha masks; use `alphaMask: "separate"`. '
            : '') +
      (info.regDir
        ? `Regularisation: the \`is_regularisation_data\` backend reads \`${info.regDir}\` (SimpleTuner honours it for LyCORIS adapters).`
        : ''),
    '',
  ];
}

function diffusers(info: TrainerDatasetInfo): string[] {
  const main = mostCommonSize(info.sizes);
  // diffusers' text-to-image examples resize the short side to --resolution and centre-crop a square.
  const size = Math.min(main[0], main[1]);
  const square = info.sizes.every(([w, h]) => w === h);
  const dir = sh(info.imageDir);
  return [
    '## Hugging Face diffusers',
    '',
    '```sh',
    'cd <this folder>',
    `accelerate launch <diffusers>/examples/text_to_image/train_text_to_image_lora.py --pretrained_model_name_or_path <model> --train_data_dir ${dir} --image_column image --caption_column text --resolution ${size} --output_dir output`,
    `accelerate launch <diffusers>/examples/text_to_image/train_text_to_image_lora_sdxl.py --pretrained_model_name_or_path <sdxl-model> --train_data_dir ${dir} --image_column image --caption_column text --resolution ${size} --output_dir output`,
    '```',
    '',
    `\`${info.imageDir}/metadata.jsonl\` names each image (\`file_name\`) and its caption (\`text\`). diffusers has no repeats (use \`--num_train_epochs\`) and no masked loss.` +
      (square
        ? ''
        : ' These scripts resize the short side to `--resolution` and centre-crop a square, so non-square images lose their ends (a portrait full shot its head and feet): use square images for diffusers.') +
      diffusersRegularisation(info, dir, size),
    '',
  ];
}

/**
 * The DreamBooth prior-preservation command for the regularisation images, read from diffusers'
 * `examples/dreambooth/train_dreambooth_lora_sdxl.py`: `--pretrained_model_name_or_path` is required;
 * `--num_class_images` (default 100) is set to the images there, or the script generates the missing ones into
 * `--class_data_dir` (`reg/`); `DreamBoothDataset` opens every entry of that folder as an image, so caption files
 * there stop it; and its prompts must be strings, so with caption variants (a list per image) `--caption_column`
 * is left out and every image trains on `--instance_prompt`.
 */
function diffusersRegularisation(info: TrainerDatasetInfo, dir: string, size: number): string {
  if (!info.regDir || !info.reg) return '';
  const captions = info.multiLineCaptions ? '' : ' --caption_column text';
  const command = `accelerate launch <diffusers>/examples/dreambooth/train_dreambooth_lora_sdxl.py --pretrained_model_name_or_path <sdxl-model> --dataset_name ${dir}${captions} --instance_prompt ${sh(info.classTokens)} --with_prior_preservation --class_data_dir ${sh(info.regDir)} --class_prompt ${sh(info.classToken || info.classTokens)} --num_class_images ${info.reg.images.length} --resolution ${size} --output_dir output`;
  return [
    ` Regularisation: \`${command}\`.`,
    info.multiLineCaptions
      ? ' It takes one caption per image, so with caption variants it trains on `--instance_prompt` alone.'
      : '',
    info.reg.onlyImages
      ? ''
      : ` It opens every file in \`--class_data_dir\` as an image, and \`${info.regDir}\` holds other files (captions): copy its images alone into a folder of their own and give that folder instead.`,
  ].join('');
}

/**
 * `TRAINING.md`, written beside the dataset: the command that trains on it for each trainer written, run from
 * the dataset folder (every path in the setups is relative to it), what each mask mode needs, and the trainers
 * left out and why.
 */
export function makeTrainingGuide(
  info: TrainerDatasetInfo,
  trainers: readonly TrainerName[],
  skipped: readonly SkippedTrainer[],
): string {
  const sections: Record<TrainerName, (info: TrainerDatasetInfo) => string[]> = {
    'sd-scripts': sdScripts,
    'ai-toolkit': aiToolkit,
    onetrainer: oneTrainer,
    simpletuner: simpleTuner,
    diffusers,
  };
  const lines = [
    `# Training on this dataset (${info.classTokens || 'vrm-lora'})`,
    '',
    'Written by vrm-lora. Every path in the setups below is relative to this folder, so the folder can be copied',
    'or moved anywhere: `cd` into it and run the command. `<…>` are yours to fill in.',
    '',
    ...trainers.flatMap((trainer) => sections[trainer](info)),
  ];
  if (skipped.length > 0) {
    lines.push('## Not written', '', ...skipped.map((s) => `- ${s.trainer}: ${s.reason}`), '');
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}`;
}
