import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { createMannequinVrm, MANNEQUIN_VERSION } from '../src/index.js';

// A tripwire: caches and renders downstream key on these bytes. When the change is intended, bump
// MANNEQUIN_VERSION (it is written into the file's meta) and update both hashes.
const GOLDEN = {
  version: '1.1.0',
  '1.0': '3210cf9103ecfefb4cb2ed797e1e9c86039d58fedc5eb18ae86df26f93704d1c',
  '0.x': '2ddf4214f38f0f37915d0e4e0bdd0f1e4d68bfa6503a57ed6bf6306aa7a3b5f8',
};

test.each(['1.0', '0.x'] as const)('the VRM %s bytes are pinned to MANNEQUIN_VERSION', (spec) => {
  const sha256 = createHash('sha256')
    .update(createMannequinVrm({ specVersion: spec }))
    .digest('hex');
  expect({ version: MANNEQUIN_VERSION, sha256 }).toEqual({ version: GOLDEN.version, sha256: GOLDEN[spec] });
});
