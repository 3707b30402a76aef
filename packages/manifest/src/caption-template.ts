// The caption template's syntax, one home: the manifest's validation lists its variables, the captioner fills them.
import { type JsonPathSegment, suggestClosest } from './findings.js';
import { CAPTION_TEMPLATE_VARIABLES } from './manifest-schema.js';

/** One piece of a caption template: literal text, or a `{name}` placeholder (`name` trimmed, `raw` as written). */
export type CaptionTemplatePiece =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; name: string; raw: string };

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Splits a caption template into literal text and `{…}` placeholders, in order; names are not checked here. */
export function splitCaptionTemplate(template: string): CaptionTemplatePiece[] {
  const pieces: CaptionTemplatePiece[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) pieces.push({ kind: 'text', text: template.slice(last, match.index) });
    const raw = match[1] ?? '';
    pieces.push({ kind: 'placeholder', name: raw.trim(), raw });
    last = match.index + match[0].length;
  }
  if (last < template.length) pieces.push({ kind: 'text', text: template.slice(last) });
  return pieces;
}

/**
 * Validation of `caption.template`: an error per unknown variable (with the closest known one), a warning when
 * `{trigger}` is missing.
 */
export function checkCaptionTemplate(
  template: string,
  error: (segments: JsonPathSegment[], message: string) => void,
  warn: (segments: JsonPathSegment[], message: string) => void,
): void {
  const at = ['caption', 'template'];
  const names = splitCaptionTemplate(template).flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
  for (const name of names) {
    if ((CAPTION_TEMPLATE_VARIABLES as readonly string[]).includes(name)) continue;
    error(
      at,
      `unknown variable {${name}}; allowed: {${CAPTION_TEMPLATE_VARIABLES.join('}, {')}}` +
        (suggestClosest(name, CAPTION_TEMPLATE_VARIABLES)
          ? `; did you mean {${suggestClosest(name, CAPTION_TEMPLATE_VARIABLES)}}?`
          : ''),
    );
  }
  if (!names.includes('trigger'))
    warn(
      at,
      'has no {trigger}: captions will not contain the trigger word, so the LoRA has nothing to key on',
    );
}
