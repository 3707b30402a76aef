import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedExamplesDir } from '../../../test/support/shared-assets.js';
import { locateOffset, MAX_JSON_DEPTH, parseJsonText } from '../src/index.js';

/** `line:column message` of the text's one syntax problem (throws when there is none or more). */
function syntaxError(text: string): string {
  const { value, problems } = parseJsonText(text);
  expect(value).toBeUndefined();
  expect(problems).toHaveLength(1);
  const [p] = problems;
  expect(p!.kind).toBe('syntax');
  expect(p!.path).toBe('');
  return `${p!.position.line}:${p!.position.column} ${p!.message}`;
}

describe('parseJsonText: where and why, worded by what the text needed there', () => {
  it.each([
    ['{"a":1,}', '1:8 trailing comma before "}" (JSON allows none)'],
    ['[1,\n2,\n]', '3:1 trailing comma before "]" (JSON allows none)'],
    ['{,}', '1:2 unexpected ","; expected a property name in double quotes'],
    ['[,1]', '1:2 unexpected ","; expected a value'],
    ['[1,,2]', '1:4 unexpected ","; expected a value'],
    ['{"a" 1}', '1:6 unexpected "1"; expected ":" after the property name'],
    ['{"a":}', '1:6 unexpected "}"; expected a value'],
    ['[1 2]', '1:4 unexpected "2"; expected "," or "]" after an array item (missing comma?)'],
    ['{"a":1}}', '1:8 unexpected "}" after the end of the JSON value'],
    [
      '{"a":1} // done',
      '1:9 unexpected "/" (comments are not allowed in JSON) after the end of the JSON value',
    ],
    [
      '{/* c */"a":1}',
      '1:2 unexpected "/" (comments are not allowed in JSON); expected a property name in double quotes',
    ],
    ['{"a":"x"}\n{"b":2}', '2:1 unexpected "{" after the end of the JSON value'],
    ['{"a": \'b\'}', `1:7 unexpected "'" (JSON strings use double quotes); expected a value`],
    ['{a: 1}', '1:2 unexpected "a"; expected a property name in double quotes'],
    ['[NaN]', '1:2 unexpected word "NaN"; expected a value (strings need double quotes)'],
    ['{"a": tru}', '1:7 unexpected word "tru"; expected a value (strings need double quotes)'],
    // Invisible characters are shown escaped, with what JSON allows instead.
    [
      '\u00a0{}',
      '1:1 unexpected "\\u00a0" (an invisible character; JSON allows only spaces, tabs and line breaks between values); expected a value',
    ],
    [
      '{"a":1}\n\ufeff{"b":2}',
      '2:1 unexpected "\\ufeff" (an invisible character; JSON allows only spaces, tabs and line breaks between values) after the end of the JSON value',
    ],
    [
      '{\u0001}',
      '1:2 unexpected "\\u0001" (an invisible character; JSON allows only spaces, tabs and line breaks between values); expected a property name in double quotes',
    ],
    ['', '1:1 the file is empty; expected a JSON object'],
    [' \n\t\r\n', '1:1 the file is empty; expected a JSON object'],
    ['{"a":[1,2', '1:10 unexpected end of file; expected "," or "]" after an array item (missing comma?)'],
    ['{"a"', '1:5 unexpected end of file; expected ":" after the property name'],
  ])('%j', (text, expected) => {
    expect(syntaxError(text)).toBe(expected);
  });

  it.each([
    // jsonc-parser reports the string's start; the message points at the bad character inside it.
    ['{"a":"b\\x"}', '1:8 bad escape "\\x" in a string (write "\\\\" for a backslash)'],
    ['{"a":"\\u12G4"}', '1:7 bad \\u escape in a string (needs 4 hex digits)'],
    ['{"a\\q":1}', '1:4 bad escape "\\q" in a string (write "\\\\" for a backslash)'],
    ['{"a":"ok\\', '1:9 bad escape "\\" in a string (write "\\\\" for a backslash)'],
    ['{"a":"b\n"}', '1:8 line break inside a string (unterminated string?)'],
    ['{"a":"b\r"}', '1:8 control character inside a string'],
    ['{"a":"x\ty"}', '1:8 control character inside a string'],
    ['{\n  "a": "never closed', '2:8 unterminated string'],
    // A broken string where a comma belongs is a missing comma, at the string's start.
    ['[1 "b\\x"]', `1:4 unexpected '"'; expected "," or "]" after an array item (missing comma?)`],
  ])('inside a string: %j', (text, expected) => {
    expect(syntaxError(text)).toBe(expected);
  });

  it.each([
    // jsonc-parser reads `01` as two numbers and `2px` as a number and a word: one malformed number here.
    ['{"a":01}', '1:6 malformed number "01"'],
    ['[2px]', '1:2 malformed number "2p"'],
    ['[1.5.3]', '1:2 malformed number "1.5."'],
    ['[-01]', '1:2 malformed number "-01"'],
    ['[1.]', '1:2 malformed number "1."'],
    ['[1e+]', '1:2 malformed number "1e"'],
    ['[-]', '1:2 malformed number at "-"'],
    ['[1-2]', '1:3 unexpected "-"; expected "," or "]" after an array item (missing comma?)'],
    // `trueish` is one bad word to jsonc-parser; the value `true` is fine, what follows it is not.
    ['{"a": trueish}', '1:11 unexpected "i"; expected "," or "}" after a property value (missing comma?)'],
    ['nullx', '1:5 unexpected "x" after the end of the JSON value'],
  ])('numbers and words: %j', (text, expected) => {
    expect(syntaxError(text)).toBe(expected);
  });

  it('lines count "\\n" only: CRLF lines are lines, a lone CR is not', () => {
    expect(syntaxError('{\r\n  "a": 1,\r\n}')).toBe('3:1 trailing comma before "}" (JSON allows none)');
    expect(syntaxError('{\r  "a": 1,\r}')).toBe('1:13 trailing comma before "}" (JSON allows none)');
  });
});

describe(`parseJsonText: nesting deeper than ${MAX_JSON_DEPTH} levels`, () => {
  const arrays = (depth: number, inner: string) => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
  const objects = (depth: number, inner: string) => `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`;
  it('a value at depth 256 is read, one at 257 is refused where it starts', () => {
    expect(parseJsonText(arrays(256, '1')).problems).toEqual([]);
    expect(parseJsonText(arrays(257, '')).problems).toEqual([]);
    expect(syntaxError(arrays(257, '1'))).toBe('1:258 nested deeper than 256 levels');
    expect(syntaxError(arrays(258, ''))).toBe('1:258 nested deeper than 256 levels');
    expect(parseJsonText(objects(256, '1')).problems).toEqual([]);
    expect(syntaxError(objects(257, ' {}'))).toBe(`1:${257 * 5 + 2} nested deeper than 256 levels`);
  });
  it('refused before any error further in, and without running out of stack at 200000 levels', () => {
    expect(syntaxError(arrays(300, 'x'))).toBe('1:258 nested deeper than 256 levels');
    expect(syntaxError('['.repeat(300))).toBe('1:258 nested deeper than 256 levels');
    expect(syntaxError(arrays(200_000, '1'))).toBe('1:258 nested deeper than 256 levels');
    // An error before the depth is reached is that error.
    expect(syntaxError(`${'['.repeat(100)}1 2`)).toBe(
      '1:103 unexpected "2"; expected "," or "]" after an array item (missing comma?)',
    );
  });
});

describe('parseJsonText: keys that appear twice', () => {
  it('names each repeat with its JSON path and position, and the line of the one before it', () => {
    const text = '{\n  "x": [{"a": 1}, {"b": {"c": 1,\n    "c": 2,\n    "c": 3}}],\n  "x": 0\n}';
    const { value, problems } = parseJsonText(text);
    expect(value).toEqual({ x: 0 });
    expect(problems).toEqual([
      {
        path: 'x[1].b.c',
        position: { line: 3, column: 5 },
        message:
          'key "c" appears twice in the same object (first on line 2); JSON keeps only the last value, remove one',
        kind: 'duplicateKey',
      },
      {
        path: 'x[1].b.c',
        position: { line: 4, column: 5 },
        message:
          'key "c" appears twice in the same object (first on line 3); JSON keeps only the last value, remove one',
        kind: 'duplicateKey',
      },
      {
        path: 'x',
        position: { line: 5, column: 3 },
        message:
          'key "x" appears twice in the same object (first on line 2); JSON keeps only the last value, remove one',
        kind: 'duplicateKey',
      },
    ]);
  });
  it('compares keys after escapes, and quotes keys that are not identifiers', () => {
    expect(parseJsonText('{"\\u0061":1,"a":2}').problems.map((p) => [p.path, p.position.column])).toEqual([
      ['a', 13],
    ]);
    expect(parseJsonText('{"a b":1,"a b":2}').problems[0]?.path).toBe('["a b"]');
    expect(parseJsonText('{"__proto__":1,"__proto__":2}').problems[0]?.path).toBe('__proto__');
  });
  it('are not reported when the text has a syntax error', () => {
    expect(parseJsonText('{"a":1,"a":2,"b":}').problems.map((p) => p.kind)).toEqual(['syntax']);
  });
});

describe('parseJsonText agrees with JSON.parse on validity', () => {
  it('a 500-digit number is JSON (the hand-written scanner refused it)', () => {
    const text = `[${'9'.repeat(500)}]`;
    expect(parseJsonText(text)).toEqual({ value: JSON.parse(text), problems: [] });
  });
  const examples = sharedExamplesDir();
  it.skipIf(!examples)(
    'every seventh cut of the shared CharacterStudio example: refused exactly when JSON.parse refuses it',
    () => {
      const example = fs.readFileSync(path.join(examples!, 'characterstudio-manifest.json'), 'utf8');
      const messages = new Map<string, number>();
      for (let end = 0; end <= example.length; end += 7) {
        const text = example.slice(0, end);
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        const { value, problems } = parseJsonText(text);
        expect(value === undefined, text).toBe(!valid);
        if (valid) continue;
        const message = problems[0]!.message.replace(/"[^"]*"/g, '"…"');
        messages.set(message, (messages.get(message) ?? 0) + 1);
        // Truncated text ends in the middle of something: the error is at the end or where that thing starts.
        const at = problems[0]!.position;
        if (message.startsWith('unexpected end of file')) expect(at).toEqual(locateOffset(text, text.length));
      }
      expect(Object.fromEntries(messages)).toMatchInlineSnapshot(`
      {
        "malformed number "…"": 2,
        "malformed number at "…"": 2,
        "the file is empty; expected a JSON object": 1,
        "unexpected end of file; expected "…" after the property name": 48,
        "unexpected end of file; expected "…" or "…" after a property value (missing comma?)": 86,
        "unexpected end of file; expected "…" or "…" after an array item (missing comma?)": 17,
        "unexpected end of file; expected a property name in double quotes": 381,
        "unexpected end of file; expected a value": 173,
        "unexpected word "…"; expected a value (strings need double quotes)": 26,
        "unterminated string": 1091,
      }
    `);
    },
  );
});
