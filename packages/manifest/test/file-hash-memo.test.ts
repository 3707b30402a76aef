import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileHashMemo, sha256 } from '../src/hash.js';

// The memo that lets `vrm-lora watch` skip re-hashing unchanged files: a remembered hash must never hide a
// change (in place, through a rename, with the old modification time put back, or within the racy window).

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-hash-memo-'));
  file = path.join(dir, 'a.bin');
  await fs.writeFile(file, 'first content');
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('FileHashMemo', () => {
  it('an unchanged file is not read again; its hash is the bytes’ sha256', async () => {
    const memo = new FileHashMemo(0);
    expect(await memo.sha256File(file)).toBe(sha256('first content'));
    const reads = vi.spyOn(fs, 'readFile');
    expect(await memo.sha256File(file)).toBe(sha256('first content'));
    expect(reads).not.toHaveBeenCalled();
    const { bytes, sha256: hash } = await memo.read(file);
    expect([bytes.toString(), hash]).toEqual(['first content', sha256('first content')]);
  });

  it('a change in place of the same size, with the old modification time put back, is seen', async () => {
    const memo = new FileHashMemo(0);
    await memo.sha256File(file);
    const { mtime, atime } = await fs.stat(file);
    await fs.writeFile(file, 'other content');
    await fs.utimes(file, atime, mtime);
    expect(await memo.sha256File(file)).toBe(sha256('other content'));
  });

  it('a file replaced through a rename is seen', async () => {
    const memo = new FileHashMemo(0);
    await memo.sha256File(file);
    await fs.writeFile(`${file}.tmp`, 'renamed over');
    await fs.rename(`${file}.tmp`, file);
    expect(await memo.sha256File(file)).toBe(sha256('renamed over'));
  });

  it('a file changed within the racy window is hashed again, not trusted', async () => {
    const memo = new FileHashMemo(60_000);
    await memo.sha256File(file);
    const reads = vi.spyOn(fs, 'readFile');
    await memo.sha256File(file);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('a missing file rejects', async () => {
    await expect(new FileHashMemo().sha256File(path.join(dir, 'nope'))).rejects.toThrow(/ENOENT/);
  });
});
