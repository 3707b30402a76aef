import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import {
  type ManifestWatcher,
  type PreviewServer,
  startPreviewServer,
  type WatchEvent,
  watchManifest,
} from '@vrm-lora/watch';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../packages/renderer/src/find-browser.js';

// `vrm-lora watch`'s preview page in a real Chromium (found the way the renderer finds its browser), on a
// real watcher with a real renderer: editing the manifest file changes the edited entry's image in the page
// and nothing else; bad saves show their error in the page while the last good images stay.

let dir: string;
let manifestFile: string;
let out: string;
let watcher: ManifestWatcher;
let server: PreviewServer;
let browser: Browser;
let page: Page;

const manifest = {
  width: 160,
  height: 160,
  topFrameOffsetPixels: 8,
  bottomFrameOffsetPixels: 8,
  backgroundGrayscale: 0.5,
  backgroundDescription: 'plain grey background',
  dataCollection: [
    ['waving', 'front', 'fullShot', 'a mannequin waving'],
    ['arms-crossed', 'left', 'mediumShot', 'a mannequin with arms crossed'],
    ['kneeling', 'front-right', 'fullShot', 'a mannequin kneeling'],
    ['cheering', 'back', 'cowboyShot', 'a mannequin cheering'],
  ].map(([pose, camera, frame, description]) => ({
    animationPath: `builtin:${pose}`,
    animationFrame: 0,
    lookAtCamera: false,
    cameraPosition: camera,
    cameraFrame: frame,
    description,
  })),
};

/** Saves the manifest the way an editor does: whole (write) or through a temp file and a rename. */
async function save(text: string, how: 'write' | 'rename' = 'write'): Promise<void> {
  if (how === 'write') return fs.writeFile(manifestFile, text);
  const tmp = path.join(dir, '.manifest.json.swp');
  await fs.writeFile(tmp, text);
  await fs.rename(tmp, manifestFile);
}

/**
 * The next cycle with outcome `type`, subscribed before the save that causes it. A good save can be seen half
 * written first (an input error, then a good cycle once the write is complete): waiting for `cycle-end` skips those.
 */
function nextCycle(type: 'cycle-end' | 'cycle-error'): Promise<WatchEvent> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`no ${type} within 30 s of the save; the watcher said: ${seen.join(', ') || 'nothing'}`),
      );
    }, 30_000);
    const off = watcher.subscribe((event) => {
      if (event.type !== 'pipeline') seen.push(event.type);
      if (event.type === type) {
        off();
        clearTimeout(timer);
        resolve(event);
      }
    });
  });
}

/** Each card's image as the page holds it (its decoded pixels, as a PNG data URL), by entry number. */
async function cardImages(): Promise<Map<string, string>> {
  const pixels = await page.$$eval('.card', (cards) =>
    cards.map((card) => {
      const img = card.querySelector('img') as HTMLImageElement;
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      canvas.getContext('2d')?.drawImage(img, 0, 0);
      return [(card as HTMLElement).dataset.number ?? '?', canvas.toDataURL('image/png')] as const;
    }),
  );
  return new Map(pixels);
}

/** Waits until every card's image is the state's and has loaded. */
async function imagesLoaded(): Promise<void> {
  await page.waitForFunction(() => {
    const cards = [...document.querySelectorAll<HTMLElement>('.card')];
    return (
      cards.length > 0 &&
      cards.every((c) => {
        const img = c.querySelector('img') as HTMLImageElement;
        return img.complete && img.naturalWidth > 0 && img.src.endsWith(`?v=${c.dataset.imageSha256}`);
      })
    );
  });
}

const renderedCycles = () =>
  page.$$eval('.card', (cards) => cards.map((c) => (c as HTMLElement).dataset.renderedCycle));

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-watch-page-'));
  manifestFile = path.join(dir, 'manifest.json');
  out = path.join(dir, 'out');
  const vrm = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(vrm, await createMannequinVrm({ specVersion: '1.0' }));
  await save(JSON.stringify(manifest, null, 2));
  watcher = await watchManifest({ manifestFile, vrmPaths: [vrm], outDir: out });
  server = await startPreviewServer({ watcher });
  await watcher.idle();
  expect(watcher.state().last).toMatchObject({ renders: 4, browserStarts: 1, avatarLoads: 1 });
  browser = await chromium.launch({ executablePath: findBrowser({}).executablePath, headless: true });
  page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  await page.goto(server.url);
  await page.locator('.card').nth(3).waitFor();
  await imagesLoaded();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await watcher?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('vrm-lora watch preview page', () => {
  it('shows every entry with its number, jsonPath and caption', async () => {
    const heads = await page.$$eval('.card .head', (hs) => hs.map((h) => h.textContent));
    expect(heads).toEqual([
      '#1dataCollection[0]rendered in cycle 1',
      '#2dataCollection[1]rendered in cycle 1',
      '#3dataCollection[2]rendered in cycle 1',
      '#4dataCollection[3]rendered in cycle 1',
    ]);
    expect(await page.locator('.card').nth(1).locator('.caption').textContent()).toContain(
      'a mannequin with arms crossed',
    );
    expect(await page.locator('#status').textContent()).toContain('cycle 1: 4 rendered');
  });

  it("an edited entry's image changes in the page; no other entry re-renders", async () => {
    const before = await cardImages();
    const files = await fs.readdir(path.join(out, 'img', '10_anata person'));
    const mtimes = new Map(
      await Promise.all(
        files.map(
          async (f) => [f, (await fs.stat(path.join(out, 'img', '10_anata person', f))).mtimeMs] as const,
        ),
      ),
    );
    const edited = structuredClone(manifest);
    edited.dataCollection[1]!.cameraPosition = 'front-left';
    const cycle = nextCycle('cycle-end');
    await save(JSON.stringify(edited, null, 2));
    const end = await cycle;
    expect(end).toMatchObject({ type: 'cycle-end', renders: 1, browserStarts: 0, avatarLoads: 0 });
    const edit = String((end as { cycle: number }).cycle);
    await page.waitForFunction(
      (cycle) => document.body.dataset.cycle === cycle && document.body.dataset.status === 'idle',
      edit,
    );
    await imagesLoaded();
    const after = await cardImages();
    expect(after.get('2') === before.get('2')).toBe(false);
    for (const n of ['1', '3', '4']) expect(after.get(n) === before.get(n), `entry ${n}`).toBe(true);
    expect(await renderedCycles()).toEqual(['1', edit, '1', '1']);
    // On disk too: only entry 2's image was written again.
    for (const [f, mtime] of mtimes) {
      const now = (await fs.stat(path.join(out, 'img', '10_anata person', f))).mtimeMs;
      expect(now !== mtime, f).toBe(f.startsWith('0002-') && f.endsWith('.png'));
    }
    manifest.dataCollection[1]!.cameraPosition = 'front-left';
  });

  it('a bad save shows its error with the jsonPath in the page; the last good images stay; a good save carries on', async () => {
    const before = await cardImages();
    const good = JSON.stringify(manifest, null, 2);

    let cycle = nextCycle('cycle-error');
    await save(good.slice(0, Math.floor(good.length / 2)));
    expect((await cycle).type).toBe('cycle-error');
    await page.waitForFunction(() => document.body.dataset.error === 'true');
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await page.locator('#error').textContent()).toMatch(/invalid JSON at line \d+, column \d+/);

    const unknownKey = structuredClone(manifest) as unknown as { dataCollection: Record<string, unknown>[] };
    unknownKey.dataCollection[2]!.cameraPositon = 'left';
    cycle = nextCycle('cycle-error');
    await save(JSON.stringify(unknownKey, null, 2), 'rename');
    expect((await cycle).type).toBe('cycle-error');
    await page.waitForFunction(() =>
      document.querySelector('#error')?.textContent?.includes('dataCollection[2].cameraPositon'),
    );
    expect(await page.locator('#error-findings').textContent()).toContain(
      'dataCollection[2].cameraPositon unknown key "cameraPositon"; did you mean "cameraPosition"?',
    );

    const missingClip = structuredClone(manifest);
    missingClip.dataCollection[3]!.animationPath = 'missing-clip.fbx';
    cycle = nextCycle('cycle-error');
    await save(JSON.stringify(missingClip, null, 2));
    expect((await cycle).type).toBe('cycle-error');
    await page.waitForFunction(() =>
      document.querySelector('#error')?.textContent?.includes('dataCollection[3].animationPath'),
    );
    expect(await page.locator('#error-findings').textContent()).toContain('animation file not found');
    // Under the findings, the check's hint: how many entries the missing file stops, and the ways on.
    expect(await page.locator('#error-message').textContent()).toMatch(
      /^1 animation file not found, used by 1 of \d+ entries: .* or run the other \d+ with --skip-missing-animations$/,
    );

    // Through all of it the page kept the last good images, as the output folder did.
    await imagesLoaded();
    const during = await cardImages();
    for (const n of ['1', '2', '3', '4']) expect(during.get(n) === before.get(n), `entry ${n}`).toBe(true);
    const cycles = await renderedCycles();
    expect(cycles[1]).not.toBe('1');
    expect([cycles[0], cycles[2], cycles[3]]).toEqual(['1', '1', '1']);

    const fixed = structuredClone(manifest);
    fixed.dataCollection[3]!.cameraPosition = 'back-left';
    cycle = nextCycle('cycle-end');
    await save(JSON.stringify(fixed, null, 2), 'rename');
    expect(await cycle).toMatchObject({ type: 'cycle-end', renders: 1, browserStarts: 0, avatarLoads: 0 });
    await page.waitForFunction(() => document.body.dataset.error === 'false');
    expect(await page.locator('#error').isVisible()).toBe(false);
    await imagesLoaded();
    const last = await cardImages();
    expect(last.get('4') === before.get('4')).toBe(false);
    expect(last.get('1') === before.get('1')).toBe(true);
  });

  it('an image opens at full size with its render meta and the framing margins drawn', async () => {
    await page.locator('.card').nth(0).locator('button.thumb').click();
    await page.locator('#overlay').waitFor({ state: 'visible' });
    const size = await page.$eval('#full', (img) => [
      (img as HTMLImageElement).width,
      (img as HTMLImageElement).naturalWidth,
    ]);
    expect(size).toEqual([160, 160]);
    const lines = await page.$$eval('#lines [data-line]', (ls) =>
      ls.map((l) => [l.getAttribute('data-line'), l.getAttribute('y1') ?? l.getAttribute('y')]),
    );
    expect(lines).toEqual([
      ['bounds', expect.any(String)],
      ['top-margin', '8'],
      ['bottom-margin', '152'],
    ]);
    const meta = await page.locator('#meta').textContent();
    expect(meta).toContain('framefullShot');
    expect(meta).toContain('expression(neutral) → (none applied)');
    expect(meta).toMatch(/render: totalMs\d+ ms/);
    // Counts are not timings: no unit on them.
    expect(meta).toMatch(/render: draws\d+(render|stage)/);
    expect(meta).toMatch(/camera position \(world\)-?\d/);
    await page.keyboard.press('Escape');
    expect(await page.locator('#overlay').isVisible()).toBe(false);
  });
});
