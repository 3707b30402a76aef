// Every frame × every named direction × offsets: the subject's top (and bottom, or the cut line) lands
// on the requested pixel rows, measured on the alpha channel of the PNG; the meta's bounds are those measured, and
// the pixels the result carries are the PNG's.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRenderer, type Renderer } from '../src/index.js';
import {
  alphaBounds,
  buildPageBundle,
  decodePng,
  loadTestAvatar,
  makeRequest,
  projectWithMeta,
  type TestAvatar,
} from './support/render-test-kit.js';

const DIRECTIONS: Record<string, [number, number, number]> = {
  front: [0, 0, 1],
  back: [0, 0, -1],
  left: [-1, 0, 0],
  right: [1, 0, 0],
  top: [0, 1, 0],
  bottom: [0, -1, 0],
};
const FRAMES = ['fullShot', 'cowboyShot', 'mediumShot', 'mediumCloseUp', 'closeUp'] as const;
const OFFSETS: Array<[number, number]> = [
  [0, 0],
  [64, 64],
  [200, 0],
  [0, 200],
];
const SIZE = 256;

let renderer: Renderer;
let avatar: TestAvatar | null;

beforeAll(async () => {
  buildPageBundle();
  avatar = await loadTestAvatar('1.0');
  renderer = await createRenderer({ pages: 1 });
});
afterAll(async () => {
  await renderer?.close();
});

describe('framing', () => {
  test("front-view cut lines sit at the mannequin's named heights", async (context) => {
    if (!avatar?.name.startsWith('mannequin')) return context.skip();
    const { MANNEQUIN_DIMENSIONS: d } = await import('@vrm-lora/mannequin');
    const cutY = async (frame: (typeof FRAMES)[number]) =>
      (
        await renderer.renderShot(
          makeRequest(avatar!, { camera: { position: [0, 0, 1], frame, localOffset: [0, 0, 0] } }),
        )
      ).meta.framing.cutLineWorld![1];
    expect(await cutY('cowboyShot')).toBeCloseTo(d.midThighY, 2);
    expect(Math.abs((await cutY('mediumShot')) - d.waistY)).toBeLessThan(0.06);
    expect(Math.abs((await cutY('mediumCloseUp')) - d.chestY)).toBeLessThan(0.04);
    const closeUp = await cutY('closeUp');
    expect(closeUp).toBeGreaterThan(d.chestY);
    expect(closeUp).toBeLessThan(d.shoulderY);
  });

  for (const frame of FRAMES) {
    test(`${frame}: top/bottom or cut line within ±2 px for 6 directions × offsets`, async (context) => {
      if (!avatar) return context.skip();
      const failures: string[] = [];
      for (const [direction, position] of Object.entries(DIRECTIONS)) {
        for (const [top, bottom] of OFFSETS) {
          const result = await renderer.renderShot(
            makeRequest(avatar, {
              camera: { position, frame, localOffset: [0, 0, 0] },
              width: SIZE,
              height: SIZE,
              topFrameOffsetPixels: top,
              bottomFrameOffsetPixels: bottom,
            }),
          );
          const decoded = await decodePng(result.png);
          // The pixels handed to the caller are the PNG's (post works on them instead of decoding it).
          expect(result.pixels).toMatchObject({ width: SIZE, height: SIZE, channels: 4 });
          expect(result.pixels.data.equals(decoded.rgba)).toBe(true);
          const measured = alphaBounds(decoded);
          const label = `${frame} ${direction} top=${top} bottom=${bottom}`;
          if (!measured) {
            failures.push(`${label}: blank`);
            continue;
          }
          expect(result.meta.bounds).toEqual(measured);
          const mode = result.meta.framing.mode;
          if (mode === 'height') {
            if (Math.abs(measured.top - top) > 2) failures.push(`${label}: top ${measured.top}`);
            if (Math.abs(measured.bottom - (SIZE - 1 - bottom)) > 2)
              failures.push(`${label}: bottom ${measured.bottom}`);
          } else if (mode === 'width') {
            const side = (top + bottom) / 2;
            if (Math.abs(measured.left - side) > 2) failures.push(`${label}: left ${measured.left}`);
            if (Math.abs(measured.right - (SIZE - 1 - side)) > 2)
              failures.push(`${label}: right ${measured.right}`);
            const centre = (measured.top + measured.bottom) / 2;
            if (Math.abs(centre - (SIZE - 1) / 2) > 2)
              failures.push(`${label}: not centred vertically (${centre})`);
          } else {
            if (Math.abs(measured.top - top) > 2) failures.push(`${label}: top ${measured.top}`);
            const cut = result.meta.framing.cutLineWorld;
            expect(cut).not.toBeNull();
            const projected = projectWithMeta(result.meta, cut!);
            if (Math.abs(projected.y - SIZE) > 2)
              failures.push(`${label}: cut line at y=${projected.y.toFixed(1)}`);
            if (measured.bottom !== SIZE - 1) failures.push(`${label}: body does not reach the bottom edge`);
          }
          // Pure top/bottom views of a partial frame have no cut line below the head: fullShot + warning.
          if (frame !== 'fullShot' && (direction === 'top' || direction === 'bottom')) {
            expect(mode).not.toBe('cut');
            expect(result.warnings.join('\n')).toContain('framed as fullShot');
          } else if (frame !== 'fullShot') {
            expect(mode).toBe('cut');
          }
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
