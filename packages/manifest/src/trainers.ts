/**
 * The trainers vrm-lora writes ready-to-run setups for, beside the dataset: kohya-ss sd-scripts (`dataset.toml`),
 * ostris ai-toolkit (`ai-toolkit.yaml`), Nerogar OneTrainer (`onetrainer-concepts.json`), bghira SimpleTuner
 * (`simpletuner-multidatabackend.json`) and Hugging Face diffusers (`metadata.jsonl` in the image folder).
 */
export const TRAINER_NAMES = ['sd-scripts', 'ai-toolkit', 'onetrainer', 'simpletuner', 'diffusers'] as const;

/** One trainer of {@link TRAINER_NAMES}. */
export type TrainerName = (typeof TRAINER_NAMES)[number];
