import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../src/index.js';
import { baseEntry, loadContent, makeTempDir } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function makeRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const oddValues: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  'fullshot',
  'front--',
  '#12',
  'builtin:',
  '{trigger',
  [],
  [0, 0, 0],
  [1, 'a', null],
  {},
  { kind: 'transparent' },
  '__proto__',
  'x'.repeat(500),
];

function mutate(value: Record<string, unknown>, random: () => number): void {
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const entries = Array.isArray(value.dataCollection)
    ? (value.dataCollection as unknown[]).filter(
        (e): e is Record<string, unknown> => e !== null && typeof e === 'object' && !Array.isArray(e),
      )
    : [];
  const target: Record<string, unknown> = random() < 0.6 && entries.length > 0 ? pick(entries) : value;
  const keys = [...Object.keys(target), 'unknownKey', 'constructor', 'toString'];
  const key = pick(keys);
  if (random() < 0.2) delete target[key];
  else target[key] = pick(oddValues);
}

describe('random damage never throws and never hides an error', () => {
  it('500 mutated manifests: a plan exactly when there is no error, no internal error', async () => {
    const random = makeRandom(42);
    for (let i = 0; i < 500; i++) {
      const manifest: Record<string, unknown> = {
        width: 512,
        height: 512,
        background: '#808080',
        caption: { template: '{trigger} {description}' },
        dataCollection: [
          baseEntry(),
          { ...baseEntry(), animationPath: 'Walking.fbx', cameraPosition: [1, 0, 1] },
        ],
      };
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) mutate(manifest, random);
      const validated = validateManifest(manifest, 'm.json');
      expect(validated.manifest === null).toBe(validated.findings.some((f) => f.severity === 'error'));
      if (i % 2 === 0) {
        const { plan, findings } = await loadContent(dir, manifest);
        expect(
          findings.some((f) => f.message.includes('vrm-lora bug')),
          JSON.stringify(findings),
        ).toBe(false);
        expect(plan === null).toBe(findings.some((f) => f.severity === 'error'));
      }
      for (const f of validated.findings) expect(f.message.length).toBeGreaterThan(5);
    }
  });
});
