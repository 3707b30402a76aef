// Drawing only the subject's box gives the very pixels of a full-frame draw: the same shots rendered with
// `rasterRegion: 'subject'` (the default) and `'full-frame'` are compared byte for byte, on the mannequin and
// on a shared VRM 0.x avatar with MToon outlines, with framing corrections and a camera offset that cuts.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedAsset } from '../../../test/support/shared-assets.js';
import { createRenderer, type Renderer, type RenderShotRequest } from '../src/index.js';
import {
  A_POSE,
  axisAngle,
  buildPageBundle,
  decodePng,
  LEFT_ARM_UP,
  loadTestAvatar,
  makePose,
  makeRequest,
  type TestAvatar,
} from './support/render-test-kit.js';

let subject: Renderer;
let fullFrame: Renderer;
let mannequin: TestAvatar | null;

beforeAll(async () => {
  buildPageBundle();
  mannequin = await loadTestAvatar('1.0');
  subject = await createRenderer({ pages: 1 });
  fullFrame = await createRenderer({ pages: 1, parameters: { rasterRegion: 'full-frame' } });
});
afterAll(async () => {
  await subject?.close();
  await fullFrame?.close();
});

async function expectSamePixels(request: RenderShotRequest) {
  const a = await subject.renderShot(request);
  const b = await fullFrame.renderShot(request);
  const [pa, pb] = [await decodePng(a.png), await decodePng(b.png)];
  let differing = 0;
  for (let i = 0; i < pa.rgba.length; i++) if (pa.rgba[i] !== pb.rgba[i]) differing++;
  expect(differing).toBe(0);
  expect(a.meta.bounds).toEqual(b.meta.bounds);
  expect(a.meta.camera).toEqual(b.meta.camera);
  expect(a.meta.bones).toEqual(b.meta.bones);
  // The full-frame draws cover the whole frame; the subject's, in a fullShot, part of it (a partial shot's
  // body goes on past the image edges, so its box may be the whole frame).
  const pixels = request.width * request.height;
  expect(b.meta.timings.drawnMegapixels).toBeCloseTo((b.meta.timings.draws! * pixels) / 1e6, 6);
  if (request.camera.frame === 'fullShot')
    expect(a.meta.timings.drawnMegapixels!).toBeLessThan(b.meta.timings.drawnMegapixels!);
  else expect(a.meta.timings.drawnMegapixels!).toBeLessThanOrEqual(b.meta.timings.drawnMegapixels!);
  return a;
}

describe('rasterRegion subject vs full-frame', () => {
  const shots: Array<[string, Partial<RenderShotRequest>]> = [
    ['front fullShot, offsets 64/64', { topFrameOffsetPixels: 64, bottomFrameOffsetPixels: 64 }],
    [
      'raised arm from the left, cowboyShot',
      {
        pose: makePose({ ...A_POSE, leftUpperArm: LEFT_ARM_UP }),
        camera: { position: [-1, 0.3, 0.5], frame: 'cowboyShot', localOffset: [0, 0, 0] },
      },
    ],
    [
      'kick from behind, closeUp, wide image',
      {
        pose: makePose({ ...A_POSE, rightUpperLeg: axisAngle([1, 0, 0], -80) }),
        camera: { position: [0.3, 0, -1], frame: 'closeUp', localOffset: [0, 0, 0] },
        width: 320,
        height: 200,
      },
    ],
    [
      'a camera offset that cuts the subject at the left edge',
      { camera: { position: [0, 0, 1], frame: 'fullShot', localOffset: [0.4, 0, 0] } },
    ],
  ];
  for (const [name, overrides] of shots) {
    test(`mannequin: ${name}`, async (context) => {
      if (!mannequin) return context.skip();
      const result = await expectSamePixels(makeRequest(mannequin, overrides));
      expect(result.meta.timings.fullFrameRedraws).toBe(0);
    });
  }

  test('cryptovoxels.vrm (VRM 0.x, MToon outlines) at 512×512', async (context) => {
    const file = sharedAsset('vrm', 'cryptovoxels.vrm');
    if (!file || !fs.existsSync(file)) return context.skip();
    const avatar = { name: 'cryptovoxels', key: 'cryptovoxels', bytes: fs.readFileSync(file) };
    for (const position of [
      [-0.5, -0.2, 1],
      [1, 0, -1],
    ] as const) {
      await expectSamePixels(
        makeRequest(avatar, {
          pose: makePose({ ...A_POSE, leftUpperArm: LEFT_ARM_UP }),
          camera: { position: [...position], frame: 'fullShot', localOffset: [0, 0, 0] },
          width: 512,
          height: 512,
          topFrameOffsetPixels: 64,
          bottomFrameOffsetPixels: 64,
        }),
      );
    }
  });
});
