import fs from 'node:fs';
import path from 'node:path';
import { loadManifest } from '@vrm-lora/manifest';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/shared-assets.js';
import { captionForShot, keepTokensFor } from '../src/index.js';

const example = path.resolve(repoRoot, '..', 'shared', 'examples', 'characterstudio-manifest.json');

describe.skipIf(!fs.existsSync(example))('captions of the CharacterStudio example manifest', () => {
  it('match CharacterStudio for every entry with the default template', async () => {
    const { plan, findings } = await loadManifest(example, { checkFiles: false });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const raw = JSON.parse(fs.readFileSync(example, 'utf8')) as {
      backgroundDescription: string;
      dataCollection: { description: string }[];
    };
    const captions = plan!.shots.map((shot) =>
      captionForShot(shot, {
        trigger: plan!.trigger,
        classToken: plan!.classToken,
        template: plan!.caption.template,
      }),
    );
    expect(captions[0]).toBe('anata a person slowly walking full shot plain black background');
    expect(captions).toEqual(
      raw.dataCollection.map((entry) =>
        `anata ${entry.description} ${raw.backgroundDescription}`
          .replace(/\s+/g, ' ')
          .replace(/\s*,\s*/g, ', '),
      ),
    );
    expect(keepTokensFor(captions, 'anata')).toBe(1);
  });
});
