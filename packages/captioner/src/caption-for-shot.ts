import type { CameraFrame, CaptionSettings } from '@vrm-lora/manifest';
import type { CaptionShot } from './caption-shot.js';
import { deriveView } from './derive-view.js';
import {
  type CaptionStyle,
  type CaptionVars,
  DEFAULT_CAPTION_TEMPLATE,
  DEFAULT_TAG_TEMPLATE,
  renderCaption,
} from './render-caption.js';

/** Human words for each camera frame. */
export const FRAME_WORDS: Readonly<Record<CameraFrame, string>> = {
  fullShot: 'full shot',
  cowboyShot: 'cowboy shot',
  mediumShot: 'medium shot',
  mediumCloseUp: 'medium close-up',
  closeUp: 'close-up',
};

/**
 * Identity of the caption code, for cache keys: bump it whenever the same shot and settings would give a different
 * caption.
 */
export const CAPTIONER_VERSION = 'captioner/1';

/** Plan-level caption settings (a `ResolvedPlan` with `trigger` set can be passed as is). */
export interface CaptionForShotOptions {
  /** The trigger word, e.g. `anata`. */
  trigger: string;
  /** The class token, e.g. `person`; empty or absent for none. */
  classToken?: string;
  /** Template; default {@link DEFAULT_CAPTION_TEMPLATE}, or {@link DEFAULT_TAG_TEMPLATE} in tag style. */
  template?: string;
  /** `sentence` (default) or `tags`. */
  style?: CaptionStyle;
  /**
   * The manifest's caption settings (`variants`: more lines, see {@link captionLinesForShot}); `template` and
   * `style` above win over these.
   */
  caption?: CaptionSettings;
}

const ANIMATION_EXTENSION = /\.(fbx|vrma|glb|gltf|bvh|json)$/i;

/**
 * Turns a clip name into words: extension dropped, camelCase, `_` and `-` split, lower case
 * (`SittingIdle.fbx` → `sitting idle`, `mixamo_com-Salute` → `mixamo com salute`).
 */
export function humaniseAnimationName(name: string): string {
  return name
    .replace(ANIMATION_EXTENSION, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-.\s]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Every template variable's value for one shot. */
export function captionVarsForShot(shot: CaptionShot, options: CaptionForShotOptions): CaptionVars {
  return {
    trigger: options.trigger,
    class: options.classToken ?? '',
    description: shot.description,
    background: shot.backgroundDescription,
    expression: shot.expression ?? '',
    frame: FRAME_WORDS[shot.camera.frame],
    view: deriveView(shot.camera.position),
    animation: humaniseAnimationName(shot.animation.name),
    number: String(shot.number),
  };
}

/** The caption of one shot; errors name the entry (`shot.jsonPath`). */
export function captionForShot(shot: CaptionShot, options: CaptionForShotOptions): string {
  const style = options.style ?? options.caption?.style ?? 'sentence';
  const template =
    options.template ??
    options.caption?.template ??
    (style === 'tags' ? DEFAULT_TAG_TEMPLATE : DEFAULT_CAPTION_TEMPLATE);
  const caption = renderCaption(template, captionVarsForShot(shot, options), {
    style,
    entryLabel: `${shot.jsonPath} (entry ${shot.number})`,
  });
  // `caption.suffix`: the same words at the end of every line.
  const suffix = options.caption?.suffix?.trim().replace(/\s+/g, ' ') ?? '';
  return suffix === '' ? caption : `${caption}, ${suffix}`;
}

/**
 * The caption of one shot as lines: the main caption ({@link captionForShot}) then one line per
 * `caption.variants` entry (its template, or its style's default template), duplicates dropped. Trainers that
 * read caption lines as variants (sd-scripts with `enable_wildcard`, OneTrainer, SimpleTuner, diffusers' caption
 * lists) train on one line per step.
 */
export function captionLinesForShot(shot: CaptionShot, options: CaptionForShotOptions): string[] {
  const lines = [captionForShot(shot, options)];
  for (const variant of options.caption?.variants ?? []) {
    const style = variant.style ?? 'sentence';
    const line = captionForShot(shot, {
      ...options,
      style,
      template: variant.template ?? (style === 'tags' ? DEFAULT_TAG_TEMPLATE : DEFAULT_CAPTION_TEMPLATE),
    });
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}
