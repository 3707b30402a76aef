import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { type DatasetEntry, makeSamplePrompts, writeDataset } from '../src/index.js';
import { makeTestEntry } from './support/make-test-entry.js';

// Each trainer's setup is parsed with a parser of its format, its keys checked against the trainer's own loader
// (sd-scripts library/config_util.py, ai-toolkit toolkit/config_modules.py DatasetConfig, OneTrainer
// modules/util/config/ConceptConfig.py, SimpleTuner documentation/DATALOADER.md, diffusers
// examples/text_to_image/train_text_to_image_lora.py), and every path resolved from the dataset folder after the
// folder was copied elsewhere and the original deleted.

type Json = Record<string, unknown>;
const IMAGE = /\.(png|jpe?g|webp)$/i;

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-trainers-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** An 832 × 1216 entry with a mask and the class token in its caption. */
function entry(number: number, description: string, extra: Partial<DatasetEntry> = {}): DatasetEntry {
  return makeTestEntry(number, description, {
    width: 832,
    height: 1216,
    caption: `anata person ${description}, plain grey background`,
    mask: Buffer.from(`mask ${number}`),
    ...extra,
  });
}
const ENTRIES = [
  entry(1, 'walking full shot'),
  entry(2, 'sitting on the floor'),
  entry(3, 'saluting close-up'),
];

/** Writes a dataset into `<tmp>/written`, copies it to `<tmp>/moved/here` and deletes the original. */
async function writeAndMove(
  entries: readonly DatasetEntry[],
  options: Parameters<typeof writeDataset>[2],
  before?: (out: string) => void,
) {
  const written = path.join(tmp, 'written');
  fs.mkdirSync(written, { recursive: true });
  before?.(written);
  const result = await writeDataset(written, entries, options);
  const moved = path.join(tmp, 'moved', 'here');
  fs.cpSync(written, moved, { recursive: true });
  fs.rmSync(written, { recursive: true });
  /** A config path as a trainer started in the moved folder (the documented working directory) opens it. */
  const resolve = (p: string) => {
    expect(path.isAbsolute(p), `${p} must be relative`).toBe(false);
    return path.resolve(moved, p);
  };
  const read = (file: string) => fs.readFileSync(path.join(moved, file), 'utf8');
  return { result, moved, resolve, read };
}

/** The images of a folder, as every trainer lists them (by extension, not in subfolders). */
function imagesIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => IMAGE.test(name))
    .sort();
}

function stem(name: string): string {
  return name.slice(0, name.length - path.extname(name).length);
}

describe('trainer setups of a kohya dataset with separate masks and regularisation images', () => {
  async function setup() {
    return writeAndMove(
      ENTRIES,
      { trigger: 'anata', classToken: 'person', repeats: 10, keepTokens: 1, maskMode: 'separate' },
      (out) => {
        fs.mkdirSync(path.join(out, 'reg'));
        fs.writeFileSync(path.join(out, 'reg', 'person-01.png'), 'reg 1');
        fs.writeFileSync(path.join(out, 'reg', 'person-02.jpg'), 'reg 2');
      },
    );
  }

  it('writes every trainer by default and reports the regularisation folder', async () => {
    const { result, read } = await setup();
    expect(result.trainers).toEqual(['sd-scripts', 'ai-toolkit', 'onetrainer', 'simpletuner', 'diffusers']);
    expect(result.skippedTrainers).toEqual([]);
    expect(result.reg).toEqual({
      dir: 'reg',
      images: ['person-01.png', 'person-02.jpg'],
      captioned: false,
      onlyImages: true,
    });
    const guide = read('TRAINING.md');
    for (const command of [
      'accelerate launch <sd-scripts>/train_network.py',
      'sdxl_train_network.py',
      'flux_train_network.py',
      'python <ai-toolkit>/run.py ai-toolkit.yaml',
      '--config-value concept_file_name=onetrainer-concepts.json',
      '--data_backend_config simpletuner-multidatabackend.json',
      "--train_data_dir 'img/10_anata person' --image_column image --caption_column text",
      '--caption_extension .txt',
      '--masked_loss',
    ]) {
      expect(guide).toContain(command);
    }
  });

  it('sd-scripts: dataset.toml finds every image, caption and mask from the dataset folder', async () => {
    const { resolve, read } = await setup();
    const text = read('dataset.toml');
    expect(text).toContain(
      'cd <this folder> && accelerate launch <sd-scripts>/train_network.py --dataset_config dataset.toml',
    );
    const toml = parseToml(text) as unknown as { general: Json; datasets: (Json & { subsets: Json[] })[] };
    expect(toml.general).toEqual({ caption_extension: '.txt', shuffle_caption: false, keep_tokens: 1 });
    // Separate masks make the image dataset a masked-loss one; the is_reg subset needs a dataset of its own.
    expect(toml.datasets).toHaveLength(2);
    expect(text).toContain(
      '# train_db.py --masked_loss accepts only masked subsets: delete this block to use train_db.py.',
    );
    for (const dataset of toml.datasets) {
      expect(dataset).toMatchObject({
        resolution: [832, 1216],
        batch_size: 1,
        enable_bucket: true,
        bucket_no_upscale: true,
        bucket_reso_steps: 64,
        min_bucket_reso: 256,
        max_bucket_reso: 2048,
      });
    }
    const [images, reg] = [toml.datasets[0]!.subsets[0]!, toml.datasets[1]!.subsets[0]!];
    expect(images).toEqual({
      image_dir: 'img/10_anata person',
      caption_extension: '.txt',
      num_repeats: 10,
      keep_tokens: 1,
      conditioning_data_dir: 'mask/10_anata person',
    });
    expect(reg).toEqual({
      image_dir: 'reg',
      is_reg: true,
      caption_extension: '.txt',
      num_repeats: 1,
      class_tokens: 'person',
    });
    const imageDir = resolve(images.image_dir as string);
    const found = imagesIn(imageDir);
    expect(found).toHaveLength(3);
    for (const name of found) {
      expect(
        fs.readFileSync(path.join(imageDir, `${stem(name)}${images.caption_extension}`), 'utf8'),
      ).toMatch(/^anata person /);
      expect(
        fs.existsSync(path.join(resolve(images.conditioning_data_dir as string), `${stem(name)}.png`)),
      ).toBe(true);
    }
    expect(imagesIn(resolve(reg.image_dir as string))).toEqual(['person-01.png', 'person-02.jpg']);
    const prompts = read('sample-prompts.txt').trimEnd().split('\n');
    expect(prompts[0]).toBe(
      'anata person, full shot, front view, plain background --w 832 --h 1216 --s 28 --d 1000 --l 7',
    );
    for (const line of prompts)
      expect(line).toMatch(/^anata person, .+ --w 832 --h 1216 --s 28 --d \d+ --l 7$/);
  });

  it('ai-toolkit: the datasets block finds every image, caption and mask', async () => {
    const { resolve, read } = await setup();
    const yaml = parseYaml(read('ai-toolkit.yaml')) as {
      job: string;
      config: { process: (Json & { datasets: Json[]; sample: Json })[] };
    };
    expect(yaml.job).toBe('extension');
    const process = yaml.config.process[0]!;
    expect(process).toMatchObject({ type: 'sd_trainer', trigger_word: 'anata', training_folder: 'output' });
    const [images, reg] = process.datasets as [Json, Json];
    expect(images).toEqual({
      folder_path: 'img/10_anata person',
      caption_ext: 'txt',
      num_repeats: 10,
      keep_tokens: 1,
      shuffle_tokens: false,
      caption_dropout_rate: 0.05,
      cache_latents_to_disk: true,
      resolution: [1024],
      mask_path: 'mask/10_anata person',
    });
    expect(reg).toMatchObject({
      folder_path: 'reg',
      is_reg: true,
      default_caption: 'person',
      num_repeats: 1,
    });
    const folder = resolve(images.folder_path as string);
    for (const name of imagesIn(folder)) {
      expect(fs.existsSync(path.join(folder, `${stem(name)}.${images.caption_ext}`))).toBe(true);
      expect(fs.existsSync(path.join(resolve(images.mask_path as string), `${stem(name)}.png`))).toBe(true);
    }
    expect(imagesIn(folder)).toHaveLength(3);
    expect(imagesIn(resolve(reg.folder_path as string))).toHaveLength(2);
    expect(process.sample).toMatchObject({ width: 832, height: 1216 });
    expect((process.sample.prompts as string[])[0]).toBe(
      'anata person, full shot, front view, plain background',
    );
  });

  it('OneTrainer: the concepts file finds every image and its .txt caption; reg images get the class prompt', async () => {
    const { resolve, read } = await setup();
    const concepts = JSON.parse(read('onetrainer-concepts.json')) as (Json & { text: Json })[];
    expect(concepts).toHaveLength(2);
    expect(concepts[0]).toMatchObject({
      __version: 2,
      name: 'anata person',
      path: 'img/10_anata person',
      enabled: true,
      type: 'STANDARD',
      include_subdirectories: false,
      balancing: 10,
      balancing_strategy: 'REPEATS',
      text: { prompt_source: 'sample', keep_tags_count: 1 },
    });
    expect(concepts[1]).toMatchObject({
      path: 'reg',
      balancing: 1,
      text: { prompt_source: 'concept', prompt_path: 'onetrainer-reg-prompt.txt' },
    });
    const folder = resolve(concepts[0]!.path as string);
    expect(imagesIn(folder)).toHaveLength(3);
    for (const name of imagesIn(folder))
      expect(fs.existsSync(path.join(folder, `${stem(name)}.txt`))).toBe(true);
    expect(fs.readFileSync(resolve(concepts[1]!.text.prompt_path as string), 'utf8')).toBe('person\n');
    expect(imagesIn(resolve(concepts[1]!.path as string))).toHaveLength(2);
  });

  it('SimpleTuner: 0-based repeats, .txt captions, a mask backend, a regularisation backend', async () => {
    const { resolve, read } = await setup();
    const backends = JSON.parse(read('simpletuner-multidatabackend.json')) as Json[];
    expect(backends.map((b) => b.id)).toEqual([
      'vrm-lora-images',
      'vrm-lora-masks',
      'vrm-lora-regularisation',
      'vrm-lora-text-embeds',
    ]);
    const [images, masks, reg, embeds] = backends as [Json, Json, Json, Json];
    expect(images).toEqual({
      id: 'vrm-lora-images',
      type: 'local',
      dataset_type: 'image',
      instance_data_dir: 'img/10_anata person',
      caption_strategy: 'textfile',
      repeats: 9,
      resolution: 1024,
      resolution_type: 'pixel_area',
      minimum_image_size: 832,
      crop: false,
      cache_dir_vae: 'cache/vae/vrm-lora-images',
      conditioning_data: 'vrm-lora-masks',
    });
    expect(masks).toMatchObject({ dataset_type: 'conditioning', conditioning_type: 'mask' });
    expect(reg).toMatchObject({
      is_regularisation_data: true,
      caption_strategy: 'instanceprompt',
      instance_prompt: 'person',
      repeats: 0,
    });
    expect(embeds).toEqual({
      id: 'vrm-lora-text-embeds',
      type: 'local',
      dataset_type: 'text_embeds',
      default: true,
      cache_dir: 'cache/text',
    });
    const folder = resolve(images.instance_data_dir as string);
    const maskFolder = resolve(masks.instance_data_dir as string);
    expect(imagesIn(folder)).toHaveLength(3);
    expect(imagesIn(maskFolder)).toEqual(imagesIn(folder));
    for (const name of imagesIn(folder))
      expect(fs.existsSync(path.join(folder, `${stem(name)}.txt`))).toBe(true);
    expect(imagesIn(resolve(reg.instance_data_dir as string))).toHaveLength(2);
  });

  it('diffusers: metadata.jsonl beside the images names each file and its caption', async () => {
    const { moved, read } = await setup();
    const lines = read('img/10_anata person/metadata.jsonl').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const folder = path.join(moved, 'img/10_anata person');
    for (const line of lines) {
      const row = JSON.parse(line) as { file_name: string; text: string };
      expect(Object.keys(row)).toEqual(['file_name', 'text']);
      expect(fs.existsSync(path.join(folder, row.file_name))).toBe(true);
      expect(row.text).toBe(fs.readFileSync(path.join(folder, `${stem(row.file_name)}.txt`), 'utf8'));
    }
  });
});

describe('caption variants, alpha masks, other layouts', () => {
  const VARIANTS = ENTRIES.map((e) => ({
    ...e,
    mask: null,
    caption: `${e.caption}\nanata, person, ${e.description}, grey background`,
  }));

  it('multi-line captions: enable_wildcard for sd-scripts, lists for diffusers, lines for OneTrainer; ai-toolkit left out', async () => {
    const { result, read } = await writeAndMove(VARIANTS, { trigger: 'anata', classToken: 'person' });
    expect(result.trainers).toEqual(['sd-scripts', 'onetrainer', 'simpletuner', 'diffusers']);
    expect(result.skippedTrainers).toEqual([
      {
        trainer: 'ai-toolkit',
        reason:
          'it reads a caption file whole, so caption variants (one per line) would be trained as one caption; drop caption.variants to get its config.',
      },
    ]);
    const toml = parseToml(read('dataset.toml')) as { general: Json };
    expect(toml.general.enable_wildcard).toBe(true);
    const caption = read('img/10_anata person/0001-walking-full-shot.txt');
    expect(caption.split('\n')).toEqual([
      'anata person walking full shot, plain grey background',
      'anata, person, walking full shot, grey background',
    ]);
    const row = JSON.parse(read('img/10_anata person/metadata.jsonl').split('\n')[0]!) as { text: string[] };
    expect(row.text).toEqual(caption.split('\n'));
    expect(read('TRAINING.md')).toContain('## Not written');
    await expect(
      writeDataset(path.join(tmp, 'asked'), VARIANTS, { trigger: 'anata', trainers: ['ai-toolkit'] }),
    ).rejects.toThrow('Cannot write the ai-toolkit setup for this dataset: it reads a caption file whole');
  });

  it('flat layout, .caption files, alpha masks: sd-scripts and ai-toolkit read them; OneTrainer and SimpleTuner need .txt', async () => {
    const entries = ENTRIES.map((e) => ({ ...e, mask: null }));
    const { result, resolve, read } = await writeAndMove(entries, {
      trigger: 'anata',
      classToken: 'person',
      layout: 'flat',
      captionExtension: 'caption',
      maskMode: 'alpha',
      repeats: 4,
    });
    expect(result.trainers).toEqual(['sd-scripts', 'ai-toolkit', 'diffusers']);
    expect(result.skippedTrainers.map((s) => s.trainer)).toEqual(['onetrainer', 'simpletuner']);
    const subset = (parseToml(read('dataset.toml')) as { datasets: { subsets: Json[] }[] }).datasets[0]!
      .subsets[0]!;
    expect(subset).toEqual({
      image_dir: 'train',
      caption_extension: '.caption',
      num_repeats: 4,
      keep_tokens: 1,
      class_tokens: 'anata person',
      alpha_mask: true,
    });
    const dataset = (parseYaml(read('ai-toolkit.yaml')) as { config: { process: { datasets: Json[] }[] } })
      .config.process[0]!.datasets[0]!;
    expect(dataset).toMatchObject({
      folder_path: 'train',
      caption_ext: 'caption',
      num_repeats: 4,
      alpha_mask: true,
    });
    const folder = resolve(subset.image_dir as string);
    expect(imagesIn(folder)).toEqual(['0001.png', '0002.png', '0003.png']);
    for (const name of imagesIn(folder))
      expect(fs.existsSync(path.join(folder, `${stem(name)}.caption`))).toBe(true);
    await expect(
      writeDataset(path.join(tmp, 'asked'), entries, {
        trigger: 'anata',
        captionExtension: 'caption',
        trainers: ['simpletuner'],
      }),
    ).rejects.toThrow(
      'Cannot write the simpletuner setup for this dataset: it reads only .txt caption files; set caption.extension to "txt".',
    );
  });
});

/** The one line of TRAINING.md that holds `needle`, split into its arguments (no argument has a space). */
function commandArgs(guide: string, needle: string): string[] {
  const lines = guide.split('\n').filter((line) => line.includes(needle));
  expect(lines, `one line with ${needle}`).toHaveLength(1);
  return lines[0]!.replace(/`/g, ' ').split(/\s+/);
}

/** The value after `flag` in `args`, or `undefined` when the flag is absent. */
function flagValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at === -1 ? undefined : args[at + 1];
}

describe("trainer commands, against the trainers' own argument rules", () => {
  const REG = (out: string, captioned: boolean) => {
    fs.mkdirSync(path.join(out, 'reg'));
    fs.writeFileSync(path.join(out, 'reg', 'person-01.png'), 'reg 1');
    fs.writeFileSync(path.join(out, 'reg', 'person-02.png'), 'reg 2');
    if (captioned) {
      fs.writeFileSync(path.join(out, 'reg', 'person-01.txt'), 'a person');
      fs.writeFileSync(path.join(out, 'reg', 'person-02.txt'), 'a person');
    }
  };

  it('SimpleTuner: the command gives every option its parser requires', async () => {
    const { read } = await writeAndMove(ENTRIES, { trigger: 'anata', classToken: 'person' });
    const args = commandArgs(read('TRAINING.md'), '-m simpletuner.train');
    // SimpleTuner builds its argparse parser from the field registry (simpletuner/helpers/configuration/
    // cmd_args.py _add_argument_from_field: required=True for a ValidationRuleType.REQUIRED rule); the fields with
    // one are model_family, output_dir, model_type (field_registry/sections/model.py), optimizer (training.py) and
    // data_backend_config (data.py), the five its own tests pass (tests/test_distillation_cmd_args.py _base_args).
    for (const flag of [
      '--model_family',
      '--model_type',
      '--output_dir',
      '--optimizer',
      '--data_backend_config',
    ])
      expect(flagValue(args, flag), flag).toMatch(/^[^-]/);
    expect(flagValue(args, '--optimizer')).toBe('adamw_bf16');
    expect(flagValue(args, '--data_backend_config')).toBe('simpletuner-multidatabackend.json');
  });

  it('SimpleTuner: separate masks are linked only when they have their images’ file names', async () => {
    // MultiAspectSampler.get_conditioning_sample (simpletuner/helpers/multiaspect/sampler.py) joins the training
    // image's path relative to its instance_data_dir onto the conditioning folder, extension included: a
    // 0001.webp image looks for mask/.../0001.webp, and the masks are PNG.
    const webp = ENTRIES.map((e) => ({ ...e, imageExtension: 'webp' as const }));
    const { read } = await writeAndMove(webp, {
      trigger: 'anata',
      classToken: 'person',
      maskMode: 'separate',
    });
    const backends = JSON.parse(read('simpletuner-multidatabackend.json')) as Json[];
    expect(backends.map((b) => b.id)).toEqual(['vrm-lora-images', 'vrm-lora-text-embeds']);
    expect(backends[0]).not.toHaveProperty('conditioning_data');
    expect(read('TRAINING.md')).toContain('SimpleTuner pairs a mask with its image by the same file name');
    // sd-scripts and ai-toolkit find a mask by the image's stem, whatever its extension.
    const dataset = (parseYaml(read('ai-toolkit.yaml')) as { config: { process: { datasets: Json[] }[] } })
      .config.process[0]!.datasets[0]!;
    expect(dataset.mask_path).toBe('mask/10_anata person');
  });

  it('diffusers DreamBooth: required model flag, no class images generated into reg/, strings for prompts', async () => {
    // examples/dreambooth/train_dreambooth_lora_sdxl.py: --pretrained_model_name_or_path is required=True;
    // with fewer files in --class_data_dir than --num_class_images (default 100) it samples the rest with the
    // pipeline and saves them there; DreamBoothDataset opens every entry of that folder with Image.open.
    const plain = await writeAndMove(ENTRIES, { trigger: 'anata', classToken: 'person' }, (out) =>
      REG(out, false),
    );
    const args = commandArgs(plain.read('TRAINING.md'), 'train_dreambooth_lora_sdxl.py');
    expect(args).toContain('accelerate');
    expect(flagValue(args, '--pretrained_model_name_or_path')).toBe('<sdxl-model>');
    expect(flagValue(args, '--class_data_dir')).toBe('reg');
    expect(flagValue(args, '--num_class_images')).toBe('2');
    expect(flagValue(args, '--caption_column')).toBe('text');
    expect(plain.read('TRAINING.md')).not.toContain('holds other files');
    fs.rmSync(tmp, { recursive: true });
    fs.mkdirSync(tmp);

    // Caption variants make `text` a list, which the script would hand to the tokenizer as one prompt; captioned
    // regularisation images put .txt files in reg/.
    const variants = ENTRIES.map((e) => ({ ...e, mask: null, caption: `${e.caption}\nanata, person` }));
    const listed = await writeAndMove(variants, { trigger: 'anata', classToken: 'person' }, (out) =>
      REG(out, true),
    );
    const guide = listed.read('TRAINING.md');
    expect(
      flagValue(commandArgs(guide, 'train_dreambooth_lora_sdxl.py'), '--caption_column'),
    ).toBeUndefined();
    expect(guide).toContain('with caption variants it trains on `--instance_prompt` alone');
    expect(guide).toContain('`reg` holds other files (captions): copy its images alone');
  });
});

describe('sample prompts', () => {
  it('asks for poses and views no caption holds', () => {
    const prompts = makeSamplePrompts(
      {
        classTokens: 'anata person',
        captionLines: [
          'anata person standing, back view',
          'anata person waving from the side',
          'jumping high',
        ],
      },
      [512, 768],
    );
    const text = prompts.map((p) => p.prompt).join('\n');
    expect(prompts[0]).toEqual({
      prompt: 'anata person, full shot, front view, plain background',
      widthPx: 512,
      heightPx: 768,
      seed: 1000,
    });
    expect(prompts).toHaveLength(6);
    for (const held of ['standing', 'waving', 'jumping', 'from behind', 'side view'])
      expect(text).not.toContain(held);
    expect(text).toContain('lying on the grass');
    expect(text).toContain('from above');
  });
});
