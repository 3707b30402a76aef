import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';

// Model-sized shots: the `size` presets (SD 1.5, SDXL/Flux buckets per camera frame) and exact bucket sizes,
// rendered by the built CLI, with the framing measured on the final pixels: a fullShot's top and bottom
// margins, a partial shot's top margin, within ±2 px at every size.

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-sizes-'));
  await fs.writeFile(path.join(dir, 'mannequin.vrm'), await createMannequinVrm({ specVersion: '1.0' }));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const shot = (pose: string, frame: string, extra: Record<string, unknown> = {}) => ({
  animationPath: `builtin:${pose}`,
  cameraPosition: 'front',
  cameraFrame: frame,
  description: `a mannequin ${pose} ${frame}`,
  ...extra,
});

describe('vrm-lora run: model-sized shots', () => {
  it('an SDXL run: 832×1216 full shots with top and bottom margins within ±2 px, square close-ups, exact buckets', async () => {
    const manifest = {
      size: 'sdxl',
      topFrameOffsetPixels: 64,
      bottomFrameOffsetPixels: 64,
      backgroundGrayscale: 1,
      dataCollection: [
        shot('standing-relaxed', 'fullShot'),
        shot('cheering', 'fullShot', { cameraPosition: 'front-left' }),
        shot('kneeling', 'fullShot', { cameraPosition: 'left' }),
        shot('waving', 'cowboyShot'),
        shot('arms-crossed', 'closeUp'),
        shot('standing-relaxed', 'fullShot', { size: '1216x832', description: 'landscape' }),
        shot('standing-relaxed', 'fullShot', { size: 'sd15', description: 'sd15' }),
      ],
    };
    const file = path.join(dir, 'sdxl.json');
    await fs.writeFile(file, JSON.stringify(manifest, null, 2));
    const out = path.join(dir, 'out-sdxl');
    const result = await runCli(['run', file, '--vrm', path.join(dir, 'mannequin.vrm'), '--out', out]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    const sizes: [number, number][] = [];
    for (const e of report.entries) {
      const meta = await sharp(path.join(out, e.output.image)).metadata();
      sizes.push([meta.width!, meta.height!]);
      expect(e.warnings, e.jsonPath).toEqual([]);
    }
    expect(sizes).toEqual([
      [832, 1216],
      [832, 1216],
      [832, 1216],
      [896, 1152],
      [1024, 1024],
      [1216, 832],
      [448, 576],
    ]);
    const measured = report.entries.map((e: { measured: Record<string, number> }) => e.measured);
    for (const i of [0, 1, 2, 5, 6]) {
      expect(Math.abs(measured[i].topPx - 64), `entry ${i + 1} top ${measured[i].topPx}`).toBeLessThanOrEqual(
        2,
      );
      expect(
        Math.abs(measured[i].bottomPx - 64),
        `entry ${i + 1} bottom ${measured[i].bottomPx}`,
      ).toBeLessThanOrEqual(2);
    }
    for (const i of [3, 4])
      expect(Math.abs(measured[i].topPx - 64), `entry ${i + 1} top`).toBeLessThanOrEqual(2);
  }, 300_000);
});
