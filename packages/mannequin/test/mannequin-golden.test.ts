import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { createMannequinVrm, MANNEQUIN_VERSION } from '../src/index.js';

// A tripwire: caches and renders downstream key on these bytes. When the change is intended, bump
// MANNEQUIN_VERSION (it is written into the file's meta) and update both hashes.
const GOLDEN = {
  version: '1.0.0',
  '1.0': 'c7257a3a051f673d63dd2e544ae25723db377e8068a04367579332527d25a4bd',
  '0.x': '2e000151746d4d4fa7ef3d2a5f6aeab5ba227828db829dcd94115c2bd8aa8260',
};

test.each(['1.0', '0.x'] as const)('the VRM %s bytes are pinned to MANNEQUIN_VERSION', (spec) => {
  const sha256 = createHash('sha256')
    .update(createMannequinVrm({ specVersion: spec }))
    .digest('hex');
  expect({ version: MANNEQUIN_VERSION, sha256 }).toEqual({ version: GOLDEN.version, sha256: GOLDEN[spec] });
});
