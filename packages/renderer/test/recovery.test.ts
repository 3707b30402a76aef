// A browser that dies is relaunched; a shot in flight when it dies is retried once.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRenderer, type Renderer, renderShot } from '../src/index.js';
import { buildPageBundle, loadTestAvatar, makeRequest, type TestAvatar } from './support/render-test-kit.js';

let renderer: Renderer;
let avatar: TestAvatar | null;
const logs: string[] = [];

beforeAll(async () => {
  buildPageBundle();
  avatar = await loadTestAvatar('1.0');
  renderer = await createRenderer({ pages: 1, onLog: (line) => logs.push(line) });
});
afterAll(async () => {
  await renderer?.close();
});

/** Pids of the Chromium processes this test process started (direct children only). */
function ourBrowserPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, comm]) => comm !== undefined && /chrom/i.test(comm))
    .map(([pid]) => Number(pid));
}

test('a killed browser is relaunched and the next shots render the same pixels', async (context) => {
  if (!avatar) return context.skip();
  const before = await renderer.renderShot(makeRequest(avatar));
  const pids = ourBrowserPids();
  expect(pids.length).toBe(1);
  process.kill(pids[0]!, 'SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = await renderer.renderShot(makeRequest(avatar));
  expect(after.png.equals(before.png)).toBe(true);
  expect(logs.some((line) => line.startsWith('browser disconnected'))).toBe(true);
  // Killed while a shot is in flight: retried once on a relaunched browser.
  const inFlight = renderer.renderShot(makeRequest(avatar, { width: 512, height: 512 }));
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const pid of ourBrowserPids()) process.kill(pid, 'SIGKILL');
  const retried = await inFlight;
  expect(retried.meta.width).toBe(512);
  expect(logs.some((line) => line.includes('retrying the shot once'))).toBe(true);
});

test('an aborted shot rejects with code "aborted" and the renderer keeps working', async (context) => {
  if (!avatar) return context.skip();
  const controller = new AbortController();
  controller.abort();
  await expect(renderer.renderShot(makeRequest(avatar), { signal: controller.signal })).rejects.toMatchObject(
    {
      code: 'aborted',
    },
  );
  const inFlight = new AbortController();
  const pending = renderer.renderShot(makeRequest(avatar, { width: 512, height: 512 }), {
    signal: inFlight.signal,
  });
  setTimeout(() => inFlight.abort(), 20);
  await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  const after = await renderer.renderShot(makeRequest(avatar));
  expect(after.meta.bounds.top).toBe(0);
});

test('WebGL that does not start is an error naming the GL flags and how to pick a backend', async () => {
  buildPageBundle();
  const failing = createRenderer({
    pages: 1,
    browser: { extraArgs: ['--disable-webgl', '--disable-3d-apis'] },
  });
  await expect(failing).rejects.toMatchObject({ code: 'webgl-unavailable' });
  await expect(failing).rejects.toThrow(
    'with GL backend "swiftshader" (flags: --use-angle=swiftshader --enable-unsafe-swiftshader)',
  );
  await expect(failing).rejects.toThrow(
    'Pick another backend with the glBackend option (--gl-backend): auto (default: the GPU if there is one, else swiftshader), swiftshader (CPU), angle-default, angle-gl, angle-vulkan or egl',
  );
});

test('renderShot on its own launches, renders and closes', async (context) => {
  if (!avatar) return context.skip();
  const result = await renderShot(
    makeRequest(avatar, { topFrameOffsetPixels: 10, bottomFrameOffsetPixels: 10 }),
  );
  expect(result.meta.bounds.top).toBe(10);
  expect(result.meta.bounds.bottom).toBe(245);
});
