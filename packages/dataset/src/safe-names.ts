import { slugWords } from '@vrm-lora/manifest';

/** Longest slug taken from a description, in characters. */
export const MAX_SLUG_LENGTH = 48;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Whether a file or folder name is reserved on Windows (`CON`, `nul.txt`, `COM1`, …). */
export function isWindowsReservedName(name: string): boolean {
  return WINDOWS_RESERVED.test(name);
}

/**
 * A file-name-safe slug of free text: ASCII letters and digits in lower case joined by `-`, accents dropped, at most
 * {@link MAX_SLUG_LENGTH} characters (cut at a word boundary when possible); empty when nothing is left. It can never
 * contain a path separator, `..`, a colon or a control character.
 */
export function slugify(text: string): string {
  const slug = slugWords(text.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''));
  if (slug.length <= MAX_SLUG_LENGTH) return slug;
  const cut = slug.slice(0, MAX_SLUG_LENGTH + 1);
  const boundary = cut.lastIndexOf('-');
  return (boundary >= MAX_SLUG_LENGTH / 2 ? cut.slice(0, boundary) : cut.slice(0, MAX_SLUG_LENGTH)).replace(
    /-+$/,
    '',
  );
}

/** The entry number zero-padded to at least 4 digits (`7` → `0007`). */
export function padEntryNumber(entryNumber: number, width = 4): string {
  return String(entryNumber).padStart(width, '0');
}

/**
 * The stable, readable file stem of an entry: `0007-a-person-saluting-medium-shot`, or `0007` when the description
 * gives no slug. The number prefix keeps names unique and sorted and makes Windows-reserved names impossible.
 */
export function makeEntryStem(entryNumber: number, description: string, numberWidth = 4): string {
  const slug = slugify(description);
  const number = padEntryNumber(entryNumber, numberWidth);
  return slug ? `${number}-${slug}` : number;
}

/**
 * One safe path segment from user text (used for the kohya folder `10_anata person`): characters that are illegal
 * on Windows or are control characters become `_`, trailing dots and spaces go, `.`/`..`/reserved names get a `_`
 * prefix, at most 100 characters. Never empty (`_`).
 */
export function makeSafeSegment(text: string): string {
  let segment = text
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .replace(/[. ]+$/, '');
  if (segment === '') segment = '_';
  if (/^\.+$/.test(segment) || isWindowsReservedName(segment)) segment = `_${segment}`;
  return segment;
}
