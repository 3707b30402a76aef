import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/shared-assets.js';
import { loadManifest, manifestJsonSchema } from '../src/index.js';
import { withEntry, withTop } from './support/manifest-fixtures.js';

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(manifestJsonSchema());

describe('the generated JSON Schema', () => {
  it('accepts the bundled example, which the loader also accepts', async () => {
    const file = path.join(repoRoot, 'examples', 'demo-manifest.json');
    expect(validate(JSON.parse(fs.readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    expect((await loadManifest(file)).findings).toEqual([]);
  });

  it('accepts every vrm-lora field', () => {
    const manifest = withTop({
      $schema: './manifest.schema.json',
      avatars: ['a.vrm'],
      trigger: 'ohwx',
      classToken: 'woman',
      caption: { template: '{trigger}, {view}', style: 'tags', extension: 'caption' },
      repeats: 3,
      layout: 'flat',
      image: { format: 'jpeg', quality: 80, alphaMask: 'alpha' },
      background: [10, 20, 30],
      wrapAnimations: true,
      dataCollection: withEntry({
        id: 'shot-1',
        animationTake: 'Take 001',
        wrapAnimation: false,
        expression: null,
        cameraLocalOffset: [0, 0.1, 0],
        width: 768,
        height: 1024,
        topFrameOffsetPixels: 8,
        bottomFrameOffsetPixels: 8,
        background: 'transparent',
        backgroundDescription: '',
      }).dataCollection,
    });
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
  });

  it('rejects wrong types, ranges and enums as the loader does', () => {
    for (const bad of [
      withTop({ width: 0 }),
      withTop({ height: 9000 }),
      withTop({ backgroundGrayscale: 2 }),
      withTop({ layout: 'koyha' }),
      withTop({ background: 'black' }),
      withTop({ caption: { extention: 'txt' } }),
      withEntry({ lookAtCamera: 'yes' }),
      withEntry({ cameraLocalOffset: [0, 0] }),
      withEntry({ description: undefined }),
    ])
      expect(validate(bad)).toBe(false);
  });

  it('describes fields for editors', () => {
    const schema = manifestJsonSchema() as {
      properties: Record<string, { description?: string }>;
    };
    expect(schema.properties.backgroundGrayscale?.description).toMatch(/round\(255·g\)/);
    expect(Object.keys(schema.properties)).toContain('$schema');
  });
});
