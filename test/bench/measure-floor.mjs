// The floor of `pnpm bench`: the same shots in one bare page, the pose already applied, timing only the
// draw and the pixel read-back (the renderer's bench bundle, page-bench.js: its `benchDraw` hook). Also compares ways of
// reading pixels out (raw readPixels, toDataURL, toBlob, a CDP screenshot) and times the fixed costs
// (browser launch, page start, avatar load, first render with shader compilation).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  BASE_BROWSER_FLAGS,
  createRenderer,
  DEFAULT_RENDER_PARAMETERS,
  findBrowser,
  glBackendFlags,
  PAGE_BUNDLE_PATH as PAGE_PATH,
  readPageBundle,
  startPageServer,
  validateRequest,
} from '../../packages/renderer/dist/index.js';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Reads the shots of a finished run back from its cache (baked pose + render meta per entry), so the floor
 * draws exactly what the pipeline drew.
 */
export function readShotsFromRun(reportFile, cacheDir) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const itemDir = (stage, key) => path.join(cacheDir, stage, key.slice(0, 2), key);
  return report.entries
    .filter((e) => e.stages.render?.key && e.stages.bake?.key)
    .map((e) => {
      const pose = JSON.parse(
        fs.readFileSync(path.join(itemDir('bake', e.stages.bake.key), 'pose.json'), 'utf8'),
      );
      const meta = JSON.parse(
        fs.readFileSync(path.join(itemDir('render', e.stages.render.key), 'meta.json'), 'utf8'),
      );
      return { number: e.number, pose, meta };
    });
}

export function shotRequest(shot, avatarKey, avatarBytes) {
  const { meta, pose } = shot;
  return {
    avatar: { key: avatarKey, bytes: avatarBytes },
    pose,
    expression: meta.expression.requested,
    lookAtCamera: meta.lookAt.mode === 'camera',
    camera: {
      position: meta.request.cameraPosition,
      frame: meta.request.frame,
      localOffset: meta.request.localOffset,
    },
    width: meta.width,
    height: meta.height,
    topFrameOffsetPixels: meta.request.topFrameOffsetPixels,
    bottomFrameOffsetPixels: meta.request.bottomFrameOffsetPixels,
  };
}

/**
 * The renderer's own API on one page: every shot once with one request in flight (what the pipeline does
 * with --pages 1), then again with two in flight (the page can draw the next shot while Node encodes the
 * last one's PNG). The first shot is rendered before timing (browser start, avatar load, shader compile).
 */
export async function measureRendererLoop({ avatarFile, shots }) {
  const avatarBytes = fs.readFileSync(avatarFile);
  const requests = shots.map((s) => shotRequest(s, 'bench', avatarBytes));
  let t = performance.now();
  const renderer = await createRenderer({ pages: 1 });
  const startMs = performance.now() - t;
  try {
    // prepare (when this renderer has it): the avatar loaded, shaders compiled, textures uploaded.
    t = performance.now();
    if (typeof renderer.prepare === 'function') await renderer.prepare(requests[0].avatar);
    const prepareMs = typeof renderer.prepare === 'function' ? performance.now() - t : null;
    t = performance.now();
    await renderer.renderShot(requests[0]);
    const firstShotMs = performance.now() - t;
    t = performance.now();
    for (const request of requests) await renderer.renderShot(request);
    const sequentialMs = performance.now() - t;
    t = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) await renderer.renderShot(requests[next++]);
    };
    await Promise.all([worker(), worker()]);
    const twoInFlightMs = performance.now() - t;
    return { shots: requests.length, startMs, prepareMs, firstShotMs, sequentialMs, twoInFlightMs };
  } finally {
    await renderer.close();
  }
}

/** Times the floor for `shots` on `avatarFile`; the first `readbackShots` of them also compare read-back methods. */
export async function measureFloor({ avatarFile, shots, repeats = 3, readbackShots = 0 }) {
  const found = findBrowser({});
  // The bench's own bundle: the shipped page plus its `benchDraw` hook (packages/renderer/src/page/bench-main.ts).
  const bundle = readPageBundle(PAGE_PATH.replace(/page\.js$/, 'page-bench.js'));
  const avatarBytes = fs.readFileSync(avatarFile);
  const fixed = {};
  // Served the way the renderer serves its pages: the loopback server, bytes with no base64.
  const server = await startPageServer({ script: bundle.script });
  server.setAvatar('bench', avatarBytes);
  let t = performance.now();
  const browser = await chromium.launch({
    executablePath: found.executablePath,
    headless: true,
    args: [...BASE_BROWSER_FLAGS, ...glBackendFlags('swiftshader')],
  });
  fixed.launchMs = performance.now() - t;
  try {
    const width = shots[0]?.meta.width ?? 1024;
    const height = shots[0]?.meta.height ?? 1024;
    // Viewport as big as the shot so a CDP screenshot can see the whole canvas.
    const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
    t = performance.now();
    const page = await context.newPage();
    await page.goto(server.pageUrl);
    await page.waitForFunction(() => 'vrmLora' in window);
    const init = await page.evaluate(() => window.vrmLora.init());
    if (!init.ok) throw new Error(`WebGL did not start: ${init.message}`);
    fixed.pageStartMs = performance.now() - t;
    t = performance.now();
    const loaded = await page.evaluate(
      (url) => window.vrmLora.loadAvatar('bench', url),
      server.avatarUrl('bench'),
    );
    if (!loaded.ok) throw new Error(`avatar did not load: ${loaded.message}`);
    fixed.avatarLoadMs = performance.now() - t;
    fixed.avatarLoadInPageMs = loaded.avatar.loadMs;

    const perShot = [];
    const readback = { readPixels: [], toDataURL: [], toBlob: [], cdpScreenshot: [], renderOnly: [] };
    const bytes = {};
    for (const [index, shot] of shots.entries()) {
      const input = validateRequest(shotRequest(shot, 'bench', avatarBytes), DEFAULT_RENDER_PARAMETERS);
      // Poses, framing and the renderer's own read-back: untimed set-up (the first one compiles shaders).
      t = performance.now();
      const set = await page.evaluate(async (i) => {
        const r = await window.vrmLora.renderShot(i);
        return r.ok ? { ok: true } : r;
      }, input);
      if (!set.ok) throw new Error(`shot ${shot.number}: ${set.message}`);
      if (index === 0) fixed.firstShotMs = performance.now() - t;
      const draw = await page.evaluate(([n]) => window.vrmLora.benchDraw('readPixels', n), [repeats]);
      if (!draw.ok) throw new Error(draw.message);
      perShot.push({ number: shot.number, floorMs: median(draw.ms) });
      bytes.readPixels = draw.bytes;
      // Every method on the same shots (the first `readbackShots`), so their figures compare.
      if (index < readbackShots) {
        readback.readPixels.push(median(draw.ms));
        for (const method of ['toDataURL', 'toBlob', 'render']) {
          const r = await page.evaluate(([m, n]) => window.vrmLora.benchDraw(m, n), [method, repeats]);
          if (!r.ok) throw new Error(r.message);
          readback[method === 'render' ? 'renderOnly' : method].push(median(r.ms));
          bytes[method] = r.bytes;
        }
        const shotsMs = [];
        for (let i = 0; i < repeats; i++) {
          const s = performance.now();
          await page.evaluate(() => window.vrmLora.benchDraw('render', 1));
          const png = await page.screenshot({ clip: { x: 0, y: 0, width, height }, omitBackground: true });
          shotsMs.push(performance.now() - s);
          bytes.cdpScreenshot = png.length;
        }
        readback.cdpScreenshot.push(median(shotsMs));
      }
    }
    await context.close();
    return {
      chromiumVersion: browser.version(),
      glRenderer: init.glRenderer,
      glVendor: init.glVendor,
      threeVersion: init.threeVersion,
      threeVrmVersion: init.threeVrmVersion,
      browserPath: found.executablePath,
      fixed,
      perShot,
      floorMs: perShot.reduce((n, s) => n + s.floorMs, 0),
      readback: Object.fromEntries(
        Object.entries(readback).map(([k, v]) => [
          k,
          { medianMs: v.length ? median(v) : null, shots: v.length },
        ]),
      ),
      readbackBytes: bytes,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
