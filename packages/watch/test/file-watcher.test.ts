import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileWatcher, type FileWatcher } from '../src/create-file-watcher.js';

// The watcher on real files with real inotify: saves that follow each other faster than chokidar's 50 ms
// change throttle (which drops the second) must still end in a batch that sees the last content. Without the
// re-check, the second save of each pair below is never reported.

let dir: string;
let file: string;
let watcher: FileWatcher | null;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-file-watcher-'));
  file = path.join(dir, 'manifest.json');
  await fs.writeFile(file, 'v0');
  watcher = null;
});

afterEach(async () => {
  await watcher?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Watches `paths`; returns the content of `file` as each batch saw it. */
async function watchContents(paths: string[]): Promise<string[]> {
  const seen: string[] = [];
  watcher = createFileWatcher({
    debounceMs: 10,
    ignoredDirs: [],
    onChange: () => seen.push(readFileSync(file, 'utf8')),
  });
  await watcher.setPaths(paths);
  return seen;
}

async function renameOver(text: string): Promise<void> {
  const tmp = path.join(dir, '.manifest.json.swp');
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, file);
}

/** Waits until the last batch saw `text`, or 3 s. */
async function settles(seen: string[], text: string): Promise<void> {
  for (let t = 0; t < 300 && seen.at(-1) !== text; t++) await sleep(10);
}

describe('createFileWatcher', () => {
  for (const watched of ['the file', 'the file and its folder'] as const) {
    for (const [name, second] of [
      ['write, then write again', (text: string) => fs.writeFile(file, text)],
      ['write, then save through a rename', renameOver],
    ] as const) {
      it(`${watched}: ${name} within 50 ms; the last batch sees the second save`, async () => {
        const seen = await watchContents(watched === 'the file' ? [file] : [file, dir]);
        for (let i = 1; i <= 3; i++) {
          await fs.writeFile(file, `first ${i}`);
          await settles(seen, `first ${i}`);
          expect(seen.at(-1)).toBe(`first ${i}`);
          await sleep(15);
          await second(`second ${i}`);
          await settles(seen, `second ${i}`);
          expect(seen.at(-1), `save pair ${i}`).toBe(`second ${i}`);
        }
      });
    }
  }

  it('a quiet file is not reported again by the re-check', async () => {
    const seen = await watchContents([file]);
    await fs.writeFile(file, 'once');
    await settles(seen, 'once');
    await sleep(400);
    expect(seen).toEqual(['once']);
  });
});
