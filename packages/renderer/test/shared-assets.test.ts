// Every shared VRM (1.0 and 0.x, skinned and not) renders a few poses; fullShot offsets measured on alpha.
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
  LEFT_ARM_UP,
  makePose,
  makeRequest,
} from './support/render-test-kit.js';

const assets = sharedAssetsDir();
const vrmDir = assets ? path.join(assets, 'vrm') : null;
const files =
  vrmDir && fs.existsSync(vrmDir)
    ? fs
        .readdirSync(vrmDir)
        .filter((f) => f.endsWith('.vrm'))
        .sort()
    : [];
if (!files.length)
  process.stderr.write('\n!!! shared VRMs absent: renderer shared-asset tests are SKIPPED\n\n');

const POSES = {
  aPose: makePose(A_POSE),
  armUp: makePose({ ...A_POSE, leftUpperArm: LEFT_ARM_UP }),
  kick: makePose({ ...A_POSE, rightUpperLeg: axisAngle([1, 0, 0], -80), spine: axisAngle([1, 0, 0], 10) }),
  crouch: makePose(
    {
      ...A_POSE,
      leftUpperLeg: axisAngle([1, 0, 0], -90),
      rightUpperLeg: axisAngle([1, 0, 0], -90),
      leftLowerLeg: axisAngle([1, 0, 0], 120),
      rightLowerLeg: axisAngle([1, 0, 0], 120),
    },
    { hipsPosition: [0, 0.55, 0] },
  ),
};
// One camera per pose; the raised arm is shot from steeply above (it points at the camera). Not straight
// above: two shared "avatars" are flat texture cards, edge-on (blank, an error) from there.
const CAMERAS: Array<[number, number, number]> = [
  [0, 0, 1],
  [0, 1, 0.3],
  [1, 1, -1],
  [-0.5, -0.2, 1],
];

let renderer: Renderer;
beforeAll(async () => {
  if (!files.length) return;
  buildPageBundle();
  renderer = await createRenderer({ pages: 2 });
});
afterAll(async () => {
  await renderer?.close();
});

describe.skipIf(!files.length)('shared VRMs', () => {
  for (const file of files) {
    test(`${file}: fullShots land on the requested offsets (±2 px)`, async () => {
      const bytes = fs.readFileSync(path.join(vrmDir!, file));
      const avatar = { name: file, key: file, bytes };
      const jobs = Object.entries(POSES).flatMap(([poseName, pose], i) => {
        const position = CAMERAS[i % CAMERAS.length]!;
        return [
          { poseName, pose, position, top: 64, bottom: 64 },
          { poseName, pose, position, top: 20, bottom: 100 },
        ];
      });
      const results = await Promise.all(
        jobs.map(async (job) => {
          const result = await renderer.renderShot(
            makeRequest(avatar, {
              pose: job.pose,
              camera: { position: job.position, frame: 'fullShot', localOffset: [0, 0, 0] },
              topFrameOffsetPixels: job.top,
              bottomFrameOffsetPixels: job.bottom,
            }),
          );
          return { job, result, measured: alphaBounds(await decodePng(result.png)) };
        }),
      );
      for (const { job, result, measured } of results) {
        const label = `${file} ${job.poseName} ${job.position.join(',')} ${job.top}/${job.bottom}`;
        expect(measured, label).not.toBeNull();
        if (result.meta.framing.mode === 'height') {
          expect(Math.abs(measured!.top - job.top), `${label} top ${measured!.top}`).toBeLessThanOrEqual(2);
          expect(
            Math.abs(measured!.bottom - (255 - job.bottom)),
            `${label} bottom ${measured!.bottom}`,
          ).toBeLessThanOrEqual(2);
        } else {
          const side = (job.top + job.bottom) / 2;
          expect(Math.abs(measured!.left - side), `${label} left`).toBeLessThanOrEqual(2);
          expect(Math.abs(measured!.right - (255 - side)), `${label} right`).toBeLessThanOrEqual(2);
        }
      }
    });
  }
});
