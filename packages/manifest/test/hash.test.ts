import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../src/hash.js';

// canonicalJson decides every cache key and entry id: it must give exactly the text of the hand-written
// version it replaced (sorted keys + JSON.stringify), or every user's cache would be invalidated.
function previousCanonicalJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).sort()) {
        const member = (v as Record<string, unknown>)[key];
        if (member !== undefined) out[key] = sortKeys(member);
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(sortKeys(value));
}

/** Values of every JSON kind, nested, with awkward keys and strings (a fixed pseudo-random walk). */
function sampleValues(): unknown[] {
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const strings = [
    '',
    'a',
    'B',
    'é',
    '日本',
    '\u2028',
    '"q"',
    'back\\slash',
    'tab\t',
    '\u0001',
    '😀',
    'Z10',
    'z2',
  ];
  const leaf = (): unknown => {
    const r = next();
    if (r < 0.2) return strings[Math.floor(next() * strings.length)];
    if (r < 0.4)
      return [0, -0, 1.5, -2e-7, 1e21, 123456789.125, Number.MAX_SAFE_INTEGER][Math.floor(next() * 7)];
    if (r < 0.5) return next() < 0.5;
    if (r < 0.6) return null;
    if (r < 0.65) return undefined;
    return Number.NaN;
  };
  const build = (depth: number): unknown => {
    if (depth > 3 || next() < 0.3) return leaf();
    if (next() < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => build(depth + 1));
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i > 0; i--)
      out[strings[Math.floor(next() * strings.length)]!] = build(depth + 1);
    return out;
  };
  return Array.from({ length: 400 }, () => build(0)).filter((v) => v !== undefined);
}

describe('canonicalJson', () => {
  it('gives the same text as the hand-written version it replaced, for every JSON kind', () => {
    for (const value of sampleValues()) expect(canonicalJson(value)).toBe(previousCanonicalJson(value));
  });
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: undefined }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"f":1}]},"b":1}',
    );
  });
  it('refuses a cycle instead of writing a placeholder into a key', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });
  it('sha256 of text and of bytes agree', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(new TextEncoder().encode('abc'))).toBe(sha256('abc'));
  });
});
