import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@vrm-lora/manifest';
import { chooseGlBackend, type GpuProbe } from '@vrm-lora/renderer/facts';
import type { RenderRuntime } from './stages.js';

/** The GL facts of the render key (and why that backend). */
export type GlBackendFacts = Pick<RenderRuntime, 'glBackend' | 'glDevice' | 'glBackendReason'>;

/**
 * What `auto` renders with on this machine, before any shot (the cache key names it): SwiftShader at once
 * where the machine shows no GPU device; where it shows one, the GPU backend only when WebGL starts on it
 * with a hardware renderer (checked by starting the renderer once, then memoised per browser and devices in
 * the cache's `runtime/gl-backends.json`), else SwiftShader.
 */
export async function resolveAutoGlBackend(
  executablePath: string,
  probe: GpuProbe,
  cacheRoot: string,
): Promise<GlBackendFacts> {
  const choice = chooseGlBackend(probe);
  if (choice.backend === 'swiftshader') {
    return { glBackend: 'swiftshader', glDevice: '', glBackendReason: `auto: ${choice.reason}` };
  }
  const stat = await fs.stat(executablePath);
  const memoFile = path.join(cacheRoot, 'runtime', 'gl-backends.json');
  const id = [
    executablePath,
    stat.size,
    stat.mtimeMs,
    probe.platform,
    ...probe.renderNodes,
    probe.nvidiaDevice,
  ]
    .map(String)
    .join('|');
  let memo: Record<string, GlBackendFacts> = {};
  try {
    memo = JSON.parse(await fs.readFile(memoFile, 'utf8'));
  } catch {}
  const known = memo[id];
  if (known) return known;
  const { createRenderer } = await import('@vrm-lora/renderer');
  const renderer = await createRenderer({
    browser: { executablePath, glBackend: 'auto', gpuProbe: probe },
    pages: 1,
  });
  let facts: GlBackendFacts;
  try {
    const runtime = await renderer.runtimeFacts();
    facts = {
      glBackend: runtime.glBackend,
      glDevice: runtime.glBackend === 'swiftshader' ? '' : runtime.glRenderer,
      glBackendReason: runtime.glBackendReason,
    };
  } finally {
    await renderer.close();
  }
  memo[id] = facts;
  await writeFileAtomic(memoFile, JSON.stringify(memo, null, 2));
  return facts;
}
