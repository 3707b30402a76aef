import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAvatarBytes, checkAvatarFile } from '../src/index.js';

// checkAvatarFile reads only a VRM's header and JSON chunk: it must say exactly what checkAvatarBytes says on
// the whole file, for good and bad files alike.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-avatar-check-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A binary glTF: 12-byte header, JSON chunk (padded with spaces), BIN chunk. */
function glb(json: object, binBytes: number): Buffer {
  let text = JSON.stringify(json);
  while (text.length % 4 !== 0) text += ' ';
  const jsonChunk = Buffer.from(text);
  const bin = Buffer.alloc(binBytes, 7);
  const total = 12 + 8 + jsonChunk.length + 8 + bin.length;
  const header = Buffer.alloc(12);
  header.writeUInt32LE(0x46546c67, 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(total, 8);
  const jsonHead = Buffer.alloc(8);
  jsonHead.writeUInt32LE(jsonChunk.length, 0);
  jsonHead.writeUInt32LE(0x4e4f534a, 4);
  const binHead = Buffer.alloc(8);
  binHead.writeUInt32LE(bin.length, 0);
  binHead.writeUInt32LE(0x004e4942, 4);
  return Buffer.concat([header, jsonHead, jsonChunk, binHead, bin]);
}

const vrm = glb(
  { asset: { version: '2.0' }, extensions: { VRMC_vrm: {} }, buffers: [{ byteLength: 4096 }] },
  4096,
);
const cases: [string, Buffer][] = [
  ['a VRM', vrm],
  ['truncated in its binary chunk', vrm.subarray(0, vrm.length - 100)],
  ['truncated in its JSON chunk', vrm.subarray(0, 30)],
  ['glTF without a VRM extension', glb({ asset: { version: '2.0' }, buffers: [{ byteLength: 8 }] }, 8)],
  ['empty', Buffer.alloc(0)],
  ['a few bytes', Buffer.from('hello')],
  ['a PNG', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')],
];

describe('checkAvatarFile', () => {
  for (const [name, bytes] of cases) {
    it(`${name}: the same verdict as checkAvatarBytes on the whole file`, async () => {
      const file = path.join(dir, `${name}.vrm`);
      fs.writeFileSync(file, bytes);
      const verdict = await checkAvatarFile(file);
      expect(verdict).toBe(checkAvatarBytes(bytes));
      expect(verdict === null).toBe(name === 'a VRM');
    });
  }
});
