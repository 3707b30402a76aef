import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CAMERA_FRAMES, computeEntryId, SDXL_BUCKET_SIZES, SIZE_PRESETS } from '../src/index.js';
import { baseEntry, findingLines, loadContent, makeTempDir, withTop } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const lines = (content: unknown) => findingLines(dir, content);
const entry = (changes: Record<string, unknown>) => ({ ...baseEntry(), ...changes });
/** A manifest without the fixture's top-level width/height. */
const sized = (top: Record<string, unknown>, entries: Record<string, unknown>[]) =>
  withTop({ width: undefined, height: undefined, ...top, dataCollection: entries });

describe('size presets', () => {
  it('every preset size is a bucket its trainer keeps as is (multiples of 64, at most the model’s area)', () => {
    for (const [name, frames] of Object.entries(SIZE_PRESETS)) {
      const area = name === 'sd15' ? 512 * 512 : 1024 * 1024;
      for (const frame of CAMERA_FRAMES) {
        const { width, height } = frames[frame];
        expect(width % 64, `${name} ${frame}`).toBe(0);
        expect(height % 64, `${name} ${frame}`).toBe(0);
        expect(width * height, `${name} ${frame}`).toBeLessThanOrEqual(area);
        if (name !== 'sd15') expect(SDXL_BUCKET_SIZES).toContainEqual({ width, height });
      }
      // Full shots portrait, close-ups square.
      expect(frames.fullShot.height).toBeGreaterThan(frames.fullShot.width);
      expect(frames.closeUp.height).toBe(frames.closeUp.width);
    }
    expect(SDXL_BUCKET_SIZES).toContainEqual({ width: 832, height: 1216 });
    expect(SDXL_BUCKET_SIZES).toContainEqual({ width: 1216, height: 832 });
  });

  it('a top-level preset sizes each entry by its frame', async () => {
    const { plan, findings } = await loadContent(
      dir,
      sized({ size: 'sdxl' }, [
        entry({ cameraFrame: 'fullShot' }),
        entry({ cameraFrame: 'cowboyShot', description: 'b' }),
        entry({ cameraFrame: 'closeUp', description: 'c' }),
      ]),
    );
    expect(findings).toEqual([]);
    expect(plan?.shots.map((s) => [s.width, s.height])).toEqual([
      [832, 1216],
      [896, 1152],
      [1024, 1024],
    ]);
    const sd15 = await loadContent(dir, sized({ size: 'sd15' }, [entry({})]));
    expect(sd15.plan?.shots.map((s) => [s.width, s.height])).toEqual([[448, 576]]);
  });

  it('an exact size; the most specific field wins, side by side', async () => {
    const { plan, findings } = await loadContent(
      dir,
      sized({ size: 'flux' }, [
        entry({ size: '1216x832' }),
        entry({ width: 640, description: 'b' }),
        entry({ size: 'sd15', cameraFrame: 'closeUp', description: 'c' }),
      ]),
    );
    expect(findings).toEqual([]);
    expect(plan?.shots.map((s) => [s.width, s.height])).toEqual([
      [1216, 832],
      [640, 1216],
      [512, 512],
    ]);
    const top = await loadContent(dir, withTop({ dataCollection: [entry({ size: '832x1216' })] }));
    expect(top.plan?.shots.map((s) => [s.width, s.height])).toEqual([[832, 1216]]);
  });

  it('an entry without size keeps its old id', () => {
    expect(computeEntryId(entry({}) as never)).not.toBe(computeEntryId(entry({ size: 'sdxl' }) as never));
    expect(computeEntryId(entry({}) as never)).toBe(
      computeEntryId({ ...entry({}), size: undefined } as never),
    );
  });

  it('refuses bad sizes and size with width/height, naming the fix', async () => {
    expect(
      await lines(
        sized({ size: 'sdxl', width: 1024 }, [
          entry({ size: 'SDXL' }),
          entry({ size: '9000x100', description: 'b' }),
          entry({ size: '832x1216', height: 1200, description: 'c' }),
        ]),
      ),
    ).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].size: must be a model preset ("sd15", "sdxl", "flux") or "<width>x<height>" such as "832x1216", got "SDXL"",
        "error dataCollection[1].size: each side must be at most 8192 pixels (the largest canvas every WebGL backend renders) (got "9000x100")",
        "error size: give either "size" ("sdxl") or "width", not both",
        "error dataCollection[2].size: give either "size" ("832x1216") or "height", not both",
      ]
    `);
  });

  it('checks the margins against each frame’s preset height', async () => {
    expect(
      await lines(
        sized({ size: 'sd15', topFrameOffsetPixels: 260, bottomFrameOffsetPixels: 260 }, [
          entry({ cameraFrame: 'fullShot' }),
          entry({ cameraFrame: 'closeUp', description: 'b' }),
        ]),
      ),
    ).toMatchInlineSnapshot(`
      [
        "error dataCollection[1].cameraFrame: topFrameOffsetPixels (260) + bottomFrameOffsetPixels (260) must be smaller than height (512), or nothing is left for the avatar",
      ]
    `);
  });
});
