import type { TrainerDatasetInfo } from './trainer-dataset-info.js';

/** OneTrainer's `ConceptConfig` format version (`modules/util/config/ConceptConfig.py`); 2 needs no migration. */
const CONCEPT_CONFIG_VERSION = 2;

function concept(
  name: string,
  conceptPath: string,
  repeats: number,
  text: Record<string, unknown>,
): Record<string, unknown> {
  return {
    __version: CONCEPT_CONFIG_VERSION,
    name,
    path: conceptPath,
    seed: 0,
    enabled: true,
    type: 'STANDARD',
    include_subdirectories: false,
    image_variations: 1,
    text_variations: 1,
    balancing: repeats,
    balancing_strategy: 'REPEATS',
    loss_weight: 1,
    image: { enable_crop_jitter: false },
    text: { prompt_path: '', enable_tag_shuffling: false, tag_delimiter: ',', ...text },
  };
}

/**
 * A Nerogar OneTrainer concepts file (the list `TrainConfig.concept_file_name` points at; keys of
 * `modules/util/config/ConceptConfig.py`): the images with `prompt_source: "sample"` (OneTrainer reads
 * `<image stem>.txt`, picking one line per step, so caption variants work) and `balancing` = repeats, and a
 * second concept for regularisation images when there are some (their `.txt` captions, or the class words from
 * `regPromptFile` when some image has none). OneTrainer reads masks only as `<stem>-masklabel.png` beside each
 * image, which this dataset does not hold, so it trains unmasked. Paths resolve from OneTrainer's working
 * directory.
 */
export function makeOneTrainerConcepts(info: TrainerDatasetInfo, regPromptFile: string | null): string {
  const concepts = [
    concept(info.classTokens || 'subject', info.imageDir, info.repeats, {
      prompt_source: 'sample',
      keep_tags_count: Math.max(1, info.keepTokens),
    }),
  ];
  if (info.regDir && info.reg) {
    concepts.push(
      concept(
        `${info.classToken || 'class'} (regularisation)`,
        info.regDir,
        1,
        info.reg.captioned || !regPromptFile
          ? { prompt_source: 'sample', keep_tags_count: 1 }
          : { prompt_source: 'concept', prompt_path: regPromptFile, keep_tags_count: 1 },
      ),
    );
  }
  return `${JSON.stringify(concepts, null, 2)}\n`;
}
