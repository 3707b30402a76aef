import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@vrm-lora/manifest';
import { canonicalJson } from '@vrm-lora/manifest/hash';
import {
  DEFAULT_RENDER_PARAMETERS,
  findBrowser,
  GL_BACKENDS,
  pageLibraryVersions,
  probeGpu,
  RENDERER_VERSION,
  RenderError,
  readPageBundle,
} from '@vrm-lora/renderer/facts';
import { execa } from 'execa';
import { PipelineInputError } from './pipeline-error.js';
import { resolveAutoGlBackend } from './resolve-auto-gl-backend.js';
import type { RenderRuntime } from './stages.js';

/**
 * The renderer's runtime facts without launching it: the page bundle's hash and the versions of the libraries
 * inside it, the browser's version from `--version` (memoised per executable size and time in the cache).
 */
export async function resolveRenderRuntime(
  browser: { executablePath?: string; glBackend?: string } | undefined,
  cacheRoot: string,
): Promise<RenderRuntime> {
  const requested = browser?.glBackend ?? 'auto';
  if (!(GL_BACKENDS as readonly string[]).includes(requested)) {
    throw new PipelineInputError(`unknown GL backend "${requested}": use one of ${GL_BACKENDS.join(', ')}`);
  }
  let found: ReturnType<typeof findBrowser>;
  try {
    found = findBrowser(browser?.executablePath ? { executablePath: browser.executablePath } : {});
  } catch (error) {
    // No browser is a set-up problem the user fixes before anything can render.
    if (error instanceof RenderError && error.code === 'browser-not-found')
      throw new PipelineInputError(error.message);
    throw error;
  }
  const libraries = pageLibraryVersions();
  const gl =
    requested === 'auto'
      ? await resolveAutoGlBackend(found.executablePath, probeGpu(), cacheRoot)
      : { glBackend: requested, glDevice: '', glBackendReason: 'requested' };
  return {
    rendererVersion: RENDERER_VERSION,
    renderParameters: canonicalJson(DEFAULT_RENDER_PARAMETERS),
    pageBundleSha256: readPageBundle().sha256,
    threeVersion: libraries.three,
    threeVrmVersion: libraries.threeVrm,
    chromiumVersion: await browserVersion(found.executablePath, cacheRoot),
    ...gl,
  };
}

/**
 * The browser options a renderer kept across runs (`vrm-lora watch`, a collection, a farm worker) starts with:
 * `auto` resolved to the backend runs name in their cache keys (memoised in `<cacheRoot>/runtime`), and why.
 * Throws `PipelineInputError` when there is no browser or the backend is unknown.
 */
export async function resolveRendererBrowser(
  browser: { executablePath?: string; glBackend?: string } | undefined,
  cacheRoot: string,
): Promise<{ browser: { executablePath?: string; glBackend: string }; glBackendReason: string }> {
  const runtime = await resolveRenderRuntime(browser, cacheRoot);
  return {
    browser: { ...browser, glBackend: runtime.glBackend },
    glBackendReason: runtime.glBackendReason,
  };
}

async function browserVersion(executablePath: string, cacheRoot: string): Promise<string> {
  const stat = await fs.stat(executablePath);
  const memoFile = path.join(cacheRoot, 'runtime', 'browser-versions.json');
  const id = `${executablePath}|${stat.size}|${stat.mtimeMs}`;
  let memo: Record<string, string> = {};
  try {
    memo = JSON.parse(await fs.readFile(memoFile, 'utf8'));
  } catch {}
  if (memo[id]) return memo[id];
  const { stdout } = await execa(executablePath, ['--version'], { timeout: 20_000 });
  const version = stdout.trim();
  memo[id] = version;
  await writeFileAtomic(memoFile, JSON.stringify(memo, null, 2));
  return version;
}
