import { formatJsonPath, type JsonPathSegment } from './findings.js';

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

/** Line and column of a character offset in `text`. */
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

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Parses JSON text like `JSON.parse`, but reports a syntax error with its line and column and a readable
 * reason, and reports keys that appear twice in one object (JSON.parse silently keeps the last).
 */
export function parseJsonText(text: string): ParseJsonTextResult {
  const scanner = new Scanner(text);
  try {
    scanner.skipSpace();
    if (scanner.pos >= text.length) throw new JsonSyntaxError('the file is empty; expected a JSON object', 0);
    scanner.value([], 0);
    scanner.skipSpace();
    if (scanner.pos < text.length)
      throw new JsonSyntaxError(
        `unexpected ${scanner.describeHere()} after the end of the JSON value`,
        scanner.pos,
      );
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return {
      value: undefined,
      problems: [
        { path: '', position: locateOffset(text, error.offset), message: error.message, kind: 'syntax' },
      ],
    };
  }
  // The scanner accepted the text, so JSON.parse does too; it builds the value.
  return { value: JSON.parse(text), problems: scanner.duplicates };
}

class Scanner {
  pos = 0;
  readonly duplicates: JsonTextProblem[] = [];
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  describeHere(): string {
    if (this.pos >= this.text.length) return 'end of file';
    const c = this.text[this.pos]!;
    if (c === '/') return '"/" (comments are not allowed in JSON)';
    if (c === "'") return `"'" (JSON strings use double quotes)`;
    return c === '"' ? `'"'` : JSON.stringify(c);
  }

  value(path: JsonPathSegment[], depth: number): void {
    if (depth > MAX_JSON_DEPTH)
      throw new JsonSyntaxError(`nested deeper than ${MAX_JSON_DEPTH} levels`, this.pos);
    const t = this.text;
    const c = t[this.pos];
    if (c === '{') {
      this.object(path, depth);
      return;
    }
    if (c === '[') {
      this.array(path, depth);
      return;
    }
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      this.number();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (t.startsWith(word, this.pos)) {
        this.pos += word.length;
        return;
      }
    }
    const bare = /^[A-Za-z_][\w-]*/.exec(t.slice(this.pos, this.pos + 40));
    if (bare)
      throw new JsonSyntaxError(
        `unexpected word ${JSON.stringify(bare[0])}; expected a value (strings need double quotes)`,
        this.pos,
      );
    throw new JsonSyntaxError(`unexpected ${this.describeHere()}; expected a value`, this.pos);
  }

  object(path: JsonPathSegment[], depth: number): void {
    this.pos++; // {
    const seen = new Map<string, number>();
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') {
        if (this.text[this.pos] === '}')
          throw new JsonSyntaxError('trailing comma before "}" (JSON allows none)', this.pos);
        throw new JsonSyntaxError(
          `unexpected ${this.describeHere()}; expected a property name in double quotes`,
          this.pos,
        );
      }
      const keyOffset = this.pos;
      const key = this.string();
      const previous = seen.get(key);
      if (previous !== undefined) {
        const first = locateOffset(this.text, previous);
        this.duplicates.push({
          path: formatJsonPath([...path, key]),
          position: locateOffset(this.text, keyOffset),
          message: `key ${JSON.stringify(key)} appears twice in the same object (first on line ${first.line}); JSON keeps only the last value, remove one`,
          kind: 'duplicateKey',
        });
      }
      seen.set(key, keyOffset);
      this.skipSpace();
      if (this.text[this.pos] !== ':')
        throw new JsonSyntaxError(
          `unexpected ${this.describeHere()}; expected ":" after the property name`,
          this.pos,
        );
      this.pos++;
      this.skipSpace();
      this.value([...path, key], depth + 1);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return;
      }
      throw new JsonSyntaxError(
        `unexpected ${this.describeHere()}; expected "," or "}" after a property value (missing comma?)`,
        this.pos,
      );
    }
  }

  array(path: JsonPathSegment[], depth: number): void {
    this.pos++; // [
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipSpace();
      if (this.text[this.pos] === ']')
        throw new JsonSyntaxError('trailing comma before "]" (JSON allows none)', this.pos);
      this.value([...path, index], depth + 1);
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return;
      }
      throw new JsonSyntaxError(
        `unexpected ${this.describeHere()}; expected "," or "]" after an array item (missing comma?)`,
        this.pos,
      );
    }
  }

  string(): string {
    const start = this.pos;
    const t = this.text;
    this.pos++; // opening quote
    for (;;) {
      if (this.pos >= t.length) throw new JsonSyntaxError('unterminated string', start);
      const c = t.charCodeAt(this.pos);
      if (c === 34) {
        this.pos++;
        return JSON.parse(t.slice(start, this.pos)) as string;
      }
      if (c === 92) {
        const e = t[this.pos + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6)))
            throw new JsonSyntaxError('bad \\u escape in a string (needs 4 hex digits)', this.pos);
          this.pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e))
          throw new JsonSyntaxError(
            `bad escape "\\${e ?? ''}" in a string (write "\\\\" for a backslash)`,
            this.pos,
          );
        this.pos += 2;
        continue;
      }
      if (c < 32)
        throw new JsonSyntaxError(
          c === 10
            ? 'line break inside a string (unterminated string?)'
            : 'control character inside a string',
          this.pos,
        );
      this.pos++;
    }
  }

  number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!match) throw new JsonSyntaxError(`malformed number at ${this.describeHere()}`, this.pos);
    const next = this.text[this.pos + match[0].length];
    if (next !== undefined && /[\w.]/.test(next))
      throw new JsonSyntaxError(
        `malformed number ${JSON.stringify(this.text.slice(this.pos, this.pos + match[0].length + 1))}`,
        this.pos,
      );
    this.pos += match[0].length;
  }
}
