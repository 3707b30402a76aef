import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { createMannequinVrm, MANNEQUIN_VERSION } from '../src/index.js';

// A tripwire: caches and renders downstream key on these bytes. When the change is intended, bump
// MANNEQUIN_VERSION (it is written into the file's meta) and update both hashes.
const GOLDEN = {
  version: '1.3.0',
  '1.0': 'e865e3eceb64bebcc3dbefcf47ed71cf122d39e31ffb6dfaf6b027fb05407182',
  '0.x': '8abcc0e4c58adcf1c3fabe562e0f29ddc85fef5cb5a3e77141b83cad3ce81f1c',
};

test.each(['1.0', '0.x'] as const)('the VRM %s bytes are pinned to MANNEQUIN_VERSION', async (spec) => {
  const sha256 = createHash('sha256')
    .update(await createMannequinVrm({ specVersion: spec }))
    .digest('hex');
  expect({ version: MANNEQUIN_VERSION, sha256 }).toEqual({ version: GOLDEN.version, sha256: GOLDEN[spec] });
});
