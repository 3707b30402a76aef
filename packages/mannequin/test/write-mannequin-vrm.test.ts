import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createMannequinVrm, writeMannequinVrm } from '../src/index.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

test('writeMannequinVrm writes the same bytes as createMannequinVrm and leaves no temporary file', async () => {
  const folder = await mkdtemp(path.join(tmpdir(), 'mannequin-'));
  folders.push(folder);
  const file = path.join(folder, 'mannequin-0x.vrm');
  await writeMannequinVrm(file, { specVersion: '0.x' });
  const written = await readFile(file);
  expect(Buffer.compare(written, await createMannequinVrm({ specVersion: '0.x' }))).toBe(0);
  expect(await readdir(folder)).toEqual(['mannequin-0x.vrm']);
});

test('writeMannequinVrm names the file it could not write', async () => {
  const file = path.join(tmpdir(), 'no-such-folder-for-the-mannequin', 'x.vrm');
  await expect(writeMannequinVrm(file)).rejects.toThrow(`writeMannequinVrm: could not write ${file}:`);
});
