import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { computeEntryId } from '../src/index.js';
import { baseEntry, loadContent, makeTempDir, withTop } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const entries = [
  { ...baseEntry(), animationPath: 'Walking.fbx', animationFrame: 8, description: 'walking' },
  {
    ...baseEntry(),
    animationPath: 'Salute.fbx',
    animationFrame: 30,
    cameraFrame: 'mediumShot',
    description: 'saluting',
  },
  { ...baseEntry(), animationPath: 'builtin:waving', cameraPosition: 'left', description: 'waving' },
  { ...baseEntry(), animationPath: 'Angry.fbx', animationFrame: 87, description: 'angry' },
  { ...baseEntry(), animationPath: 'Angry.fbx', animationFrame: 333, description: 'angry later' },
];

async function idsOf(list: Record<string, unknown>[], top: Record<string, unknown> = {}) {
  const { plan, findings } = await loadContent(dir, withTop({ ...top, dataCollection: list }));
  expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  return plan!.shots.map((s) => s.id);
}

describe('stable entry ids', () => {
  it('are readable: animation slug + 10 hex digits', async () => {
    const ids = await idsOf(entries);
    expect(ids.map((id) => id.replace(/[0-9a-f]{10}$/, 'H'))).toEqual([
      'walking-H',
      'salute-H',
      'waving-H',
      'angry-H',
      'angry-H',
    ]);
    expect(new Set(ids).size).toBe(5);
  });

  it('do not change when other entries are added, removed or reordered', async () => {
    const all = await idsOf(entries);
    const byDescription = new Map(entries.map((e, i) => [e.description, all[i]]));
    const variants = [
      entries.slice(1),
      [entries[4]!, entries[0]!, entries[2]!],
      [...entries, { ...baseEntry(), animationPath: 'New.fbx', description: 'new' }],
      [{ ...baseEntry(), animationPath: 'First.fbx', description: 'first' }, ...entries],
      [...entries].reverse(),
    ];
    for (const list of variants) {
      const ids = await idsOf(list);
      list.forEach((entry, i) => {
        if (byDescription.has(entry.description)) expect(ids[i]).toBe(byDescription.get(entry.description));
      });
    }
  });

  it('do not change with top-level settings (size, background, trigger)', async () => {
    const before = await idsOf(entries);
    const after = await idsOf(entries, {
      width: 768,
      height: 1024,
      backgroundGrayscale: 0.5,
      trigger: 'ohwx',
    });
    expect(after).toEqual(before);
  });

  it('ignore spelling: "FULLSHOT" = "fullShot", "left-front" = "front-left", omitted camera = "front"', () => {
    const e = { animationPath: 'Walking.fbx', description: 'x' };
    expect(computeEntryId({ ...e, cameraFrame: 'FULLSHOT' })).toBe(
      computeEntryId({ ...e, cameraFrame: 'fullShot' }),
    );
    expect(computeEntryId({ ...e, cameraPosition: 'left-front' })).toBe(
      computeEntryId({ ...e, cameraPosition: 'Front-Left' }),
    );
    expect(computeEntryId({ ...e, cameraPosition: 'front', cameraFrame: 'fullShot' })).toBe(
      computeEntryId(e),
    );
    expect(computeEntryId({ ...e, cameraPosition: 'front' })).toBe(
      computeEntryId({ ...e, cameraPosition: [0, 0, 1] }),
    );
  });

  it('change when the entry itself changes', () => {
    const e = { animationPath: 'Walking.fbx', description: 'x', animationFrame: 8 };
    const id = computeEntryId(e);
    for (const changed of [
      { ...e, animationFrame: 9 },
      { ...e, cameraPosition: 'left' },
      { ...e, description: 'y' },
      { ...e, expression: 'happy' },
      { ...e, width: 768 },
      { ...e, animationPath: 'Running.fbx' },
    ])
      expect(computeEntryId(changed)).not.toBe(id);
  });

  it('pinned: the same content gives the same id on every machine', () => {
    expect(
      computeEntryId({
        animationPath: 'Walking.fbx',
        animationFrame: 8,
        lookAtCamera: false,
        expression: 'happy',
        cameraPosition: [-0.5, -0.2, 1],
        cameraFrame: 'fullShot',
        description: 'a person slowly walking full shot',
      }),
    ).toMatchInlineSnapshot(`"walking-e96748457e"`);
  });

  it('identical entries get -2, -3 in order; a user id is used as is', async () => {
    const same = { ...baseEntry(), description: 'same' };
    const ids = await idsOf([same, { ...baseEntry(), id: 'my-shot', description: 'mine' }, same, same]);
    expect(ids[1]).toBe('my-shot');
    expect(ids[2]).toBe(`${ids[0]}-2`);
    expect(ids[3]).toBe(`${ids[0]}-3`);
  });
});
