import { TRAINER_NAMES, type TrainerName } from '@vrm-lora/manifest';
import { DatasetError, type DatasetLayout, type PlannedFile, type SkippedTrainer } from './dataset-types.js';
import { makeAiToolkitConfig } from './make-ai-toolkit-config.js';
import { makeDatasetToml } from './make-dataset-toml.js';
import { type DiffusersMetadataEntry, makeDiffusersMetadata } from './make-diffusers-metadata.js';
import { makeOneTrainerConcepts } from './make-onetrainer-concepts.js';
import { makeSamplePrompts, makeSdScriptsSamplePrompts } from './make-sample-prompts.js';
import { makeSimpleTunerBackend } from './make-simpletuner-backend.js';
import { makeTrainingGuide, TRAINER_FILES } from './make-training-guide.js';
import { mostCommonSize, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/** The dataset facts that decide which trainers can read it. */
export interface TrainerSupportFacts {
  layout: DatasetLayout;
  captionExtension: 'txt' | 'caption';
  /** Whether captions have several lines (caption variants). */
  multiLineCaptions: boolean;
}

/**
 * Why `trainer` cannot read a dataset with these facts, or `null` when it can: only diffusers reads the jsonl
 * layout, ai-toolkit reads a caption file whole (no variants), OneTrainer and SimpleTuner read only `.txt`.
 */
export function trainerSupportProblem(trainer: TrainerName, facts: TrainerSupportFacts): string | null {
  const { layout } = facts;
  const info = facts;
  if (layout === 'jsonl' && trainer !== 'diffusers') {
    return 'it reads captions from files beside the images, which the jsonl layout does not write; use layout "kohya" or "flat".';
  }
  if (trainer === 'ai-toolkit' && info.multiLineCaptions) {
    return 'it reads a caption file whole, so caption variants (one per line) would be trained as one caption; drop caption.variants to get its config.';
  }
  if ((trainer === 'onetrainer' || trainer === 'simpletuner') && info.captionExtension !== 'txt') {
    return `it reads only .txt caption files; set caption.extension to "txt".`;
  }
  return null;
}

/** The trainers to write for, and those left out of the default set. */
export function chooseTrainers(
  requested: readonly TrainerName[] | null | undefined,
  layout: DatasetLayout,
  info: TrainerDatasetInfo,
): { trainers: TrainerName[]; skipped: SkippedTrainer[] } {
  const trainers: TrainerName[] = [];
  const skipped: SkippedTrainer[] = [];
  for (const trainer of TRAINER_NAMES) {
    if (requested && !requested.includes(trainer)) continue;
    const reason = trainerSupportProblem(trainer, { layout, ...info });
    if (reason === null) trainers.push(trainer);
    else if (requested)
      throw new DatasetError(`Cannot write the ${trainer} setup for this dataset: ${reason}`);
    else skipped.push({ trainer, reason });
  }
  return { trainers, skipped };
}

/**
 * The trainer setups of a dataset (see `TRAINER_FILES`): `dataset.toml` and `sample-prompts.txt` (sd-scripts),
 * `ai-toolkit.yaml`, `onetrainer-concepts.json` (and a class-prompt file for uncaptioned regularisation images),
 * `simpletuner-multidatabackend.json`, `<image folder>/metadata.jsonl` (diffusers; for the jsonl layout it is the
 * layout's own metadata file), and `TRAINING.md` with the command for each.
 */
export function planTrainerFiles(args: {
  layout: DatasetLayout;
  /** The image folder relative to the output folder (where diffusers' metadata.jsonl goes). */
  imageDirRelative: string;
  info: TrainerDatasetInfo;
  trainers: readonly TrainerName[];
  skipped: readonly SkippedTrainer[];
  metadata: readonly DiffusersMetadataEntry[];
}): PlannedFile[] {
  const { info, trainers } = args;
  const files: PlannedFile[] = [];
  const text = (path: string, kind: PlannedFile['kind'], content: string) =>
    files.push({ path, kind, source: Buffer.from(content, 'utf8') });
  const prompts = makeSamplePrompts(info, mostCommonSize(info.sizes));
  if (trainers.includes('sd-scripts')) {
    text(TRAINER_FILES.sdScriptsToml, 'config', makeDatasetToml(info));
    text(TRAINER_FILES.sdScriptsSamplePrompts, 'config', makeSdScriptsSamplePrompts(prompts));
  }
  if (trainers.includes('ai-toolkit'))
    text(TRAINER_FILES.aiToolkit, 'config', makeAiToolkitConfig(info, prompts));
  if (trainers.includes('onetrainer')) {
    const regPrompt = info.reg && !info.reg.captioned ? TRAINER_FILES.oneTrainerRegPrompt : null;
    text(TRAINER_FILES.oneTrainer, 'config', makeOneTrainerConcepts(info, regPrompt));
    if (regPrompt) text(regPrompt, 'config', `${info.classToken || info.classTokens}\n`);
  }
  if (trainers.includes('simpletuner'))
    text(TRAINER_FILES.simpleTuner, 'config', makeSimpleTunerBackend(info));
  if (trainers.includes('diffusers') || args.layout === 'jsonl') {
    text(`${args.imageDirRelative}/metadata.jsonl`, 'metadata', makeDiffusersMetadata(args.metadata));
  }
  if (trainers.length > 0)
    text(TRAINER_FILES.guide, 'config', makeTrainingGuide(info, trainers, args.skipped));
  return files;
}
