import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findInvalidUtf8, loadManifest, parseJsonText } from '../src/index.js';
import {
  baseEntry,
  baseManifest,
  findingLines,
  loadContent,
  makeTempDir,
} from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const lines = (content: unknown) => findingLines(dir, content);

describe('reading the file: every failure is a finding, never a throw', () => {
  it('missing comma: line and column', async () => {
    expect(await lines('{\n  "width": 512\n  "height": 512\n}')).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 3, column 3: unexpected '"'; expected "," or "}" after a property value (missing comma?)",
      ]
    `);
  });
  it('trailing comma', async () => {
    expect(
      await lines('{\n  "dataCollection": [\n    {"animationPath": "a.fbx"},\n  ]\n}'),
    ).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 4, column 3: trailing comma before "]" (JSON allows none)",
      ]
    `);
  });
  it('single quotes', async () => {
    expect(await lines("{'width': 512}")).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 1, column 2: unexpected "'" (JSON strings use double quotes); expected a property name in double quotes",
      ]
    `);
  });
  it('a comment', async () => {
    expect(await lines('{\n  // size\n  "width": 512\n}')).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 2, column 3: unexpected "/" (comments are not allowed in JSON); expected a property name in double quotes",
      ]
    `);
  });
  it('truncated file', async () => {
    expect(await lines('{\n  "width": 512,\n  "dataCollection": [')).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 3, column 22: unexpected end of file; expected a value",
      ]
    `);
  });
  it('unquoted word value', async () => {
    expect(await lines('{"lookAtCamera": yes}')).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 1, column 18: unexpected word "yes"; expected a value (strings need double quotes)",
      ]
    `);
  });
  it('empty file', async () => {
    expect(await lines('')).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 1, column 1: the file is empty; expected a JSON object",
      ]
    `);
  });
  it('duplicate key: JSON.parse would silently keep the last', async () => {
    const text = JSON.stringify(baseManifest(), null, 2).replace(
      '"width": 512,',
      '"width": 512,\n  "width": 640,',
    );
    expect(await lines(text)).toMatchInlineSnapshot(`
      [
        "error width: key "width" appears twice in the same object (first on line 2); JSON keeps only the last value, remove one (line 3, column 3)",
      ]
    `);
  });
  it('not UTF-8 (Latin-1 é)', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{\n  "backgroundDescription": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"\n}'),
    ]);
    expect(await lines(bytes)).toMatchInlineSnapshot(`
      [
        "error : is not UTF-8 text: byte 0xe9 at line 2, column 32; save the file as UTF-8",
      ]
    `);
  });
  it('UTF-16', async () => {
    expect(await lines(Buffer.from('\ufeff{}', 'utf16le'))).toMatchInlineSnapshot(`
      [
        "error : is UTF-16 text; save it as UTF-8",
      ]
    `);
  });
  it('a UTF-8 byte-order mark is accepted', async () => {
    const { findings } = await loadContent(dir, `\ufeff${JSON.stringify(baseManifest())}`);
    expect(findings).toEqual([]);
  });
  it('top-level string, number, null', async () => {
    expect(await lines('"hello"')).toMatchInlineSnapshot(`
      [
        "error : a manifest must be a JSON object with a "dataCollection" array, got a string",
      ]
    `);
    expect(await lines('42')).toMatchInlineSnapshot(`
      [
        "error : a manifest must be a JSON object with a "dataCollection" array, got a number",
      ]
    `);
    expect(await lines('null')).toMatchInlineSnapshot(`
      [
        "error : a manifest must be a JSON object with a "dataCollection" array, got null",
      ]
    `);
  });
  it('deep nesting', async () => {
    expect(await lines(`${'['.repeat(5000)}${']'.repeat(5000)}`)).toMatchInlineSnapshot(`
      [
        "error : invalid JSON at line 1, column 258: nested deeper than 256 levels",
      ]
    `);
  });
  it('a file that is too big is refused before reading', async () => {
    const file = path.join(dir, 'huge.json');
    const fd = fs.openSync(file, 'w');
    fs.ftruncateSync(fd, 17 * 1024 * 1024);
    fs.closeSync(fd);
    const { plan, findings } = await loadManifest(file);
    expect(plan).toBeNull();
    expect(findings).toEqual([
      {
        severity: 'error',
        file,
        path: '',
        message: 'is 17.0 MB; a manifest may be at most 16 MB (is this the right file?)',
      },
    ]);
  });
  it('missing file and folder', async () => {
    const missing = path.join(dir, 'nope.json');
    expect((await loadManifest(missing)).findings).toEqual([
      { severity: 'error', file: missing, path: '', message: 'file not found' },
    ]);
    expect((await loadManifest(dir)).findings[0]?.message).toBe(
      'is a folder; give the manifest .json file inside it',
    );
  });
});

describe('parseJsonText agrees with JSON.parse', () => {
  const valid = [
    '{"a":[1,-2.5e3,true,false,null,"x\\u00e9\\n"],"b":{}}',
    ' [ ] ',
    '"\\"quoted\\""',
    '0',
    '{"__proto__": 1}',
  ];
  for (const text of valid)
    it(`accepts ${text}`, () => {
      expect(parseJsonText(text)).toEqual({ value: JSON.parse(text), problems: [] });
    });
  const invalid = [
    '{"a":01}',
    '{"a":1.}',
    '{"a":"\\x"}',
    '[1 2]',
    '{"a" 1}',
    '{,}',
    'tru',
    '{"a":"b\n"}',
    '[1]]',
  ];
  for (const text of invalid)
    it(`rejects ${JSON.stringify(text)} like JSON.parse`, () => {
      expect(() => JSON.parse(text)).toThrow();
      expect(parseJsonText(text).problems[0]?.kind).toBe('syntax');
    });
});

describe('findInvalidUtf8', () => {
  it('finds overlong forms, surrogates, truncated sequences', () => {
    expect(findInvalidUtf8(Buffer.from('héllo ✓ 😀'))).toBe(-1);
    expect(findInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1);
    expect(findInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
    expect(findInvalidUtf8(Buffer.from([0x41, 0x42, 0xe2, 0x9c]))).toBe(2);
    expect(findInvalidUtf8(Buffer.from([0xf5, 0x80, 0x80, 0x80]))).toBe(0);
  });
});

describe('missing files in a manifest with other errors', () => {
  it('are reported in the same pass, for the entries whose animationPath is fine', async () => {
    const { findings } = await loadContent(
      dir,
      {
        ...baseManifest(),
        dataCollection: [
          { animationPath: 'Gone.fbx', animationFrame: 0, cameraFrame: 'fullShoot', description: 'a' },
          { animationPath: 'Gone.fbx', animationFrame: 1, description: 'b' },
          { animationPath: 42, animationFrame: 0, description: 'c' },
        ],
      },
      { checkFiles: true },
    );
    const byPath = Object.fromEntries(findings.map((f) => [f.path, f.message]));
    expect(byPath['dataCollection[0].cameraFrame']).toContain('did you mean "fullShot"?');
    expect(byPath['dataCollection[0].animationPath']).toBe(
      `animation file not found: ${path.join(dir, 'Gone.fbx')} (looked in the animations folder (assetsLocation + animationsDirectory, or pass --animations <dir>)); also used by dataCollection[1]`,
    );
    expect(Object.keys(byPath).filter((p) => p.startsWith('dataCollection[2]'))).toEqual([
      'dataCollection[2].animationPath',
    ]);
  });
});

describe('a null where a value belongs', () => {
  it('is named once', async () => {
    const { findings } = await loadContent(dir, {
      dataCollection: [{ ...baseEntry(), animationPath: null }],
    });
    expect(findings.find((f) => f.path === 'dataCollection[0].animationPath')?.message).toBe(
      'must be a string, got null',
    );
  });
});
