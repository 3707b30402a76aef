// Flat textured cards (the VRM 1.0 feature sample "VRMC_vrm_expressions_isBinary_Overrides": a card and
// alpha-masked label quads parented to the head) seen at grazing angles: the rendered alpha differs from
// the projected geometry by several pixels (transparent texels, antialiasing of a sliver), so one alpha
// correction is not enough; and a sideways cameraLocalOffset larger than the subject pushed it out of the
// image (top 212 px instead of 20, cut at the left edge). Both were seen on the CharacterStudio example.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedAssetsDir } from '../../../test/support/shared-assets.js';
import { createRenderer, type Renderer } from '../src/index.js';
import {
  A_POSE,
  alphaBounds,
  axisAngle,
  buildPageBundle,
  decodePng,
  makePose,
  makeRequest,
} from './support/render-test-kit.js';

const assets = sharedAssetsDir();
const file = assets ? path.join(assets, 'vrm', 'VRMC_vrm_expressions_isBinary_Overrides.vrm') : null;
const present = !!file && fs.existsSync(file);
if (!present) process.stderr.write('\n!!! shared card VRM absent: card framing tests are SKIPPED\n\n');

const SIZE = 320;
const MARGIN = 20;
// The card follows the head: a turned, tilted head shows it obliquely to side cameras.
const HEAD_TURNED = makePose({
  ...A_POSE,
  head: axisAngle([0, 1, 0], 35),
  neck: axisAngle([1, 0, 0], 20),
});

let renderer: Renderer;
beforeAll(async () => {
  if (!present) return;
  buildPageBundle();
  renderer = await createRenderer({ pages: 1 });
});
afterAll(async () => {
  await renderer?.close();
});

describe.skipIf(!present)('a flat textured card', () => {
  const avatar = () => ({ name: 'card', key: 'card', bytes: fs.readFileSync(file!) });

  test('grazing side views land on the offsets (±2 px) from the alpha, in height and width mode', async () => {
    const cameras: Array<[number, number, number]> = [
      [-1, 0, 0],
      [1, 0, 0],
      [-1, 0.4, 0.2],
      [1, 0.3, -0.3],
      [-0.3, 0, -1],
    ];
    const modes = new Set<string>();
    for (const position of cameras) {
      const result = await renderer.renderShot(
        makeRequest(avatar(), {
          pose: HEAD_TURNED,
          camera: { position, frame: 'fullShot', localOffset: [0, 0, 0] },
          width: SIZE,
          height: SIZE,
          topFrameOffsetPixels: MARGIN,
          bottomFrameOffsetPixels: MARGIN,
        }),
      );
      const measured = alphaBounds(await decodePng(result.png));
      const label = `camera ${position.join(',')} ${result.meta.framing.mode}`;
      expect(measured, label).not.toBeNull();
      modes.add(result.meta.framing.mode);
      if (result.meta.framing.mode === 'width') {
        expect(Math.abs(measured!.left - MARGIN), `${label} left ${measured!.left}`).toBeLessThanOrEqual(2);
        expect(
          Math.abs(SIZE - 1 - measured!.right - MARGIN),
          `${label} right ${measured!.right}`,
        ).toBeLessThanOrEqual(2);
      } else {
        expect(Math.abs(measured!.top - MARGIN), `${label} top ${measured!.top}`).toBeLessThanOrEqual(2);
        expect(
          Math.abs(SIZE - 1 - measured!.bottom - MARGIN),
          `${label} bottom ${measured!.bottom}`,
        ).toBeLessThanOrEqual(2);
      }
      expect(result.meta.bounds, label).toEqual(measured);
    }
  });

  test('a sideways cameraLocalOffset is applied exactly; a subject it pushes past an edge is cut and said so', async () => {
    const base = makeRequest(avatar(), {
      pose: HEAD_TURNED,
      camera: { position: [1, 0, 0.3], frame: 'fullShot', localOffset: [0, 0, 0] },
      width: SIZE,
      height: SIZE,
      topFrameOffsetPixels: MARGIN,
      bottomFrameOffsetPixels: MARGIN,
    });
    const framed = await renderer.renderShot(base);
    const shifted = await renderer.renderShot({
      ...base,
      camera: { ...base.camera, localOffset: [0.5, 0, 0] },
    });
    const measured = alphaBounds(await decodePng(shifted.png))!;
    expect(measured).not.toBeNull();
    // The camera moved exactly 0.5 m, in its own axes (x right).
    const moved = Math.hypot(
      shifted.meta.camera.position[0] - framed.meta.camera.position[0],
      shifted.meta.camera.position[1] - framed.meta.camera.position[1],
      shifted.meta.camera.position[2] - framed.meta.camera.position[2],
    );
    expect(moved).toBeCloseTo(0.5, 2);
    // The subject moved left, past the edge: cut, and the warning says so.
    expect(measured.left).toBe(0);
    expect(shifted.warnings).toContain(
      'cameraLocalOffset [0.5, 0, 0] m moves the subject past the left edge of the image (it is cut there); use a smaller offset to keep it whole',
    );
    // A small offset that keeps the subject whole gives no warning.
    const small = await renderer.renderShot({
      ...base,
      camera: { ...base.camera, localOffset: [0.01, 0, 0] },
    });
    expect(small.warnings.filter((w) => w.startsWith('cameraLocalOffset'))).toEqual([]);
    // Deterministic: the same shot gives the same bytes.
    const again = await renderer.renderShot({
      ...base,
      camera: { ...base.camera, localOffset: [0.5, 0, 0] },
    });
    expect(Buffer.compare(again.png, shifted.png)).toBe(0);
  });
});
