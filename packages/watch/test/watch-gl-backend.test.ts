import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { OUTPUT_LOCK_FILE, PipelineInputError } from '@vrm-lora/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchManifest } from '../src/watch-manifest.js';

// The watcher's renderer starts with the GL backend `run` would name in its cache keys: `auto` resolved once
// (here, no GPU device: SwiftShader, and the report says why), an unknown backend refused before anything.

let dir: string;
let vrm: string;
let manifestFile: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-watch-gl-'));
  vrm = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(vrm, await createMannequinVrm({ specVersion: '1.0' }));
  manifestFile = path.join(dir, 'manifest.json');
  await fs.writeFile(
    manifestFile,
    JSON.stringify({
      width: 64,
      height: 64,
      topFrameOffsetPixels: 4,
      bottomFrameOffsetPixels: 4,
      dataCollection: [{ animationPath: 'builtin:waving', description: 'a mannequin waving' }],
    }),
  );
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('watch: GL backend', () => {
  it('an unknown backend is refused at start, naming the backends, and the output folder is left unlocked', async () => {
    const outDir = path.join(dir, 'out-bad');
    const started = watchManifest({ manifestFile, vrmPaths: [vrm], outDir, browser: { glBackend: 'nope' } });
    await expect(started).rejects.toBeInstanceOf(PipelineInputError);
    await expect(started).rejects.toThrow(/unknown GL backend "nope": use one of .*swiftshader/);
    await expect(fs.access(path.join(outDir, OUTPUT_LOCK_FILE))).rejects.toThrow(/ENOENT/);
  });

  it('auto is resolved as run resolves it: report.json names SwiftShader and why', async () => {
    const outDir = path.join(dir, 'out-auto');
    const watcher = await watchManifest({ manifestFile, vrmPaths: [vrm], outDir });
    try {
      await watcher.idle();
      expect(watcher.state().error).toBeNull();
      expect(watcher.state().last).toMatchObject({ renders: 1 });
      const report = JSON.parse(await fs.readFile(path.join(outDir, 'report.json'), 'utf8'));
      expect(report.renderer.glBackend).toBe('swiftshader');
      expect(report.renderer.glBackendReason).toMatch(/^auto: no GPU device/);
      expect(report.renderer.glRenderer).toMatch(/SwiftShader/);
    } finally {
      await watcher.close();
    }
  });
});
