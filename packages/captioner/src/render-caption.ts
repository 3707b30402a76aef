import {
  CAPTION_TEMPLATE_VARIABLES,
  DEFAULT_CAPTION_TEMPLATE as MANIFEST_DEFAULT_TEMPLATE,
  DEFAULT_TAG_TEMPLATE as MANIFEST_TAG_TEMPLATE,
  splitCaptionTemplate,
} from '@vrm-lora/manifest';

/** The variables a caption template may use, in the order error messages list them (the manifest's list). */
export const CAPTION_VARIABLES = CAPTION_TEMPLATE_VARIABLES;

/** One template variable name. */
export type CaptionVariable = (typeof CAPTION_VARIABLES)[number];

/** Values for every template variable (empty string when a value is absent, e.g. no expression). */
export type CaptionVars = Record<CaptionVariable, string>;

/** How the caption is written: a sentence as CharacterStudio writes it, or comma-separated booru-like tags. */
export type CaptionStyle = 'sentence' | 'tags';

/** CharacterStudio's caption: `anata a person slowly walking full shot plain black background`. */
export const DEFAULT_CAPTION_TEMPLATE: string = MANIFEST_DEFAULT_TEMPLATE;
/** A fuller template for tag style: every variable as its own tag, trigger first. */
export const DEFAULT_TAG_TEMPLATE: string = MANIFEST_TAG_TEMPLATE;

/** A caption that cannot be written; the message names the entry (or the template) and the fix. */
export class CaptionError extends Error {
  override name = 'CaptionError';
}

/** Options of {@link renderCaption}. */
export interface RenderCaptionOptions {
  /** `sentence` (default) or `tags`. */
  style?: CaptionStyle;
  /** Names the entry in errors, e.g. `dataCollection[7]`. */
  entryLabel?: string;
}

type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; name: CaptionVariable };

/**
 * Splits a template into literal text and variables; throws a {@link CaptionError} listing the known variables
 * when the template names an unknown one. Use it to reject a bad template before any work is done.
 */
export function parseCaptionTemplate(template: string): TemplatePart[] {
  return splitCaptionTemplate(template).map((piece): TemplatePart => {
    if (piece.kind === 'text') return piece;
    if (!(CAPTION_VARIABLES as readonly string[]).includes(piece.name)) {
      throw new CaptionError(
        `Unknown caption variable {${piece.raw}} in template ${JSON.stringify(template)}. ` +
          `Known variables: ${CAPTION_VARIABLES.map((v) => `{${v}}`).join(', ')}.`,
      );
    }
    return { kind: 'variable', name: piece.name as CaptionVariable };
  });
}

/**
 * Normalises sentence-style caption text: any run of whitespace or control characters becomes one space, no space
 * before a comma, one space after it, repeated commas collapse, no leading/trailing commas or spaces.
 */
export function normaliseCaption(text: string): string {
  return text
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s*,[\s,]*/g, ', ')
    .replace(/^[\s,]+|[\s,]+$/g, '');
}

/** Splits tag text on commas, normalises each tag, drops empty ones and case-insensitive duplicates. */
function collectTags(pieces: readonly string[]): string[] {
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const piece of pieces) {
    for (const raw of piece.split(',')) {
      const tag = normaliseCaption(raw);
      const key = tag.toLowerCase();
      if (tag === '' || seen.has(key)) continue;
      seen.add(key);
      tags.push(tag);
    }
  }
  return tags;
}

/**
 * Fills a caption template such as `{trigger} {description} {background}` and normalises the result.
 *
 * In `tags` style each variable's value is one tag (split further at its own commas), literal template text is
 * split at commas, duplicates are dropped and the trigger (when non-empty) is moved first; tags are joined with
 * `, `. Throws a {@link CaptionError} for an unknown variable (listing the known ones) or an empty result
 * (naming `entryLabel`).
 */
export function renderCaption(
  template: string,
  vars: CaptionVars,
  options: RenderCaptionOptions = {},
): string {
  const parts = parseCaptionTemplate(template);
  const style = options.style ?? 'sentence';
  let caption: string;
  if (style === 'tags') {
    const pieces = parts.map((part) => (part.kind === 'text' ? part.text : vars[part.name]));
    // Each piece is its own tag (or tags), so text between two variables separates them even when only a space.
    const tags = collectTags(pieces);
    const trigger = normaliseCaption(vars.trigger);
    if (trigger !== '') {
      const at = tags.findIndex((tag) => tag.toLowerCase() === trigger.toLowerCase());
      if (at > 0) tags.splice(at, 1);
      if (at !== 0) tags.unshift(trigger);
    }
    caption = tags.join(', ');
  } else {
    caption = normaliseCaption(
      parts.map((part) => (part.kind === 'text' ? part.text : vars[part.name])).join(''),
    );
  }
  if (caption === '') {
    const who = options.entryLabel ? `The caption of ${options.entryLabel}` : 'The caption';
    throw new CaptionError(
      `${who} is empty: template ${JSON.stringify(template)} produced no text. ` +
        'Give the entry a description, or change caption.template.',
    );
  }
  return caption;
}
