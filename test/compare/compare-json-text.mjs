#!/usr/bin/env node
// Before/after comparison of `parseJsonText` (packages/manifest/src/parse-json-text.ts): the hand-written
// scanner it replaced (taken from git, `--old-ref`, default: the last commit that had it) against the built
// one (packages/manifest/dist, run `pnpm build` first), over a corpus of broken and valid JSON: the fuzz
// suites' manifests (packages/manifest/test/fuzz-manifest.test.ts, test/faults/support/mutate-manifest.ts),
// the shared CharacterStudio example cut at every offset and with every character deleted, and hand-written
// cases (stray commas, comments, quotes, unquoted keys, control characters, escapes, numbers, duplicate keys
// at several depths, BOM, empty text, nesting around MAX_JSON_DEPTH). Prints how many results are identical
// (value, problem kinds, paths, positions, messages) and lists the ones that differ, grouped.
//
//   pnpm build && node test/compare/compare-json-text.mjs [--old-ref <commit>]
//
// Exit code 1 when a value, a validity or a position differs (except where the old scanner disagreed with
// JSON.parse), or when the new parser disagrees with JSON.parse.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const refArg = process.argv.indexOf('--old-ref');
const oldRef = refArg > 0 ? process.argv[refArg + 1] : 'e26c6ea2668bf1ab2b38b203c909df75e2a6c1bb';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-compare-json-'));

/** Transpiles one TypeScript file (its relative imports rewritten by `imports`) into `work` and imports it. */
async function importTs(source, name, imports = {}) {
  let js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  for (const [from, to] of Object.entries(imports)) js = js.replaceAll(`'${from}'`, `'${to}'`);
  const file = path.join(work, `${name}.mjs`);
  fs.writeFileSync(file, js);
  return import(pathToFileURL(file).href);
}

const findings = pathToFileURL(path.join(repo, 'packages/manifest/dist/findings.js')).href;
const oldSource = execFileSync('git', ['show', `${oldRef}:packages/manifest/src/parse-json-text.ts`], {
  cwd: repo,
  encoding: 'utf8',
});
const before = await importTs(oldSource, 'old-parse-json-text', { './findings.js': findings });
const after = await import(pathToFileURL(path.join(repo, 'packages/manifest/dist/parse-json-text.js')).href);
const mutations = await importTs(
  fs.readFileSync(path.join(repo, 'test/faults/support/mutate-manifest.ts'), 'utf8'),
  'mutate-manifest',
);

/** @type {{ name: string; text: string }[]} */
const corpus = [];
const add = (name, text) => corpus.push({ name, text });

// 1. The fault suite's generated manifests (bytes decoded as loadManifest would, BOM kept).
for (const m of mutations.generateMutations()) add(`faults: ${m.name}`, m.bytes.toString('utf8'));

// 2. The manifest fuzz test's 500 mutated manifests (same PRNG, seed and mutation; all valid JSON).
for (const [i, text] of fuzzManifests().entries()) add(`fuzz #${i}`, text);

// 3. The shared example: cut at every offset, every character deleted, stray characters at line ends.
const example = fs.readFileSync(
  path.resolve(repo, '..', 'shared', 'examples', 'characterstudio-manifest.json'),
  'utf8',
);
for (let i = 0; i <= example.length; i++) add(`example cut at ${i}`, example.slice(0, i));
for (let i = 0; i < example.length; i++)
  add(`example without char ${i}`, example.slice(0, i) + example.slice(i + 1));
const lineEnds = [...example.matchAll(/\n/g)].map((m) => m.index);
for (const stray of [',', '"', "'", '}', ']', ':', '/', '// note', '/* note */', 'x', '0', '\t', '\u0001'])
  for (const at of lineEnds)
    add(`example with ${JSON.stringify(stray)} at ${at}`, example.slice(0, at) + stray + example.slice(at));
add('example with a BOM', `\ufeff${example}`);
add('example with CRLF', example.replaceAll('\n', '\r\n'));
add('example with lone CR', example.replaceAll('\n', '\r'));
add('example single-quoted', example.replaceAll('"', "'"));
add('example keys unquoted', example.replace(/"(\w+)":/g, '$1:'));
add('example twice', example + example);

// 4. Hand-written cases.
for (const text of handWritten()) add(`hand: ${JSON.stringify(text).slice(0, 80)}`, text);

const same = (a, b) =>
  isDeepStrictEqual(a.value, b.value) &&
  a.problems.length === b.problems.length &&
  a.problems.every((p, i) => isDeepStrictEqual(p, b.problems[i]));
let identical = 0;
/** @type {Map<string, string[]>} message changes: "old → new" → case names */
const messageOnly = new Map();
/** @type {string[]} differences in value, validity, kind, path or position */
const serious = [];
/** @type {string[]} the old scanner disagreed with JSON.parse, the new one agrees */
const fixed = [];
let disagreesWithJsonParse = 0;
const parses = (text) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};
const tooDeep = (r) => r.problems.some((p) => p.message.startsWith('nested deeper than'));
const shape = (r) => JSON.stringify([r.value, r.problems.map((p) => [p.kind, p.path, p.position])]);
for (const { name, text } of corpus) {
  const a = before.parseJsonText(text);
  const b = after.parseJsonText(text);
  const valid = parses(text);
  const validNew = !b.problems.some((p) => p.kind === 'syntax');
  if (validNew !== valid && !tooDeep(b)) disagreesWithJsonParse++;
  if (same(a, b)) {
    identical++;
    continue;
  }
  const validOld = !a.problems.some((p) => p.kind === 'syntax');
  if (validOld !== valid && validNew === valid) {
    fixed.push(name);
  } else if (shape(a) === shape(b) && a.problems.length === b.problems.length) {
    // Grouped with the unexpected character left out, so one change of wording is one group.
    const bare = (message) => message.replace(/^unexpected "(?:[^"\\]|\\.)+"/, 'unexpected "<c>"');
    const key = a.problems.map((p, i) => `${bare(p.message)}  →  ${bare(b.problems[i].message)}`).join(' | ');
    messageOnly.set(key, [...(messageOnly.get(key) ?? []), name]);
  } else {
    serious.push(
      `${name}\n    old: ${JSON.stringify(a.problems)} value ${a.value === undefined ? 'none' : 'read'}\n    new: ${JSON.stringify(b.problems)} value ${b.value === undefined ? 'none' : 'read'}`,
    );
  }
}
const invalid = corpus.filter(({ text }) => !parses(text)).length;
process.stdout.write(
  `${corpus.length} texts (${invalid} refused by JSON.parse): ${identical} identical, ` +
    `${[...messageOnly.values()].flat().length} differ only in message, ${serious.length} differ in value, validity, kind, path or position, ` +
    `${fixed.length} where the old scanner disagreed with JSON.parse and the new one agrees; ` +
    `new parser disagrees with JSON.parse (nesting over MAX_JSON_DEPTH aside): ${disagreesWithJsonParse}\n`,
);
for (const name of fixed) process.stdout.write(`\nfixed: ${name.slice(0, 100)}\n`);
for (const [change, names] of messageOnly)
  process.stdout.write(
    `\nmessage: ${change}\n  ${names.length} cases, e.g. ${names.slice(0, 3).join('; ')}\n`,
  );
for (const line of serious) process.stdout.write(`\nDIFFERS: ${line}\n`);
fs.rmSync(work, { recursive: true, force: true });
process.exitCode = serious.length > 0 || disagreesWithJsonParse > 0 ? 1 : 0;

/** The manifests of packages/manifest/test/fuzz-manifest.test.ts, as that test writes them. */
function fuzzManifests() {
  let a = 42;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const odd = [null, true, 0, -1, 1.5, 1e308, '', ' ', 'fullshot', 'front--', '#12', 'builtin:', '{trigger'];
  odd.push('__proto__', 'x'.repeat(500), [], [0, 0, 0], [1, 'a', null], {}, { kind: 'transparent' });
  const entry = () => ({
    animationPath: 'builtin:waving',
    animationFrame: 0,
    cameraPosition: 'front',
    cameraFrame: 'fullShot',
    description: 'a person waving',
  });
  const out = [];
  for (let i = 0; i < 500; i++) {
    const m = {
      width: 512,
      height: 512,
      background: '#808080',
      caption: { template: '{trigger} {description}' },
      dataCollection: [entry(), { ...entry(), animationPath: 'Walking.fbx', cameraPosition: [1, 0, 1] }],
    };
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
      const pick = (list) => list[Math.floor(random() * list.length)];
      const entries = Array.isArray(m.dataCollection)
        ? m.dataCollection.filter((e) => e !== null && typeof e === 'object' && !Array.isArray(e))
        : [];
      const target = random() < 0.6 && entries.length > 0 ? pick(entries) : m;
      const key = pick([...Object.keys(target), 'unknownKey', 'constructor', 'toString']);
      if (random() < 0.2) delete target[key];
      else target[key] = pick(odd);
    }
    out.push(JSON.stringify(m, null, 2));
  }
  return out;
}

/** Broken (and a few valid) JSON texts written by hand. */
function handWritten() {
  const nest = (depth, open, close, inner) => open.repeat(depth) + inner + close.repeat(depth);
  const texts = [
    '',
    ' ',
    ' \n\t\r\n',
    '\ufeff{}',
    '{}',
    '[]',
    '{',
    '[',
    '}',
    ']',
    '{"a":1,}',
    '[1,]',
    '[1,,2]',
    '[,1]',
    '{,}',
    '{"a":1,,"b":2}',
    '{"a" 1}',
    '{"a":}',
    '{"a"}',
    '{"a":1 "b":2}',
    '[1 2]',
    '{"a":1}}',
    '[1]]',
    '{"a":1} x',
    '{"a":1} // done',
    '// lead\n{}',
    '{/* c */"a":1}',
    '{"a":1 /* unterminated',
    '{"a": /}',
    "{'a': 1}",
    '{"a": \'b\'}',
    '{a: 1}',
    '{"a": yes}',
    '{"a": tru}',
    '{"a": trueish}',
    '{"a": nullx}',
    '{"a": true1}',
    'trueish',
    'nul',
    '[NaN]',
    '[Infinity]',
    '[undefined]',
    '{"a": café}',
    `{"a": ${'w'.repeat(60)}}`,
    '[01]',
    '{"a":01}',
    '[1.]',
    '[1.x]',
    '[1.e5]',
    '[1e]',
    '[1e+]',
    '[1E-]',
    '[-]',
    '[-a]',
    '[--1]',
    '[+1]',
    '[.5]',
    '[1.5.3]',
    '[2px]',
    '[0x10]',
    '[-01]',
    '[1e5e]',
    '[1-2]',
    '1 2',
    '01',
    '-',
    `[${'9'.repeat(500)}]`,
    '{"a":"b\\x"}',
    '{"a":"\\u12"}',
    '{"a":"\\u12G4"}',
    '{"a":"b\\',
    '{"a":"b',
    '"abc',
    '{"a":"b\n"}',
    '{"a":"b\r"}',
    '{"a\\q":1}',
    '{"a" "b\\x"}',
    '[1 "b\\x"]',
    '{"a":"ok"\n  "b":1}',
    '{"a":1,\r"b":}',
    '{"a":1}\r\r}',
    '{"a":1,"a":2}',
    '{"a":1,"a":2,"a":3}',
    '{"x":{"a":1,"a":2}}',
    '{"x":[{"a":1},{"b":{"c":1,\n"c":2}}]}',
    '{"\\u0061":1,"a":2}',
    '{"__proto__":1,"__proto__":2}',
    '{"a b":1,"a b":2}',
    '{"a":1,"a":2,"b":}',
    '[{"a":1,"a":2}, x]',
  ];
  for (let c = 0; c < 32; c++)
    texts.push(`{"a":"x${String.fromCharCode(c)}y"}`, `{${String.fromCharCode(c)}}`);
  for (const ch of ['\u00a0', '\u2028', '\u000b', '\u000c', '\u200b', '\ufeff'])
    texts.push(`{${ch}"a":1}`, `{"a":1}${ch}`, `[1,${ch}2]`);
  for (const depth of [254, 255, 256, 257, 258, 5000])
    texts.push(
      nest(depth, '[', ']', ''),
      nest(depth, '[', ']', '1'),
      nest(depth, '[', ']', ' x'),
      nest(depth, '[', ']', ','),
      nest(depth, '{"a":', '}', '1'),
      nest(depth, '{"a":', '}', '{}'),
      nest(depth, '{"a":', '}', '[]'),
      nest(depth, '{"a":', '}', ' x'),
      nest(depth, '{"a":', '}', '{"b" 1}'),
      '['.repeat(depth),
      '{"a":'.repeat(depth),
      `${nest(depth, '[', ']', '{"k":1,"k":2}')}`,
    );
  return texts;
}
