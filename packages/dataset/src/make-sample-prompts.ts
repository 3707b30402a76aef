import type { TrainerDatasetInfo } from './trainer-dataset-info.js';

/** One training-preview prompt. */
export interface SamplePrompt {
  prompt: string;
  widthPx: number;
  heightPx: number;
  seed: number;
}

/** Views a preview may ask for, with the words that show a caption already holds the view. */
const VIEWS: readonly { words: string; held: RegExp }[] = [
  { words: 'from behind', held: /\b(back|behind|away)\b/ },
  { words: 'side view', held: /\b(side|profile)\b/ },
  { words: 'from above', held: /\babove\b/ },
  { words: 'from below', held: /\bbelow\b/ },
  { words: 'three-quarter view', held: /\bthree-quarter\b/ },
  { words: 'front view', held: /\bfront\b/ },
];

/** Poses a preview may ask for, with the words that show a caption already holds the pose. */
const POSES: readonly { words: string; held: RegExp }[] = [
  { words: 'jumping in the air', held: /\bjump/ },
  { words: 'lying on the grass', held: /\b(lying|lies|lie)\b/ },
  { words: 'riding a bicycle', held: /\b(riding|bicycle|bike)\b/ },
  { words: 'reading a book', held: /\b(reading|book)\b/ },
  { words: 'holding an umbrella', held: /\bumbrella\b/ },
  { words: 'sitting on a chair', held: /\bchair\b/ },
  { words: 'waving', held: /\bwav(e|ing)\b/ },
  { words: 'standing', held: /\bstand/ },
];

/** sd-scripts' preview settings: steps (`--s`) and CFG scale (`--l`); seeds (`--d`) count up from this. */
const SAMPLE_STEPS = 28;
const SAMPLE_CFG_SCALE = 7;
const FIRST_SEED = 1000;

/**
 * Preview prompts for training: the trigger and class as trained (front view, full shot), then up to five poses
 * and views that no caption holds (so a preview shows whether the LoRA generalises), all at the dataset's most
 * common size. Deterministic for the same captions.
 */
export function makeSamplePrompts(
  info: Pick<TrainerDatasetInfo, 'classTokens' | 'captionLines'>,
  size: readonly [number, number],
): SamplePrompt[] {
  const held = info.captionLines.join('\n').toLowerCase();
  const views = VIEWS.filter((view) => !view.held.test(held)).map((view) => view.words);
  const poses = POSES.filter((pose) => !pose.held.test(held)).map((pose) => pose.words);
  const subject = info.classTokens || 'subject';
  const prompts = [`${subject}, full shot, front view, plain background`];
  const count = Math.min(5, Math.max(poses.length, views.length));
  for (let i = 0; i < count; i++) {
    const pose = poses.length > 0 ? poses[i % poses.length] : 'standing';
    const view = views.length > 0 ? views[i % views.length] : 'front view';
    prompts.push(`${subject}, ${pose}, ${view}, full shot, outdoors`);
  }
  return prompts.map((prompt, i) => ({ prompt, widthPx: size[0], heightPx: size[1], seed: FIRST_SEED + i }));
}

/**
 * sd-scripts' `--sample_prompts` file: one prompt per line with `--w`/`--h` (size), `--s` (steps), `--d` (seed) and
 * `--l` (CFG scale), as `library/train_util.py` `sample_images` parses them.
 */
export function makeSdScriptsSamplePrompts(prompts: readonly SamplePrompt[]): string {
  const lines = prompts.map(
    (p) =>
      `${p.prompt} --w ${p.widthPx} --h ${p.heightPx} --s ${SAMPLE_STEPS} --d ${p.seed} --l ${SAMPLE_CFG_SCALE}`,
  );
  return `${lines.join('\n')}\n`;
}
