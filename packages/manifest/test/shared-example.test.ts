import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedAssetsDir, sharedExamplesDir } from '../../../test/support/shared-assets.js';
import { loadManifest, manifestJsonSchema, summarizePlan } from '../src/index.js';
import { makeTempDir } from './support/manifest-fixtures.js';

const examples = sharedExamplesDir();
const assets = sharedAssetsDir();
const exampleFile = examples ? path.join(examples, 'characterstudio-manifest.json') : null;
const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!exampleFile)("CharacterStudio's example manifest, unchanged", () => {
  const raw = exampleFile
    ? (JSON.parse(fs.readFileSync(exampleFile, 'utf8')) as Record<string, unknown>)
    : {};
  const entries = (raw.dataCollection ?? []) as Record<string, unknown>[];
  const clips = [...new Set(entries.map((e) => e.animationPath as string))].sort();

  it('has the 46 entries and 38 clips the tests expect', () => {
    expect(entries).toHaveLength(46);
    expect(clips).toHaveLength(38);
  });

  it('passes the schema and resolves (file checks off)', async () => {
    const { plan, findings } = await loadManifest(exampleFile!, { checkFiles: false });
    expect(findings).toEqual([]);
    expect(plan?.shots).toHaveLength(46);
    // "./lora-assets/" + "/animations/" is relative to the manifest's folder, not the filesystem root.
    expect(plan?.animationsDir).toBe(path.join(examples!, 'lora-assets', 'animations'));
    expect(plan?.shots[0]).toMatchObject({
      number: 1,
      jsonPath: 'dataCollection[0]',
      animation: { kind: 'file', name: 'Walking.fbx', path: path.join(plan!.animationsDir, 'Walking.fbx') },
      sample: { kind: 'frame', frame: 8 },
      expression: 'happy',
      camera: { position: [-0.5, -0.2, 1], label: 'custom', frame: 'fullShot', localOffset: [0, 0, 0] },
      width: 1024,
      height: 1024,
      topFrameOffsetPixels: 64,
      bottomFrameOffsetPixels: 64,
      background: { kind: 'color', rgb: [0, 0, 0] },
      backgroundDescription: 'plain black background',
    });
    const kick = plan!.shots.find((s) => s.animation.kind === 'file' && s.animation.name === 'MmaKick.fbx');
    expect(kick?.camera).toMatchObject({ position: [1, 0, 0], label: 'right', localOffset: [0.5, 0, 0] });
    expect(plan!.shots.filter((s) => s.expression === null)).toHaveLength(1);
    expect(new Set(plan!.shots.map((s) => s.id)).size).toBe(46);
  });

  it('every entry passes the generated JSON Schema (CharacterStudio’s own schema rejects this file)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(manifestJsonSchema());
    expect(validate(raw), JSON.stringify(validate.errors)).toBe(true);
    for (const entry of entries) {
      const one = { ...raw, dataCollection: [entry] };
      expect(validate(one), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('the JSON Schema rejects what the loader rejects: a frame typo, an unknown key, a bad direction', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(manifestJsonSchema());
    const entry = entries[0]!;
    for (const bad of [
      { ...entry, cameraFrame: 'fullshoot' },
      { ...entry, cameraFrme: 'fullShot' },
      { ...entry, cameraPosition: 'frnot-left' },
      { ...entry, animationFrame: -1 },
    ])
      expect(validate({ ...raw, dataCollection: [bad] })).toBe(false);
    expect(
      validate({
        ...raw,
        dataCollection: [{ ...entry, cameraFrame: 'FULLSHOT', cameraPosition: 'Left-Top-Front' }],
      }),
    ).toBe(true);
  });

  it.skipIf(!assets)(
    'with --animations ../shared/assets/fbx: exactly the clips missing from that folder',
    async () => {
      const fbxDir = path.join(assets!, 'fbx');
      const present = new Set(fs.readdirSync(fbxDir));
      const missing = clips.filter((c) => !present.has(c));
      expect(missing.length).toBeGreaterThan(0);
      const { plan, findings } = await loadManifest(exampleFile!, { animationsDir: fbxDir });
      expect(plan).toBeNull();
      expect(findings.every((f) => f.severity === 'error' && f.file === exampleFile)).toBe(true);
      const named = findings.map((f) => /animation file not found: (.*?) \(/.exec(f.message)?.[1]);
      expect(named.sort()).toEqual(missing.map((c) => path.join(fbxDir, c)).sort());
      // Each finding points at the first entry that uses the clip.
      for (const f of findings) {
        const index = Number(/^dataCollection\[(\d+)\]\.animationPath$/.exec(f.path)?.[1]);
        const clip = path.basename(/not found: (.*?) \(/.exec(f.message)![1]!);
        expect(entries.findIndex((e) => e.animationPath === clip)).toBe(index);
      }
    },
  );

  it('with a folder holding all 38 clips it is valid; summary counts frames and directions', async () => {
    const folder = path.join(dir, 'all-clips');
    fs.mkdirSync(folder);
    for (const clip of clips) fs.writeFileSync(path.join(folder, clip), '');
    const { plan, findings } = await loadManifest(exampleFile!, { animationsDir: folder });
    expect(findings).toEqual([]);
    const summary = summarizePlan(plan!);
    expect(summary).toMatchObject({
      entries: 46,
      distinctAnimations: 38,
      shotsPerFrame: { fullShot: 38, cowboyShot: 2, mediumShot: 6 },
      imageSizes: { '1024x1024': 46 },
      animationsDir: folder,
      avatars: [],
    });
    expect(summary.shotsPerDirection).toMatchObject({ front: 14, left: 7, 'front-left': 6, custom: 6 });
    expect(Object.values(summary.shotsPerDirection).reduce((a, b) => a + b, 0)).toBe(46);
  });
});
