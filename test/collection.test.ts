import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { collectionReportSchema, reportSchema } from '@vrm-lora/manifest';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { demoManifest } from '@vrm-lora/pipeline';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonEvents, runCli } from './support/run-cli.js';

// `run --vrm-dir`: a collection of avatars, one dataset each, a bad avatar failing alone, and the collection's
// report.json and contact sheet; the same datasets as runs of each avatar alone.

let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-collection-e2e-'));
  const manifest = demoManifest();
  Object.assign(manifest, { width: 128, height: 128, topFrameOffsetPixels: 8, bottomFrameOffsetPixels: 8 });
  manifest.dataCollection = (manifest.dataCollection as unknown[]).slice(0, 2);
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  await fs.mkdir(path.join(dir, 'cast'));
  await fs.writeFile(path.join(dir, 'cast', 'Hero.vrm'), await createMannequinVrm({ specVersion: '1.0' }));
  await fs.writeFile(
    path.join(dir, 'cast', 'old_hero.vrm'),
    await createMannequinVrm({ specVersion: '0.x' }),
  );
  await fs.writeFile(path.join(dir, 'cast', 'broken.vrm'), 'not a model');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('run --vrm-dir', () => {
  it('writes one dataset per avatar, fails the bad one alone, and sums the collection up', async () => {
    const run = await runCli(['run', 'manifest.json', '--vrm-dir', 'cast', '-o', 'out', '--json'], {
      cwd: dir,
    });
    expect(run.exitCode, String(run.stderr)).toBe(1);
    const ends = jsonEvents(String(run.stdout)).filter((e) => e.type === 'avatar-end');
    // Sorted by path: upper case first.
    expect(ends.map((e) => (e.avatar as { status: string }).status)).toEqual([
      'written',
      'failed',
      'written',
    ]);

    const report = collectionReportSchema.parse(
      JSON.parse(await fs.readFile(path.join(dir, 'out', 'report.json'), 'utf8')),
    );
    expect(report.summary).toEqual({ avatars: 3, written: 2, failed: 1, images: 4, failedEntries: 0 });
    // The run ends with one collection-end naming what it wrote.
    const end = jsonEvents(String(run.stdout)).filter((e) => e.type === 'collection-end');
    expect(end.map((e) => [e.report, e.contactSheets, e.summary])).toEqual([
      [path.join(dir, 'out', 'report.json'), [path.join(dir, 'out', 'contact-sheet.png')], report.summary],
    ]);
    expect(report.avatars.map((a) => [a.trigger, a.outDir])).toEqual([
      ['hero', 'hero'],
      ['broken', 'broken'],
      ['old_hero', 'old-hero'],
    ]);
    // The message a run of that avatar alone prints.
    expect(report.avatars[1]!.error).toBe(
      `${path.join(dir, 'cast', 'broken.vrm')}: is not binary glTF, not a VRM file (a VRM is binary glTF and starts with "glTF"); give the avatar's .vrm file`,
    );
    for (const a of report.avatars.filter((a) => a.status === 'written')) {
      const own = reportSchema.parse(JSON.parse(await fs.readFile(path.join(dir, 'out', a.report!), 'utf8')));
      expect(own.avatar.trigger).toBe(a.trigger);
      expect(own.summary.written).toBe(2);
      // Each avatar was rendered by the collection's one browser, started for the first.
      expect(own.summary.browserStarted, a.trigger).toBe(true);
      expect(own.renderer?.browserStarted, a.trigger).toBe(true);
      await fs.access(path.join(dir, 'out', a.shown!));
    }
    expect(jsonEvents(String(run.stdout)).filter((e) => e.type === 'browser-start')).toHaveLength(1);
    // One thumbnail per written avatar: two cells of 160 + 2 × 8 px.
    expect(report.contactSheets).toEqual(['contact-sheet.png']);
    const sheet = await sharp(path.join(dir, 'out', 'contact-sheet.png')).metadata();
    expect(sheet.width).toBe(2 * 176);
  });

  it('a list file naming an avatar that is not there fails it alone, saying the file is not found', async () => {
    await fs.writeFile(path.join(dir, 'cast.txt'), 'cast/Hero.vrm\ncast/gone.vrm\n');
    const run = await runCli(['run', 'manifest.json', '--vrm-dir', 'cast.txt', '-o', 'out-list'], {
      cwd: dir,
    });
    expect(run.exitCode, String(run.stderr)).toBe(1);
    const report = collectionReportSchema.parse(
      JSON.parse(await fs.readFile(path.join(dir, 'out-list', 'report.json'), 'utf8')),
    );
    expect(report.avatars.map((a) => [a.trigger, a.status])).toEqual([
      ['hero', 'written'],
      ['gone', 'failed'],
    ]);
    expect(report.avatars[1]!.error).toContain(`${path.join(dir, 'cast', 'gone.vrm')}: VRM file not found`);
    expect(String(run.stderr)).toContain('gone.vrm: VRM file not found');
    expect(String(run.stderr)).not.toContain('invalid manifest');
  });

  it('says no browser rendered an avatar whose items were all in the cache', async () => {
    const again = await runCli(['run', 'manifest.json', '--vrm-dir', 'cast', '-o', 'out', '--json'], {
      cwd: dir,
    });
    expect(again.exitCode, String(again.stderr)).toBe(1);
    for (const name of ['hero', 'old-hero']) {
      const own = reportSchema.parse(
        JSON.parse(await fs.readFile(path.join(dir, 'out', name, 'report.json'), 'utf8')),
      );
      expect(own.summary.stages.render?.cached, name).toBe(2);
      expect([own.summary.browserStarted, own.renderer?.browserStarted], name).toEqual([false, false]);
    }
  });

  it('writes each dataset as a run of the avatars given with --vrm does', async () => {
    // The same output folder (dataset.toml names it), the collection's moved aside first.
    await fs.rename(path.join(dir, 'out'), path.join(dir, 'collection'));
    const alone = await runCli(
      ['run', 'manifest.json', '--vrm', 'cast/Hero.vrm', '--vrm', 'cast/old_hero.vrm', '-o', 'out'],
      { cwd: dir },
    );
    expect(alone.exitCode, String(alone.stderr)).toBe(0);
    const files = async (root: string) =>
      (await fs.readdir(root, { recursive: true, withFileTypes: true }))
        .filter((d) => d.isFile() && d.name !== 'report.json' && !d.parentPath.includes('.vrm-lora-cache'))
        .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
        .sort();
    const a = path.join(dir, 'out', 'old-hero');
    const b = path.join(dir, 'collection', 'old-hero');
    expect(await files(b)).toEqual(await files(a));
    expect((await files(a)).length).toBeGreaterThan(4);
    for (const f of await files(a))
      expect(Buffer.compare(await fs.readFile(path.join(a, f)), await fs.readFile(path.join(b, f))), f).toBe(
        0,
      );
  });
});

describe('run --vrm-dir, as printed', () => {
  it("each avatar's line counts its warnings and points at its report", async () => {
    const manifest = demoManifest();
    // 96 px: not on the 64 px grid trainers bucket by, a warning per entry.
    Object.assign(manifest, { width: 96, height: 96, topFrameOffsetPixels: 8, bottomFrameOffsetPixels: 8 });
    manifest.dataCollection = (manifest.dataCollection as unknown[]).slice(0, 2);
    await fs.writeFile(path.join(dir, 'off-grid.json'), JSON.stringify(manifest));
    await fs.mkdir(path.join(dir, 'one'), { recursive: true });
    await fs.copyFile(path.join(dir, 'cast', 'Hero.vrm'), path.join(dir, 'one', 'Hero.vrm'));
    const run = await runCli(['run', 'off-grid.json', '--vrm-dir', 'one', '-o', 'off-grid'], { cwd: dir });
    expect(run.exitCode, String(run.stderr)).toBe(0);
    const report = reportSchema.parse(
      JSON.parse(await fs.readFile(path.join(dir, 'off-grid', 'hero', 'report.json'), 'utf8')),
    );
    expect(report.summary.warnings).toBeGreaterThan(0);
    expect(String(run.stderr)).toContain(
      `[1/1] hero: 2 written, 0 failed, ${report.summary.warnings} warning(s) (see its report.json) → hero/`,
    );
  });
});
