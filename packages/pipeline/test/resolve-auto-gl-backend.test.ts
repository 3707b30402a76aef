// `auto` resolved before any shot, for the cache key: SwiftShader at once without a GPU device; with one,
// the GPU is checked in a real browser once and the outcome memoised in the cache.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { findBrowser } from '@vrm-lora/renderer/facts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveAutoGlBackend } from '../src/resolve-auto-gl-backend.js';

let cacheRoot: string;
beforeAll(async () => {
  cacheRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-gl-'));
});
afterAll(async () => {
  await fs.rm(cacheRoot, { recursive: true, force: true });
});

describe('resolveAutoGlBackend', () => {
  test('no GPU device: swiftshader, no browser, nothing memoised', async () => {
    const executable = findBrowser({}).executablePath;
    const gl = await resolveAutoGlBackend(
      executable,
      { platform: 'linux', renderNodes: [], nvidiaDevice: false },
      cacheRoot,
    );
    expect(gl).toEqual({
      glBackend: 'swiftshader',
      glDevice: '',
      glBackendReason: 'auto: no GPU device (/dev/dri/renderD*, /dev/nvidia0)',
    });
    await expect(fs.access(path.join(cacheRoot, 'runtime', 'gl-backends.json'))).rejects.toThrow();
  });

  test('a GPU device that gives no hardware WebGL: checked once, swiftshader, memoised', async () => {
    const executable = findBrowser({}).executablePath;
    const probe = { platform: 'linux' as const, renderNodes: ['/dev/dri/renderD128'], nvidiaDevice: false };
    const first = await resolveAutoGlBackend(executable, probe, cacheRoot);
    expect(first.glBackend).toBe('swiftshader');
    expect(first.glDevice).toBe('');
    expect(first.glBackendReason).toMatch(/angle-vulkan gave .+, fell back to swiftshader$/);
    const memo = JSON.parse(await fs.readFile(path.join(cacheRoot, 'runtime', 'gl-backends.json'), 'utf8'));
    expect(Object.values(memo)).toEqual([first]);
    // The memo answers the next run, with no browser: a marked entry comes back as written.
    const [id] = Object.keys(memo);
    const marked = { ...first, glBackendReason: 'from the memo' };
    await fs.writeFile(
      path.join(cacheRoot, 'runtime', 'gl-backends.json'),
      JSON.stringify({ [id!]: marked }),
    );
    expect(await resolveAutoGlBackend(executable, probe, cacheRoot)).toEqual(marked);
  });
});
