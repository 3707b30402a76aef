// The caption template's syntax, one home: the manifest's validation lists its variables, the captioner fills them.

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
