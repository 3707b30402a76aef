import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { createMannequinVrm, MANNEQUIN_VERSION } from '../src/index.js';

// A tripwire: caches and renders downstream key on these bytes. When the change is intended, bump
// MANNEQUIN_VERSION (it is written into the file's meta) and update both hashes.
const GOLDEN = {
  version: '1.2.0',
  '1.0': '9513c06b3155ef5371d746da1fc8d8fd0a359f35ed69c188e99bc01c66d14b08',
  '0.x': '888f9ea6d8d249e1e83b61249d19e6f8010c9c0ef1ae47aec1991f72890368bf',
};

test.each(['1.0', '0.x'] as const)('the VRM %s bytes are pinned to MANNEQUIN_VERSION', (spec) => {
  const sha256 = createHash('sha256')
    .update(createMannequinVrm({ specVersion: spec }))
    .digest('hex');
  expect({ version: MANNEQUIN_VERSION, sha256 }).toEqual({ version: GOLDEN.version, sha256: GOLDEN[spec] });
});
