import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256 } from '@vrm-lora/manifest/hash';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSourceReader } from '../src/create-source-reader.js';
import type { PlannedFile } from '../src/dataset-types.js';
import { orderPlannedFiles, writePlannedFiles } from '../src/write-planned-files.js';
import { makeTestEntry } from './support/make-test-entry.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-planned-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const text = (filePath: string, content: string): PlannedFile => ({
  path: filePath,
  kind: 'caption',
  source: Buffer.from(content),
});

describe('orderPlannedFiles', () => {
  it('puts files known to differ from the index first, then plan order, the pending sheet last', () => {
    const sheet = Buffer.alloc(0);
    const files: PlannedFile[] = [
      { path: 'contact-sheet.png', kind: 'preview', source: sheet },
      text('a.txt', 'same'),
      { path: 'b.png', kind: 'image', source: { path: '/cache/b.png' } },
      text('c.txt', 'changed'),
      text('d.txt', 'new'),
    ];
    const known = [undefined, sha256(Buffer.from('same')), undefined, 'ccc', 'ddd'];
    const indexed = { 'a.txt': sha256(Buffer.from('same')), 'b.png': 'bbb', 'c.txt': 'old', 'd.txt': null };
    // c.txt and d.txt differ from the index (d.txt was claimed but never written); b.png's hash is not known.
    expect(orderPlannedFiles(files, known, indexed, sheet)).toEqual([3, 4, 1, 2, 0]);
    // Without a sheet drawn by the writer, a preview's bytes are ranked like any file.
    expect(orderPlannedFiles(files, known, indexed, null)).toEqual([3, 4, 0, 1, 2]);
  });
});

describe('writePlannedFiles', () => {
  it('writes only what is not in place, and never reads a source whose known hash is already there', async () => {
    const root = fs.realpathSync(tmp);
    fs.writeFileSync(path.join(root, 'kept.png'), 'cached image');
    const files: PlannedFile[] = [
      // The cache file is gone: reading it would throw, so this passes only if it is not read.
      {
        path: 'kept.png',
        kind: 'image',
        source: { path: path.join(root, 'gone.png'), sha256: sha256(Buffer.from('cached image')) },
      },
      text('sub/new.txt', 'a caption'),
    ];
    const result = await writePlannedFiles({
      rootReal: root,
      files,
      targets: files.map((file) => path.join(root, ...file.path.split('/'))),
      indexed: {},
      reader: createSourceReader([makeTestEntry(1, 'x')], {}),
    });
    expect(result.written).toEqual([
      { path: 'kept.png', kind: 'image', sha256: sha256(Buffer.from('cached image')), changed: false },
      { path: 'sub/new.txt', kind: 'caption', sha256: sha256(Buffer.from('a caption')), changed: true },
    ]);
    expect(result.sha256ByPath).toEqual({
      'kept.png': sha256(Buffer.from('cached image')),
      'sub/new.txt': sha256(Buffer.from('a caption')),
    });
    expect(fs.readFileSync(path.join(root, 'sub', 'new.txt'), 'utf8')).toBe('a caption');
  });

  it('stops before the next file when the signal is aborted', async () => {
    const root = fs.realpathSync(tmp);
    const controller = new AbortController();
    controller.abort();
    const files = [text('a.txt', 'a')];
    await expect(
      writePlannedFiles({
        rootReal: root,
        files,
        targets: [path.join(root, 'a.txt')],
        indexed: {},
        reader: createSourceReader([], {}),
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
