// JSON.parse decides whether text is JSON and builds the value; jsonc-parser's `visit` walks the same text
// for what JSON.parse does not tell: where the first error is, what the text needed there, keys that appear
// twice, and nesting too deep. This file only turns jsonc-parser's error and the walk's state into a message.
import { printParseErrorCode, visit } from 'jsonc-parser';
import { formatJsonPath } from './findings.js';

/** A line/column position in a text file, both 1-based (columns count UTF-16 code units). */
export interface TextPosition {
  line: number;
  column: number;
}

/** A problem found in JSON text. */
export interface JsonTextProblem {
  /** JSON path of the problem (`''` for syntax errors). */
  path: string;
  position: TextPosition;
  message: string;
  /** A syntax error makes the text unreadable; a duplicate key is readable but loses a value. */
  kind: 'syntax' | 'duplicateKey';
}

/** The result of {@link parseJsonText}: the value, or `undefined` with a syntax problem. */
export interface ParseJsonTextResult {
  value: unknown;
  problems: JsonTextProblem[];
}

/** Nesting deeper than this is refused (a manifest is 3 levels deep). */
export const MAX_JSON_DEPTH = 256;

/** Line and column of a character offset in `text` (only `\n` starts a line). */
export function locateOffset(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** A syntax error: where (a character offset) and why. */
interface Fault {
  offset: number;
  message: string;
  /** Nesting too deep: refused even though JSON.parse reads it. */
  tooDeep?: boolean;
}

/**
 * Parses JSON text like `JSON.parse`, but reports a syntax error with its line and column and a readable
 * reason, and reports keys that appear twice in one object (JSON.parse silently keeps the last). Text nested
 * deeper than {@link MAX_JSON_DEPTH} is a syntax error too.
 */
export function parseJsonText(text: string): ParseJsonTextResult {
  const walk = walkJson(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { value: undefined, problems: [syntaxProblem(text, walk.fault ?? faultFromV8(error))] };
  }
  if (walk.fault?.tooDeep) return { value: undefined, problems: [syntaxProblem(text, walk.fault)] };
  // JSON.parse has the last word on validity: were jsonc-parser ever stricter, its error is dropped here.
  return { value, problems: walk.duplicates };
}

function syntaxProblem(text: string, fault: Fault): JsonTextProblem {
  return { path: '', position: locateOffset(text, fault.offset), message: fault.message, kind: 'syntax' };
}

/** JSON.parse refused text jsonc-parser read without error (none known): V8's own words and position. */
function faultFromV8(error: unknown): Fault {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  return { offset: at ? Number(at[1]) : 0, message: `not valid JSON (${message})` };
}

/** What the text needed where an error was found. */
type Expected = 'value' | 'key' | 'colon' | 'after';

/** The walk's state when jsonc-parser reported its first error. */
interface ErrorContext {
  /** jsonc-parser's `ParseErrorCode`, by name. */
  code: string;
  /** Start of the token jsonc-parser stopped at. */
  offset: number;
  expected: Expected;
  /** The token before was a comma (so `]` or `}` here is a trailing comma). */
  afterComma: boolean;
  /** The innermost open object or array; `undefined` at the top level. */
  container: 'object' | 'array' | undefined;
  /** The number just read, when the token before this one was a number. */
  lastNumber: { offset: number; end: number } | undefined;
}

/** Thrown from the visitor to end the walk at the first fault. */
class StopWalk {
  constructor(readonly fault: Fault) {}
}

type Container = { kind: 'object'; keys: Map<string, number> } | { kind: 'array' };

/** Walks `text` with jsonc-parser: duplicate keys, and the first syntax error or too-deep nesting. */
function walkJson(text: string): { duplicates: JsonTextProblem[]; fault?: Fault } {
  const duplicates: JsonTextProblem[] = [];
  const stack: Container[] = [];
  let expected: Expected = 'value';
  let afterComma = false;
  let lastNumber: ErrorContext['lastNumber'];
  const moveTo = (next: Expected) => {
    expected = next;
    afterComma = false;
    lastNumber = undefined;
  };
  // The values inside a container at depth MAX_JSON_DEPTH (the top value is at 0) are too deep.
  const refuseDepth = (offset: number) => {
    throw new StopWalk({ offset, message: `nested deeper than ${MAX_JSON_DEPTH} levels`, tooDeep: true });
  };
  const close = (offset: number, bracket: string) => {
    // jsonc-parser also ends a container at the end of the text; the missing bracket is its next error.
    if (text[offset] !== bracket) return;
    stack.pop();
    moveTo('after');
  };
  try {
    visit(
      text,
      {
        onObjectBegin: () => {
          stack.push({ kind: 'object', keys: new Map() });
          moveTo('key');
        },
        onObjectProperty: (key, offset, _length, _line, _column, pathSupplier) => {
          const top = stack.at(-1);
          if (top?.kind !== 'object') return;
          const first = top.keys.get(key);
          if (first !== undefined)
            duplicates.push(duplicateKeyProblem(text, [...pathSupplier(), key], offset, first));
          top.keys.set(key, offset);
          moveTo('colon');
        },
        onObjectEnd: (offset) => close(offset, '}'),
        onArrayBegin: (offset) => {
          if (stack.length >= MAX_JSON_DEPTH && text[skipSpace(text, offset + 1)] !== ']')
            refuseDepth(skipSpace(text, offset + 1));
          stack.push({ kind: 'array' });
          moveTo('value');
        },
        onArrayEnd: (offset) => close(offset, ']'),
        onSeparator: (character, offset) => {
          if (character === ':' && stack.length > MAX_JSON_DEPTH) refuseDepth(skipSpace(text, offset + 1));
          moveTo(character === ':' || stack.at(-1)?.kind === 'array' ? 'value' : 'key');
          afterComma = character === ',';
        },
        onLiteralValue: (value, offset, length) => {
          moveTo('after');
          if (typeof value === 'number') lastNumber = { offset, end: offset + length };
        },
        onError: (error, offset) => {
          const code = printParseErrorCode(error);
          const container = stack.at(-1)?.kind;
          throw new StopWalk(
            describeError(text, { code, offset, expected, afterComma, container, lastNumber }),
          );
        },
      },
      { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
    );
  } catch (error) {
    if (!(error instanceof StopWalk)) throw error;
    return { duplicates, fault: error.fault };
  }
  return { duplicates };
}

function duplicateKeyProblem(
  text: string,
  path: (string | number)[],
  offset: number,
  previousOffset: number,
): JsonTextProblem {
  const key = String(path.at(-1));
  const first = locateOffset(text, previousOffset);
  return {
    path: formatJsonPath(path),
    position: locateOffset(text, offset),
    message: `key ${JSON.stringify(key)} appears twice in the same object (first on line ${first.line}); JSON keeps only the last value, remove one`,
    kind: 'duplicateKey',
  };
}

/** Offset of the first character at or after `from` that is not JSON whitespace (or the text's length). */
function skipSpace(text: string, from: number): number {
  const notSpace = /[^ \t\n\r]/g;
  notSpace.lastIndex = from;
  return notSpace.exec(text)?.index ?? text.length;
}

const STRING_ERRORS = new Set([
  'UnexpectedEndOfString',
  'InvalidEscapeCharacter',
  'InvalidUnicode',
  'InvalidCharacter',
]);

/** What was wanted, by what the text needed there. */
const WANTED = {
  value: 'a value',
  key: 'a property name in double quotes',
  colon: '":" after the property name',
  object: '"," or "}" after a property value (missing comma?)',
  array: '"," or "]" after an array item (missing comma?)',
} as const;

/** The message and exact offset of jsonc-parser's first error, worded by what the text needed there. */
function describeError(text: string, at: ErrorContext): Fault {
  const { offset } = at;
  if (at.expected === 'after') return afterValueFault(text, offset, at.container, at.lastNumber);
  if (at.expected === 'colon') return unexpected(text, offset, WANTED.colon);
  // A string where one belongs, but broken inside: point at the bad character.
  if (STRING_ERRORS.has(at.code)) return stringFault(text, offset) ?? unexpected(text, offset, WANTED.value);
  if (at.expected === 'key')
    return at.afterComma && text[offset] === '}'
      ? { offset, message: 'trailing comma before "}" (JSON allows none)' }
      : unexpected(text, offset, WANTED.key);
  return valueFault(text, at);
}

/** An error where a value belongs. */
function valueFault(text: string, at: ErrorContext): Fault {
  const { offset } = at;
  if (offset >= text.length && at.container === undefined)
    return { offset: 0, message: 'the file is empty; expected a JSON object' };
  const c = text[offset];
  if (c === ']' && at.afterComma) return { offset, message: 'trailing comma before "]" (JSON allows none)' };
  if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return numberFault(text, offset);
  // jsonc-parser reads `trueish` as one bad word; the word is fine up to where `true` ends.
  const keyword = ['true', 'false', 'null'].find((word) => text.startsWith(word, offset));
  if (keyword) return afterValueFault(text, offset + keyword.length, at.container, undefined);
  const bare = /^[A-Za-z_][\w-]*/.exec(text.slice(offset, offset + 40));
  if (bare)
    return {
      offset,
      message: `unexpected word ${JSON.stringify(bare[0])}; expected a value (strings need double quotes)`,
    };
  return unexpected(text, offset, WANTED.value);
}

/** An error after a complete value: a missing comma, or text after the end. */
function afterValueFault(
  text: string,
  offset: number,
  container: ErrorContext['container'],
  lastNumber: ErrorContext['lastNumber'],
): Fault {
  const c = text[offset];
  // `01`, `1.5.3`, `2px`: jsonc-parser reads a number and then a second token; the number is malformed.
  if (lastNumber?.end === offset && c !== undefined && /[\w.]/.test(c))
    return numberFault(text, lastNumber.offset);
  if (container === undefined)
    return { offset, message: `unexpected ${describeAt(text, offset)} after the end of the JSON value` };
  return unexpected(text, offset, WANTED[container]);
}

function unexpected(text: string, offset: number, wanted: string): Fault {
  return { offset, message: `unexpected ${describeAt(text, offset)}; expected ${wanted}` };
}

/** The character at `offset` as a message shows it, with a hint for the usual mistakes. */
function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  const c = text[offset]!;
  if (c === '/') return '"/" (comments are not allowed in JSON)';
  if (c === "'") return `"'" (JSON strings use double quotes)`;
  // A no-break space, zero-width space or byte-order mark pasted in would otherwise print as nothing.
  if (/[\p{Cc}\p{Cf}\p{Z}]/u.test(c) && c !== ' ')
    return `"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}" (an invisible character; JSON allows only spaces, tabs and line breaks between values)`;
  return c === '"' ? `'"'` : JSON.stringify(c);
}

/** A number that starts at `offset` and is malformed (jsonc-parser's token or the one after it shows how). */
function numberFault(text: string, offset: number): Fault {
  const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  match.lastIndex = offset;
  const found = match.exec(text);
  if (!found) return { offset, message: `malformed number at ${describeAt(text, offset)}` };
  return {
    offset,
    message: `malformed number ${JSON.stringify(text.slice(offset, offset + found[0].length + 1))}`,
  };
}

/**
 * The first fault inside the string that starts at `start` (jsonc-parser reports the string's start):
 * a bad escape or a raw control character where it is, or the string's start when it never ends.
 */
function stringFault(text: string, start: number): Fault | undefined {
  const plain = /[^"\\\u0000-\u001f]*/y;
  let pos = start + 1;
  for (;;) {
    plain.lastIndex = pos;
    plain.exec(text);
    pos = plain.lastIndex;
    if (pos >= text.length) return { offset: start, message: 'unterminated string' };
    const c = text.charCodeAt(pos);
    if (c === 34) return undefined; // the string is fine
    if (c < 32)
      return {
        offset: pos,
        message:
          c === 10
            ? 'line break inside a string (unterminated string?)'
            : 'control character inside a string',
      };
    const escaped = text[pos + 1];
    if (escaped === 'u') {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6)))
        return { offset: pos, message: 'bad \\u escape in a string (needs 4 hex digits)' };
      pos += 6;
    } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) pos += 2;
    else
      return {
        offset: pos,
        message: `bad escape "\\${escaped ?? ''}" in a string (write "\\\\" for a backslash)`,
      };
  }
}
