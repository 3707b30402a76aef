import { closest, distance } from 'fastest-levenshtein';

/** One problem found in an input file. Libraries return these; only the CLI prints them. */
export interface Finding {
  /** `error` makes the input invalid; `warning` is reported but does not stop a run. */
  severity: 'error' | 'warning';
  /** The file the problem is in (absolute path). */
  file: string;
  /** JSON path inside the file, e.g. `dataCollection[7].cameraFrame`; `''` for the whole file. */
  path: string;
  /** Names the bad value, what is allowed, and a "did you mean …?" for near misses. */
  message: string;
}

/** A JSON path segment: an object key or an array index. */
export type JsonPathSegment = string | number;

/** Formats path segments the way findings show them: `dataCollection[7].cameraFrame`. */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** One line per finding: `file: path: message` (the path part is left out for whole-file findings). */
export function formatFinding(finding: Finding): string {
  const where = finding.path === '' ? finding.file : `${finding.file}: ${finding.path}`;
  return `${where}: ${finding.severity === 'warning' ? 'warning: ' : ''}${finding.message}`;
}

/**
 * The candidate closest to `value` when it is a plausible typo of it (case-insensitive edit distance at
 * most half its length, minimum 1, maximum 3), else `null`.
 */
export function suggestClosest(value: string, candidates: readonly string[]): string | null {
  if (candidates.length === 0 || value === '') return null;
  const lower = value.toLowerCase();
  const byLower = new Map(candidates.map((c) => [c.toLowerCase(), c]));
  const best = closest(lower, [...byLower.keys()]);
  const limit = Math.min(3, Math.max(1, Math.floor(lower.length / 2)));
  if (distance(lower, best) > limit) return null;
  return byLower.get(best) ?? null;
}

/** `; did you mean "x"?` or `''`. */
export function formatDidYouMean(value: string, candidates: readonly string[]): string {
  const suggestion = suggestClosest(value, candidates);
  return suggestion === null ? '' : `; did you mean ${JSON.stringify(suggestion)}?`;
}

/** A short, printable rendering of any JSON value for messages (long strings and arrays are cut). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(text);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return text.length > 60 ? `an array of ${value.length} items` : text;
  }
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 60 ? 'an object' : text;
  }
  return String(value);
}

/** `a string`, `a number`, `an array`, … — the JSON type of a value, with an article. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
