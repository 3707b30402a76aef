import path from 'node:path';
import type { z } from 'zod';
import { checkCaptionTemplate } from './caption-template.js';
import { checkBackgrounds } from './check-backgrounds.js';
import { effectiveShotSize, sizeConflict } from './effective-shot-size.js';
import {
  describeJsonType,
  describeValue,
  type Finding,
  formatDidYouMean,
  formatJsonPath,
  type JsonPathSegment,
  suggestClosest,
} from './findings.js';
import { type FieldWording, MANIFEST_FIELD_WORDING } from './manifest-field-wording.js';
import {
  ANIMATION_FILE_EXTENSIONS,
  BUILTIN_POSE_NAMES,
  CHARACTER_STUDIO_DEFAULTS,
  MANIFEST_FIELD_SCHEMAS,
  MANIFEST_KEYS,
  type Manifest,
  type ManifestEntry,
} from './manifest-schema.js';
import { BUILTIN_ANIMATION_PREFIX } from './resolve-manifest.js';
import { offsetsLeaveRoom } from './shot-rules.js';

/** The result of {@link validateManifest}. */
export interface ValidateManifestResult {
  /** The typed manifest, or `null` when any error was found. */
  manifest: Manifest | null;
  /** Every problem found, errors and warnings, in document order. */
  findings: Finding[];
}

type Obj = Record<string, unknown>;
type ObjectKind = keyof typeof MANIFEST_KEYS;

/**
 * Checks a parsed manifest field by field and reports every problem in one pass: unknown keys (with a
 * "did you mean"), wrong types and ranges, camera names and frames, conflicting fields. `file` is only
 * used to label findings.
 */
export function validateManifest(raw: unknown, file: string): ValidateManifestResult {
  const findings: Finding[] = [];
  const error = (segments: JsonPathSegment[], message: string) =>
    findings.push({ severity: 'error', file, path: formatJsonPath(segments), message });
  const warn = (segments: JsonPathSegment[], message: string) =>
    findings.push({ severity: 'warning', file, path: formatJsonPath(segments), message });

  if (!isObject(raw)) {
    error([], `a manifest must be a JSON object with a "dataCollection" array, got ${describeJsonType(raw)}`);
    return { manifest: null, findings };
  }

  reportUnknownKeys(raw, [], 'top', error);
  const top = checkFields(raw, [], 'top', error).values;

  const entries = checkCollection(raw, error, warn);
  checkTopCrossFields(top, entries, error, warn);
  checkFrameSizes(raw, top, entries, error, warn);

  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const hasErrors = findings.some((f) => f.severity === 'error');
  if (hasErrors) return { manifest: null, findings };
  return { manifest: { ...(top as Obj), dataCollection: entries } as Manifest, findings };
}

/** Reports a finding at a JSON path. */
type Report = (segments: JsonPathSegment[], message: string) => void;

/**
 * `dataCollection`, checked entry by entry so one bad entry does not hide the others' problems: each entry as
 * typed, or `null` where it has an error.
 */
function checkCollection(raw: Obj, error: Report, warn: Report): (ManifestEntry | null)[] {
  const entries: (ManifestEntry | null)[] = [];
  const collection = raw.dataCollection;
  if (collection === undefined) {
    error(['dataCollection'], 'is required: an array of entries, one per image');
  } else if (!Array.isArray(collection)) {
    error(['dataCollection'], `must be an array of entries, got ${describeJsonType(collection)}`);
  } else if (collection.length === 0) {
    error(['dataCollection'], 'is empty; add at least one entry');
  } else {
    collection.forEach((item, index) => {
      const at: JsonPathSegment[] = ['dataCollection', index];
      if (!isObject(item)) {
        error(at, `each entry must be an object, got ${describeJsonType(item)}`);
        entries.push(null);
        return;
      }
      reportUnknownKeys(item, at, 'entry', error);
      const checked = checkFields(item, at, 'entry', error);
      const entry = checked.ok ? checked.values : null;
      entries.push(entry ? (entry as ManifestEntry) : null);
      checkEntry(item, at, raw.wrapAnimations !== false, error, warn);
    });
  }

  return entries;
}

/** Cross-field checks at the top level: backgrounds, avatar vs avatars, URLs, the caption template. */
function checkTopCrossFields(top: Obj, entries: (ManifestEntry | null)[], error: Report, warn: Report): void {
  checkBackgroundConflict(top, [], error);
  if (top.avatar !== undefined && top.avatars !== undefined)
    error(['avatars'], 'give either "avatar" (one file) or "avatars" (a list), not both');
  for (const field of ['assetsLocation', 'animationsDirectory'] as const) {
    const value = top[field];
    if (typeof value === 'string' && isUrl(value))
      error(
        [field],
        `URLs are not supported (${describeValue(value)}); download the files and give a folder relative to the manifest`,
      );
  }
  const template = (top.caption as Obj | undefined)?.template;
  if (typeof template === 'string') checkCaptionTemplate(template, error, warn);
  checkBackgrounds(top as Partial<Manifest>, entries, error, warn);
}

/** Sizes and frame offsets: at the top level, then each entry's overrides (and duplicate ids). */
function checkFrameSizes(
  raw: Obj,
  top: Obj,
  entries: (ManifestEntry | null)[],
  error: Report,
  warn: Report,
): void {
  const topSize = typeof top.size === 'string' ? top.size : undefined;
  const topSizeFields = { size: topSize, width: num(top.width), height: num(top.height) };
  const topConflict = sizeConflict(topSizeFields);
  if (topConflict) error([topConflict.field], topConflict.message);
  // A model preset's height depends on each entry's frame: the entries check it.
  const perFrameHeight = topSize !== undefined && !topSize.includes('x');
  const height = effectiveShotSize(topSizeFields, {}).height;
  const topOffset = num(top.topFrameOffsetPixels) ?? CHARACTER_STUDIO_DEFAULTS.topFrameOffsetPixels;
  const bottomOffset = num(top.bottomFrameOffsetPixels) ?? CHARACTER_STUDIO_DEFAULTS.bottomFrameOffsetPixels;
  const topFieldsValid = ['height', 'size', 'topFrameOffsetPixels', 'bottomFrameOffsetPixels'].every(
    (k) => raw[k] === undefined || top[k] !== undefined,
  );
  for (const side of ['width', 'height'] as const) {
    const value = top[side];
    if (typeof value === 'number' && value % 8 !== 0) warn([side], sizeWarning(value));
  }
  if (topFieldsValid && !perFrameHeight && !offsetsLeaveRoom(topOffset, bottomOffset, height)) {
    const field = raw.topFrameOffsetPixels !== undefined ? 'topFrameOffsetPixels' : 'bottomFrameOffsetPixels';
    error([field], offsetsMessage(topOffset, bottomOffset, height));
  }

  // Per-entry overrides of the frame offsets and height.
  const ids = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (!entry) return;
    const at: JsonPathSegment[] = ['dataCollection', index];
    const overrides = (['height', 'size', 'topFrameOffsetPixels', 'bottomFrameOffsetPixels'] as const).filter(
      (k) => entry[k] !== undefined,
    );
    const conflict = sizeConflict(entry);
    if (conflict) error([...at, conflict.field], conflict.message);
    const first = overrides[0] ?? (perFrameHeight ? 'cameraFrame' : undefined);
    if (first && topFieldsValid) {
      const h = effectiveShotSize(topSizeFields, entry).height;
      const t = entry.topFrameOffsetPixels ?? topOffset;
      const b = entry.bottomFrameOffsetPixels ?? bottomOffset;
      if (!offsetsLeaveRoom(t, b, h)) error([...at, first], offsetsMessage(t, b, h));
    }
    for (const side of ['width', 'height'] as const) {
      const value = entry[side];
      if (value !== undefined && value % 8 !== 0) warn([...at, side], sizeWarning(value));
    }
    if (entry.id !== undefined) {
      const previous = ids.get(entry.id);
      if (previous !== undefined)
        error([...at, 'id'], `id ${JSON.stringify(entry.id)} is already used by dataCollection[${previous}]`);
      else ids.set(entry.id, index);
    }
  });
}

/** A URL (`scheme://…`): files are read from disk only. */
function isUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** `background` and `backgroundGrayscale` both set, at the top level or in one entry. */
function checkBackgroundConflict(
  fields: Obj,
  at: JsonPathSegment[],
  error: (segments: JsonPathSegment[], message: string) => void,
): void {
  if (fields.background !== undefined && fields.backgroundGrayscale !== undefined)
    error([...at, 'background'], 'give either "background" or "backgroundGrayscale", not both');
}

function sizeWarning(value: number): string {
  const lower = Math.max(8, Math.floor(value / 8) * 8);
  return `${value} is not a multiple of 8: Stable Diffusion trainers crop or resize such images (use ${lower} or ${lower + 8})`;
}

function offsetsMessage(top: number, bottom: number, height: number): string {
  return `topFrameOffsetPixels (${top}) + bottomFrameOffsetPixels (${bottom}) must be smaller than height (${height}), or nothing is left for the avatar`;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function reportUnknownKeys(
  raw: Obj,
  at: JsonPathSegment[],
  kind: ObjectKind,
  error: (segments: JsonPathSegment[], message: string) => void,
): void {
  const allowed: readonly string[] = MANIFEST_KEYS[kind];
  for (const key of Object.keys(raw)) {
    if (allowed.includes(key)) continue;
    const exact = allowed.find((k) => k.toLowerCase() === key.toLowerCase());
    let hint: string;
    if (exact) hint = `; did you mean ${JSON.stringify(exact)}? (keys are case-sensitive)`;
    else if (kind === 'top' && (MANIFEST_KEYS.entry as readonly string[]).includes(key))
      hint = '; it belongs inside each "dataCollection" entry';
    else if (kind === 'entry' && (MANIFEST_KEYS.top as readonly string[]).includes(key))
      hint = '; it belongs at the top level of the manifest';
    else hint = formatDidYouMean(key, allowed);
    error([...at, key], `unknown key ${JSON.stringify(key)}${hint}`);
  }
}

/** Checks every known field of one object with its zod schema; returns the valid fields and whether all were. */
function checkFields(
  raw: Obj,
  at: JsonPathSegment[],
  kind: 'top' | 'entry',
  error: (segments: JsonPathSegment[], message: string) => void,
): { values: Obj; ok: boolean } {
  const schemas = MANIFEST_FIELD_SCHEMAS[kind];
  const out: Obj = {};
  let ok = true;
  for (const [key, schema] of Object.entries(schemas)) {
    const value = raw[key];
    const fieldPath = [...at, key];
    const wording = MANIFEST_FIELD_WORDING[key] ?? {};
    // Fields with their own parsers give their own messages.
    if (wording.parse && value !== undefined) {
      const problem = wording.parse(value);
      if (problem !== null) {
        error(fieldPath, problem);
        ok = false;
      } else out[key] = value;
      continue;
    }
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) {
      if (result.data !== undefined) out[key] = result.data;
      continue;
    }
    ok = false;
    if (wording.invalid) {
      error(fieldPath, wording.invalid(value));
      continue;
    }
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const nested = key === 'caption' || key === 'image' ? key : null;
        for (const unknown of issue.keys) {
          const allowed = nested ? MANIFEST_KEYS[nested] : [];
          error(
            [...fieldPath, ...issue.path.map(toSegment), unknown],
            `unknown key ${JSON.stringify(unknown)}${formatDidYouMean(unknown, allowed)}`,
          );
        }
        continue;
      }
      error([...fieldPath, ...issue.path.map(toSegment)], describeIssue(issue, wording));
    }
  }
  return { values: out, ok };
}

function toSegment(segment: PropertyKey): JsonPathSegment {
  return typeof segment === 'number' ? segment : String(segment);
}

const expectedText: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  tuple: 'an array',
  object: 'an object',
};

/** A readable message for one zod issue of a field with this wording. */
function describeIssue(issue: z.core.$ZodIssue, wording: FieldWording): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = expectedText[issue.expected] ?? issue.expected;
      if (input === undefined) return `is required: ${wording.required ?? expected}`;
      if (issue.expected === 'int' && typeof input === 'number')
        return `must be a whole number, got ${input}`;
      const shown = typeof input === 'object' ? '' : ` ${describeValue(input)}`; // objects, arrays and null: the type says it
      return `must be ${expected}, got ${describeJsonType(input)}${shown}`;
    }
    case 'too_small': {
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array')
        return `must have ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)} items, got ${(input as unknown[] | undefined)?.length ?? 0}`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}, got ${describeValue(input)}`;
    }
    case 'too_big': {
      if (issue.origin === 'array')
        return `must have at most ${String(issue.maximum)} items, got ${(input as unknown[] | undefined)?.length ?? 0}`;
      const worded = wording.tooBig?.({ input, maximum: issue.maximum, message: issue.message });
      if (worded !== undefined) return worded;
      if (issue.origin === 'int' || issue.origin === 'number')
        return `must be at most ${String(issue.maximum)}, got ${describeValue(input)}`;
      return `is too big (${describeValue(input)})`;
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const hint =
        typeof input === 'string'
          ? formatDidYouMean(
              input,
              issue.values.filter((v): v is string => typeof v === 'string'),
            )
          : '';
      return `must be one of ${allowed}, got ${describeValue(input)}${hint}`;
    }
    case 'invalid_format':
      return `${wording.format ?? 'has the wrong format'}, got ${describeValue(input)}`;
    default:
      return `${issue.message} (got ${describeValue(input)})`;
  }
}

/** Checks of one entry that need more than one field, or more than a type. */
function checkEntry(
  raw: Obj,
  at: JsonPathSegment[],
  wrapByDefault: boolean,
  error: (segments: JsonPathSegment[], message: string) => void,
  warn: (segments: JsonPathSegment[], message: string) => void,
): void {
  const animationPath = raw.animationPath;
  if (typeof animationPath === 'string' && animationPath !== '') {
    if (animationPath.startsWith(BUILTIN_ANIMATION_PREFIX)) {
      const name = animationPath.slice(BUILTIN_ANIMATION_PREFIX.length);
      if (!(BUILTIN_POSE_NAMES as readonly string[]).includes(name)) {
        const suggestion = suggestClosest(name, BUILTIN_POSE_NAMES);
        error(
          [...at, 'animationPath'],
          `unknown built-in pose ${JSON.stringify(name)}; built-in poses are ${BUILTIN_POSE_NAMES.join(', ')}` +
            (suggestion ? `; did you mean ${JSON.stringify(BUILTIN_ANIMATION_PREFIX + suggestion)}?` : ''),
        );
      }
      const wraps = raw.wrapAnimation === true || (raw.wrapAnimation === undefined && wrapByDefault);
      for (const field of ['animationFrame', 'animationTime'] as const) {
        const value = raw[field];
        if (typeof value === 'number' && value > 0 && !wraps)
          error(
            [...at, field],
            `built-in poses are a single frame, so ${field} ${value} is past its end; leave it out or use 0`,
          );
      }
    } else if (isUrl(animationPath)) {
      error(
        [...at, 'animationPath'],
        `URLs are not supported (${describeValue(animationPath)}); download the file into the animations folder and give its name`,
      );
    } else {
      const ext = path.extname(animationPath).toLowerCase();
      if (!(ANIMATION_FILE_EXTENSIONS as readonly string[]).includes(ext))
        error(
          [...at, 'animationPath'],
          `unsupported animation file ${describeValue(animationPath)}; use a Mixamo .fbx, a .vrma, or builtin:<pose>`,
        );
    }
  }
  if (raw.animationFrame !== undefined && raw.animationTime !== undefined)
    error(
      [...at, 'animationTime'],
      `give either animationFrame (${describeValue(raw.animationFrame)}) or animationTime (${describeValue(raw.animationTime)}), not both`,
    );
  checkBackgroundConflict(raw, at, error);
  if (typeof raw.description === 'string' && raw.description.trim() === '')
    warn([...at, 'description'], 'is empty: the caption will hold only the trigger word and background');
}
