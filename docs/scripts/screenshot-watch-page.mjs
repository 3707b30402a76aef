// Regenerates docs/watch-preview.png and docs/watch-detail.png: the demo's inputs under `vrm-lora watch`,
// one entry edited so the page shows a second cycle, captured in headless Chromium found the way the
// renderer finds its browser. `pnpm build` first, then `node docs/scripts/screenshot-watch-page.mjs`.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareDemo } from '@vrm-lora/pipeline';
import { startPreviewServer, watchManifest } from '@vrm-lora/watch';
import { chromium } from 'playwright-core';
import { findBrowser } from '../../packages/renderer/dist/facts.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-watch-shot-'));
const { manifestFile, vrmFile } = await prepareDemo(dir);
const cycleEnd = (watcher) =>
  new Promise((resolve) => {
    const off = watcher.subscribe((event) => {
      if (event.type === 'cycle-end') {
        off();
        resolve(event);
      }
    });
  });
const watcher = await watchManifest({ manifestFile, vrmPaths: [vrmFile], outDir: path.join(dir, 'out') });
const server = await startPreviewServer({ watcher });
await watcher.idle();
const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8'));
manifest.dataCollection[2].cameraPosition = 'front-right';
const edited = cycleEnd(watcher);
await fs.writeFile(manifestFile, JSON.stringify(manifest, null, 2));
await edited;
const browser = await chromium.launch({ executablePath: findBrowser({}).executablePath });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(server.url);
  await page.waitForFunction(
    () => document.body.dataset.cycle === '2' && document.body.dataset.status === 'idle',
  );
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.card img')].every((img) => img.complete && img.naturalWidth > 0),
  );
  await page.screenshot({ path: path.join(docs, 'watch-preview.png') });
  await page.locator('.card').nth(1).locator('button.thumb').click();
  await page.locator('#full').evaluate((img) => img.decode());
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.screenshot({ path: path.join(docs, 'watch-detail.png') });
} finally {
  await browser.close();
  await server.close();
  await watcher.close();
  await fs.rm(dir, { recursive: true, force: true });
}
