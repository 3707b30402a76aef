import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileHashMemo } from '@vrm-lora/manifest/hash';
import { parse } from 'smol-toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATASET_INDEX_FILE, makeEntryStem, makeSafeSegment, slugify, writeDataset } from '../src/index.js';
import { makeTestEntry as makeEntry } from './support/make-test-entry.js';

interface ParsedToml {
  general: Record<string, unknown>;
  datasets: ({ subsets: Record<string, unknown>[] } & Record<string, unknown>)[];
}

function readToml(out: string): ParsedToml {
  return parse(fs.readFileSync(path.join(out, 'dataset.toml'), 'utf8')) as unknown as ParsedToml;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-dataset-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every file under `dir`, relative and `/`-separated, sorted. */
function listTree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
}

const ENTRIES = [
  makeEntry(1, 'a person slowly walking full shot'),
  makeEntry(2, 'a person saluting medium shot'),
  makeEntry(3, 'a person boxing full shot'),
];

describe('kohya layout', () => {
  it('writes image + caption pairs and a dataset.toml sd-scripts reads as is', async () => {
    const out = path.join(tmp, 'out');
    const result = await writeDataset(out, ENTRIES, {
      trigger: 'anata',
      classToken: 'person',
      repeats: 10,
      keepTokens: 1,
      trainers: ['sd-scripts'],
    });
    const dir = 'img/10_anata person';
    expect(listTree(out)).toEqual([
      DATASET_INDEX_FILE,
      'TRAINING.md',
      'dataset.toml',
      `${dir}/0001-a-person-slowly-walking-full-shot.png`,
      `${dir}/0001-a-person-slowly-walking-full-shot.txt`,
      `${dir}/0002-a-person-saluting-medium-shot.png`,
      `${dir}/0002-a-person-saluting-medium-shot.txt`,
      `${dir}/0003-a-person-boxing-full-shot.png`,
      `${dir}/0003-a-person-boxing-full-shot.txt`,
      'index.html',
      'sample-prompts.txt',
    ]);
    expect(result.imageDir).toBe(dir);
    expect(result.trainers).toEqual(['sd-scripts']);
    expect(fs.readFileSync(path.join(out, dir, '0001-a-person-slowly-walking-full-shot.txt'))).toEqual(
      Buffer.from('anata a person slowly walking full shot plain black background', 'utf8'),
    );
    expect(fs.readFileSync(path.join(out, dir, '0002-a-person-saluting-medium-shot.png'), 'utf8')).toBe(
      'image 2',
    );

    const toml = parse(fs.readFileSync(path.join(out, 'dataset.toml'), 'utf8'));
    expect(toml).toEqual({
      general: { caption_extension: '.txt', shuffle_caption: false, keep_tokens: 1 },
      datasets: [
        {
          resolution: [1024, 1024],
          batch_size: 1,
          enable_bucket: true,
          min_bucket_reso: 256,
          max_bucket_reso: 2048,
          bucket_reso_steps: 64,
          bucket_no_upscale: true,
          subsets: [
            {
              image_dir: 'img/10_anata person',
              caption_extension: '.txt',
              num_repeats: 10,
              keep_tokens: 1,
              class_tokens: 'anata person',
            },
          ],
        },
      ],
    });
    const imageDir = (toml.datasets as { subsets: { image_dir: string }[] }[])[0]!.subsets[0]!.image_dir;
    expect(fs.readdirSync(path.join(out, imageDir)).filter((f) => f.endsWith('.txt'))).toHaveLength(3);

    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(html).toContain('<img src="img/10_anata%20person/0003-a-person-boxing-full-shot.png"');
    expect(html).toContain('<b>#3</b> anata a person boxing full shot plain black background');
  });

  it('names the .caption extension in dataset.toml when it writes .caption files, and absolute paths on request', async () => {
    const out = path.join(tmp, 'out');
    await writeDataset(out, ENTRIES.slice(0, 1), {
      trigger: 'anata',
      repeats: 3,
      captionExtension: 'caption',
      keepTokens: 2,
      configPaths: 'absolute',
    });
    expect(listTree(out)).toContain('img/3_anata/0001-a-person-slowly-walking-full-shot.caption');
    const toml = readToml(out);
    expect(toml.general).toEqual({ caption_extension: '.caption', shuffle_caption: false, keep_tokens: 2 });
    expect(toml.datasets[0]?.subsets[0]).toEqual({
      image_dir: path.join(out, 'img', '3_anata'),
      caption_extension: '.caption',
      num_repeats: 3,
      keep_tokens: 2,
      class_tokens: 'anata',
    });
  });

  it('buckets with bucket_no_upscale, and warns of a size that is not a multiple of 64', async () => {
    const out = path.join(tmp, 'out');
    const entries = [
      makeEntry(1, 'a', { width: 768, height: 1344 }),
      makeEntry(2, 'b', { width: 1024, height: 1024 }),
      makeEntry(3, 'c', { width: 768, height: 1344 }),
      makeEntry(4, 'd', { width: 500, height: 700 }),
    ];
    const result = await writeDataset(out, entries, { trigger: 'anata' });
    expect(result.warnings).toEqual([
      {
        entryNumber: 4,
        message:
          "dataCollection[3] (entry 4): 500×700 is not a multiple of 64 px; trainers' buckets crop it to 448×640. Use sizes that are multiples of 64 (512, 768, 832, 1024, 1216, …).",
      },
    ]);
    const dataset = readToml(out).datasets[0];
    expect(dataset).toMatchObject({
      resolution: [768, 1344],
      enable_bucket: true,
      min_bucket_reso: 256,
      max_bucket_reso: 2048,
      bucket_reso_steps: 64,
      bucket_no_upscale: true,
    });
  });

  it('sets alpha_mask for masks in the alpha channel', async () => {
    const out = path.join(tmp, 'out');
    await writeDataset(out, ENTRIES, { trigger: 'anata', maskMode: 'alpha' });
    const text = fs.readFileSync(path.join(out, 'dataset.toml'), 'utf8');
    expect(text).toContain('sd-scripts weights the loss by each image’s alpha channel by itself');
    expect(text).toContain('Do not pass\n# --masked_loss to train_db.py');
    const subset = (parse(text) as unknown as ParsedToml).datasets[0]?.subsets[0];
    expect(subset?.alpha_mask).toBe(true);
    expect(subset?.class_tokens).toBe('anata');
  });

  it('writes separate masks with the same names and points conditioning_data_dir at them', async () => {
    const out = path.join(tmp, 'out');
    const entries = ENTRIES.map((entry) => ({ ...entry, mask: Buffer.from(`mask ${entry.number}`) }));
    await writeDataset(out, entries, { trigger: 'anata', classToken: 'person', maskMode: 'separate' });
    expect(listTree(out).filter((f) => f.startsWith('mask/'))).toEqual([
      'mask/10_anata person/0001-a-person-slowly-walking-full-shot.png',
      'mask/10_anata person/0002-a-person-saluting-medium-shot.png',
      'mask/10_anata person/0003-a-person-boxing-full-shot.png',
    ]);
    const subset = readToml(out).datasets[0]?.subsets[0];
    expect(subset).toEqual({
      image_dir: 'img/10_anata person',
      caption_extension: '.txt',
      num_repeats: 10,
      keep_tokens: 1,
      conditioning_data_dir: 'mask/10_anata person',
    });
    expect(fs.readFileSync(path.join(out, 'dataset.toml'), 'utf8')).toContain(
      'Add --masked_loss to the command',
    );
    await expect(
      writeDataset(path.join(tmp, 'other'), ENTRIES, { trigger: 'anata', maskMode: 'separate' }),
    ).rejects.toThrow(
      'dataCollection[0] (entry 1) has no mask, but masks are "separate"; post-process it again.',
    );
  });
});

describe('flat and jsonl layouts', () => {
  it('writes 0001.png + 0001.txt as CharacterStudio does', async () => {
    const out = path.join(tmp, 'out');
    await writeDataset(out, ENTRIES, {
      trigger: 'anata',
      layout: 'flat',
      contactSheet: Buffer.from('sheet'),
      trainers: [],
    });
    expect(listTree(out)).toEqual([
      DATASET_INDEX_FILE,
      'contact-sheet.png',
      'index.html',
      'train/0001.png',
      'train/0001.txt',
      'train/0002.png',
      'train/0002.txt',
      'train/0003.png',
      'train/0003.txt',
    ]);
    expect(fs.readFileSync(path.join(out, 'train/0003.txt'), 'utf8')).toBe(
      'anata a person boxing full shot plain black background',
    );
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toContain(
      '<a href="contact-sheet.png">contact sheet</a>',
    );
  });

  it('writes images and metadata.jsonl for Hugging Face ImageFolder', async () => {
    const out = path.join(tmp, 'out');
    const entries = [...ENTRIES, makeEntry(12, 'a "quoted" \\ caption', { imageExtension: 'webp' })];
    const result = await writeDataset(out, entries, { trigger: 'anata', layout: 'jsonl' });
    expect(result.trainers).toEqual(['diffusers']);
    expect(result.skippedTrainers.map((s) => s.trainer)).toEqual([
      'sd-scripts',
      'ai-toolkit',
      'onetrainer',
      'simpletuner',
    ]);
    expect(listTree(out)).toEqual([
      DATASET_INDEX_FILE,
      'TRAINING.md',
      'index.html',
      'train/0001-a-person-slowly-walking-full-shot.png',
      'train/0002-a-person-saluting-medium-shot.png',
      'train/0003-a-person-boxing-full-shot.png',
      'train/0012-a-quoted-caption.webp',
      'train/metadata.jsonl',
    ]);
    const lines = fs.readFileSync(path.join(out, 'train/metadata.jsonl'), 'utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({
      file_name: '0001-a-person-slowly-walking-full-shot.png',
      text: 'anata a person slowly walking full shot plain black background',
    });
    expect(JSON.parse(lines[3]!)).toEqual({
      file_name: '0012-a-quoted-caption.webp',
      text: 'anata a "quoted" \\ caption plain black background',
    });
  });
});

describe('result and contact sheet', () => {
  it('reports where each entry went and draws the contact sheet through the given function', async () => {
    const out = path.join(tmp, 'out');
    const cached = path.join(tmp, 'cached.png');
    fs.writeFileSync(cached, 'cached image');
    const entries = [
      { ...makeEntry(2, 'b'), id: 'id-b', image: { path: cached } },
      { ...makeEntry(1, 'a'), id: 'id-a', mask: Buffer.from('m') },
      { ...makeEntry(3, 'c'), mask: Buffer.from('m') },
    ];
    entries[0]!.mask = Buffer.from('m');
    const calls: { image: Buffer | string; label: string }[][] = [];
    const result = await writeDataset(out, entries, {
      trigger: 'anata',
      maskMode: 'separate',
      trainers: [],
      makeContactSheet: async (items) => {
        calls.push(items);
        // Drawn after every other file is written: the images are on disk already (vrm-lora watch shows them).
        expect(fs.readdirSync(path.join(out, 'img', '10_anata')).sort()).toEqual([
          '0001-a.png',
          '0001-a.txt',
          '0002-b.png',
          '0002-b.txt',
          '0003-c.png',
          '0003-c.txt',
        ]);
        return Buffer.from(`sheet of ${items.length}`);
      },
    });
    expect(calls).toEqual([
      [
        { image: entries[1]!.image, label: '#1 anata a plain black background' },
        { image: cached, label: '#2 anata b plain black background' },
        { image: entries[2]!.image, label: '#3 anata c plain black background' },
      ],
    ]);
    expect(result.contactSheet).toBe('contact-sheet.png');
    expect(fs.readFileSync(path.join(out, 'contact-sheet.png'), 'utf8')).toBe('sheet of 3');
    expect(result.outputs).toEqual([
      {
        number: 1,
        id: 'id-a',
        image: 'img/10_anata/0001-a.png',
        caption: 'img/10_anata/0001-a.txt',
        mask: 'mask/10_anata/0001-a.png',
      },
      {
        number: 2,
        id: 'id-b',
        image: 'img/10_anata/0002-b.png',
        caption: 'img/10_anata/0002-b.txt',
        mask: 'mask/10_anata/0002-b.png',
      },
      {
        number: 3,
        image: 'img/10_anata/0003-c.png',
        caption: 'img/10_anata/0003-c.txt',
        mask: 'mask/10_anata/0003-c.png',
      },
    ]);
    const jsonl = await writeDataset(path.join(tmp, 'j'), [makeEntry(1, 'a')], {
      trigger: 'anata',
      layout: 'jsonl',
      trainers: [],
    });
    expect(jsonl.outputs).toEqual([
      { number: 1, image: 'train/0001-a.png', caption: 'train/metadata.jsonl' },
    ]);
    expect(jsonl.contactSheet).toBeNull();
  });
});

describe('unsafe descriptions', () => {
  it('can never escape the folder or break a file system', async () => {
    const out = path.join(tmp, 'out');
    const descriptions = [
      '../../etc/x',
      'a/b\\c:d',
      'tab\there\u0000nul\u0007bell\u001b[31m',
      'x'.repeat(300),
      `${'word '.repeat(40)}end`,
      '***',
      'CON',
      'nul.txt',
      'Café à la crème',
      '日本語',
    ];
    const entries = descriptions.map((description, i) => makeEntry(i + 1, description));
    const result = await writeDataset(out, entries, {
      trigger: '../evil/anata',
      classToken: 'COM1:',
      layout: 'kohya',
    });
    expect(result.imageDir).toBe('img/10_.._evil_anata COM1_');
    expect(fs.readdirSync(tmp)).toEqual(['out']);
    expect(listTree(out).filter((f) => f.endsWith('.png'))).toEqual([
      'img/10_.._evil_anata COM1_/0001-etc-x.png',
      'img/10_.._evil_anata COM1_/0002-a-b-c-d.png',
      'img/10_.._evil_anata COM1_/0003-tab-here-nul-bell-31m.png',
      `img/10_.._evil_anata COM1_/0004-${'x'.repeat(48)}.png`,
      `img/10_.._evil_anata COM1_/0005-${'word-'.repeat(8)}word.png`,
      'img/10_.._evil_anata COM1_/0006.png',
      'img/10_.._evil_anata COM1_/0007-con.png',
      'img/10_.._evil_anata COM1_/0008-nul-txt.png',
      'img/10_.._evil_anata COM1_/0009-cafe-a-la-creme.png',
      'img/10_.._evil_anata COM1_/0010.png',
    ]);
  });

  it('will not write through a symbolic link that leads out of the folder', async () => {
    const out = path.join(tmp, 'out');
    const elsewhere = path.join(tmp, 'elsewhere');
    fs.mkdirSync(out);
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(out, 'img'), 'dir');
    await expect(writeDataset(out, ENTRIES, { trigger: 'anata' })).rejects.toThrow(
      `${path.join(out, 'img', '10_anata')} leads outside the output folder ${fs.realpathSync(out)} through a symbolic link`,
    );
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('slugs and segments', () => {
    expect(slugify('../../etc/x')).toBe('etc-x');
    expect(slugify('')).toBe('');
    expect(makeEntryStem(7, '')).toBe('0007');
    expect(makeEntryStem(12345, 'Hi!')).toBe('12345-hi');
    expect(makeSafeSegment('..')).toBe('_');
    expect(makeSafeSegment('CON')).toBe('_CON');
    expect(makeSafeSegment('lpt1.txt')).toBe('_lpt1.txt');
    expect(makeSafeSegment('trail. . ')).toBe('trail');
    expect(makeSafeSegment('a\u0000b/c')).toBe('a_b_c');
  });
});

describe('re-runs', () => {
  it("removes a dropped entry's files and never touches the user's own files", async () => {
    const out = path.join(tmp, 'out');
    await writeDataset(out, ENTRIES, { trigger: 'anata', trainers: ['sd-scripts'] });
    const dir = path.join(out, 'img', '10_anata');
    fs.writeFileSync(path.join(dir, 'my-notes.txt'), 'mine');
    fs.writeFileSync(path.join(out, 'my-extra.png'), 'mine too');

    const result = await writeDataset(out, ENTRIES.slice(0, 2), {
      trigger: 'anata',
      trainers: ['sd-scripts'],
    });
    expect(result.removed).toEqual([
      'img/10_anata/0003-a-person-boxing-full-shot.png',
      'img/10_anata/0003-a-person-boxing-full-shot.txt',
    ]);
    expect(result.keptModified).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'my-notes.txt'), 'utf8')).toBe('mine');
    expect(fs.readFileSync(path.join(out, 'my-extra.png'), 'utf8')).toBe('mine too');
    expect(listTree(dir)).toEqual([
      '0001-a-person-slowly-walking-full-shot.png',
      '0001-a-person-slowly-walking-full-shot.txt',
      '0002-a-person-saluting-medium-shot.png',
      '0002-a-person-saluting-medium-shot.txt',
      'my-notes.txt',
    ]);
    const index = JSON.parse(fs.readFileSync(path.join(out, DATASET_INDEX_FILE), 'utf8'));
    expect(Object.keys(index.files)).toEqual([
      'TRAINING.md',
      'dataset.toml',
      'img/10_anata/0001-a-person-slowly-walking-full-shot.png',
      'img/10_anata/0001-a-person-slowly-walking-full-shot.txt',
      'img/10_anata/0002-a-person-saluting-medium-shot.png',
      'img/10_anata/0002-a-person-saluting-medium-shot.txt',
      'index.html',
      'sample-prompts.txt',
    ]);
  });

  it('moves everything when the folder changes, removing emptied folders, and keeps a file the user edited', async () => {
    const out = path.join(tmp, 'out');
    await writeDataset(out, ENTRIES, { trigger: 'anata', repeats: 10, trainers: ['sd-scripts'] });
    fs.writeFileSync(path.join(out, 'img/10_anata/0002-a-person-saluting-medium-shot.txt'), 'edited by hand');
    const result = await writeDataset(out, ENTRIES, {
      trigger: 'anata',
      repeats: 5,
      trainers: ['sd-scripts'],
    });
    expect(result.keptModified).toEqual(['img/10_anata/0002-a-person-saluting-medium-shot.txt']);
    expect(result.removed).toHaveLength(5);
    expect(listTree(path.join(out, 'img'))).toEqual([
      '10_anata/0002-a-person-saluting-medium-shot.txt',
      '5_anata/0001-a-person-slowly-walking-full-shot.png',
      '5_anata/0001-a-person-slowly-walking-full-shot.txt',
      '5_anata/0002-a-person-saluting-medium-shot.png',
      '5_anata/0002-a-person-saluting-medium-shot.txt',
      '5_anata/0003-a-person-boxing-full-shot.png',
      '5_anata/0003-a-person-boxing-full-shot.txt',
    ]);
    // The layout switches: kohya files go, the edited file stays, the img folder of removed files goes.
    await writeDataset(out, ENTRIES, { trigger: 'anata', layout: 'flat', trainers: [] });
    expect(fs.existsSync(path.join(out, 'img/5_anata'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'dataset.toml'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'img/10_anata/0002-a-person-saluting-medium-shot.txt'))).toBe(true);
  });

  it('with no entries left, removes every earlier file and writes only index.html', async () => {
    const out = path.join(tmp, 'out');
    await writeDataset(out, ENTRIES, {
      trigger: 'anata',
      contactSheet: Buffer.from('sheet'),
      trainers: ['sd-scripts'],
    });
    fs.writeFileSync(path.join(out, 'mine.txt'), 'mine');
    let called = false;
    const result = await writeDataset(out, [], {
      trigger: 'anata',
      makeContactSheet: async () => {
        called = true;
        return Buffer.from('x');
      },
    });
    expect(called).toBe(false);
    expect(result.removed).toHaveLength(10);
    expect(result.contactSheet).toBeNull();
    expect(listTree(out)).toEqual([DATASET_INDEX_FILE, 'index.html', 'mine.txt']);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('<p>0 images</p>');
  });

  it('leaves files with the right content alone and copies from a path source', async () => {
    const out = path.join(tmp, 'out');
    const cached = path.join(tmp, 'cached.png');
    fs.writeFileSync(cached, 'cached image');
    const entries = [makeEntry(1, 'walk', { image: { path: cached } })];
    const first = await writeDataset(out, entries, { trigger: 'anata', layout: 'flat', trainers: [] });
    expect(first.files.map((f) => f.changed)).toEqual([true, true, true]);
    expect(fs.readFileSync(path.join(out, 'train/0001.png'), 'utf8')).toBe('cached image');
    const second = await writeDataset(out, entries, { trigger: 'anata', layout: 'flat', trainers: [] });
    expect(second.files.map((f) => [f.path, f.changed])).toEqual([
      ['train/0001.png', false],
      ['train/0001.txt', false],
      ['index.html', false],
    ]);
    expect(fs.readdirSync(path.join(out, 'train')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with a hash memo (watch): a known-hash source in place is not read, and a file edited on disk is written again', async () => {
    const out = path.join(tmp, 'out');
    const cached = path.join(tmp, 'cached.png');
    fs.writeFileSync(cached, 'cached image');
    const sha = createHash('sha256').update('cached image').digest('hex');
    const entries = [makeEntry(1, 'walk', { image: { path: cached, sha256: sha } })];
    const options = { trigger: 'anata', layout: 'flat', trainers: [] } as const;
    const hashes = new FileHashMemo(0);
    await writeDataset(out, entries, options, { hashes });
    // The cache file is gone: a run that still read it would fail; this one finds the image in place.
    fs.rmSync(cached);
    const again = await writeDataset(out, entries, options, { hashes });
    expect(again.files.map((f) => f.changed)).toEqual([false, false, false]);
    // The user edits the image in place, same size, old times put back: it is written again from the source.
    fs.writeFileSync(cached, 'cached image');
    const image = path.join(out, 'train/0001.png');
    const { atime, mtime } = fs.statSync(image);
    fs.writeFileSync(image, 'edited image');
    fs.utimesSync(image, atime, mtime);
    const third = await writeDataset(out, entries, options, { hashes });
    expect(third.files.map((f) => [f.path, f.changed])).toEqual([
      ['train/0001.png', true],
      ['train/0001.txt', false],
      ['index.html', false],
    ]);
    expect(fs.readFileSync(image, 'utf8')).toBe('cached image');
  });

  it('refuses to overwrite a file it did not write', async () => {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'dataset.toml'), 'my own config');
    await expect(writeDataset(out, ENTRIES, { trigger: 'anata' })).rejects.toThrow(
      `Will not overwrite a file in ${out} that vrm-lora did not write: dataset.toml. Move them away, or choose another output folder.`,
    );
    expect(fs.readFileSync(path.join(out, 'dataset.toml'), 'utf8')).toBe('my own config');
    expect(fs.existsSync(path.join(out, 'img'))).toBe(false);
  });

  it('rejects a damaged index, and bad captions naming the entry', async () => {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, DATASET_INDEX_FILE), '{"oops"');
    await expect(writeDataset(out, ENTRIES, { trigger: 'anata' })).rejects.toThrow(
      'is not a vrm-lora dataset index (format vrm-lora/dataset-index v1). Delete it to start over',
    );
    await expect(
      writeDataset(path.join(tmp, 'b'), [makeEntry(4, 'x', { caption: 'two\n\nlines' })], {
        trigger: 'anata',
      }),
    ).rejects.toThrow(
      'The caption of dataCollection[3] (entry 4) must be one or more non-empty lines separated by \\n (no empty line, no \\r).',
    );
  });
});
