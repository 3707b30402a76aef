import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAvatarCollection } from '../src/resolve-avatar-collection.js';

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-collection-'));
  await fs.mkdir(path.join(dir, 'avatars', 'more'), { recursive: true });
  for (const name of ['b.vrm', 'a.VRM', 'notes.txt', 'more/c.vrm'])
    await fs.writeFile(path.join(dir, 'avatars', name), 'x');
  await fs.writeFile(path.join(dir, 'list.txt'), '# the cast\navatars/b.vrm\n\n  avatars/more/c.vrm  \n');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('resolveAvatarCollection', () => {
  it('takes the .vrm files of a folder, not its sub-folders, sorted', async () => {
    expect(await resolveAvatarCollection(path.join(dir, 'avatars'))).toEqual([
      path.join(dir, 'avatars', 'a.VRM'),
      path.join(dir, 'avatars', 'b.vrm'),
    ]);
  });

  it('takes a glob, relative to the working folder', async () => {
    expect(await resolveAvatarCollection('avatars/**/*.vrm', dir)).toEqual([
      path.join(dir, 'avatars', 'b.vrm'),
      path.join(dir, 'avatars', 'more', 'c.vrm'),
    ]);
  });

  it('takes a list file, paths relative to it, comments and blank lines skipped', async () => {
    expect(await resolveAvatarCollection(path.join(dir, 'list.txt'))).toEqual([
      path.join(dir, 'avatars', 'b.vrm'),
      path.join(dir, 'avatars', 'more', 'c.vrm'),
    ]);
  });

  it('names the fix when nothing matches', async () => {
    await expect(resolveAvatarCollection(path.join(dir, 'avatars', 'more', 'none-*.vrm'))).rejects.toThrow(
      'the glob matches no file',
    );
    await expect(resolveAvatarCollection(path.join(dir, 'missing'))).rejects.toThrow(
      'no such folder or file; give a folder of .vrm files, a glob, or a list file',
    );
  });

  it('refuses two avatars that would write one dataset folder', async () => {
    const clash = path.join(dir, 'clash');
    await fs.mkdir(clash);
    await fs.writeFile(path.join(clash, 'Hero One.vrm'), 'x');
    await fs.writeFile(path.join(clash, 'hero_one.vrm'), 'x');
    await expect(resolveAvatarCollection(clash)).rejects.toThrow(
      /would all write the dataset folder "hero-one" .*; rename all but one/,
    );
  });
});
