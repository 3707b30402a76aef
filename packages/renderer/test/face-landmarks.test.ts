// Face landmarks (openpose_full's 70 face points), checked against the mannequin's known face and, on a real
// avatar, against its own image and expressions.
import fs from 'node:fs';
import {
  EYE_RADIUS_METRES,
  HEAD_ELLIPSOID,
  MANNEQUIN_FACE,
  MANNEQUIN_REST_POSITIONS,
} from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedAsset } from '../../../test/support/shared-assets.js';
import { createRenderer, type Renderer } from '../src/index.js';
import {
  A_POSE,
  buildPageBundle,
  decodePng,
  loadTestAvatar,
  makePose,
  makeRequest,
  type TestAvatar,
} from './support/render-test-kit.js';
import { projectWith, type V3 } from './support/rest-joints.js';

let renderer: Renderer;
let mannequin: TestAvatar;
beforeAll(async () => {
  buildPageBundle();
  renderer = await createRenderer({ pages: 1 });
  mannequin = (await loadTestAvatar('1.0'))!;
});
afterAll(async () => {
  await renderer?.close();
});

async function shot(
  avatar: TestAvatar,
  dir: V3,
  expression: string | null = null,
  frame = 'closeUp',
  size = 512,
) {
  const { meta, png } = await renderer.renderShot(
    makeRequest(avatar, {
      pose: makePose(A_POSE),
      expression,
      camera: { position: dir, frame: frame as 'closeUp', localOffset: [0, 0, 0] },
      width: size,
      height: size,
      topFrameOffsetPixels: 20,
    }),
  );
  return { meta, png, face: meta.keypoints!.face! };
}

/** The front of the mannequin's head ellipsoid at (x, y), metres. */
function onHead(x: number, y: number): V3 {
  const [cx, cy, cz] = HEAD_ELLIPSOID.centre;
  const [a, b, c] = HEAD_ELLIPSOID.radii;
  return [x, y, cz + c * Math.sqrt(1 - ((x - cx) / a) ** 2 - ((y - cy) / b) ** 2)];
}

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);

describe('face landmarks on the mannequin', () => {
  test.each([
    ['front', [0, 0, 1]],
    ['three-quarter', [-1, 0.3, 1]],
  ] as const)('%s: nose tip, eyes, pupils, mouth and chin where its face has them', async (_l, dir) => {
    const { meta, face } = await shot(mannequin, [...dir]);
    const project = projectWith(meta);
    expect(face).toHaveLength(70);
    for (const [i, k] of face.entries()) expect(k[2], `point ${i}`).toBe(2);
    const n = MANNEQUIN_FACE.noseCentre;
    const tip = project([n[0], n[1], n[2] + MANNEQUIN_FACE.noseRadii[2]]);
    expect(dist(face[30]!, tip), `nose tip ${face[30]} want ${tip}`).toBeLessThan(2);
    const rightEye = project(MANNEQUIN_REST_POSITIONS.rightEye as V3);
    const leftEye = project(MANNEQUIN_REST_POSITIONS.leftEye as V3);
    // The eyes' distance (66 mm) as seen face-on: measured upright, which the views do not foreshorten much.
    const [ex, ey, ez] = MANNEQUIN_REST_POSITIONS.rightEye!;
    const eyePx = dist(rightEye, project([ex, ey + 0.066, ez]));
    // Each eye's corners lie either side of it, about one eye radius (13.5 mm of 66 mm) away (in the
    // three-quarter view, the near eye: the far one is foreshortened).
    const eyeCorners = [
      [rightEye, 36, 39],
      [leftEye, 45, 42],
    ] as const;
    for (const [eye, outer, inner] of dir[0] ? eyeCorners.slice(0, 1) : eyeCorners) {
      for (const c of [outer, inner]) {
        expect(dist(face[c]!, eye), `eye corner ${c}`).toBeGreaterThan(0.1 * eyePx);
        expect(dist(face[c]!, eye), `eye corner ${c}`).toBeLessThan(0.35 * eyePx);
      }
      const mid = [(face[outer]![0] + face[inner]![0]) / 2, (face[outer]![1] + face[inner]![1]) / 2];
      expect(dist(mid, eye), `eye ${outer}–${inner} centred on the eye`).toBeLessThan(0.08 * eyePx);
    }
    // The pupils: on each eye's front, an eyeball radius ahead of its bone (the iris pokes out a little more).
    const cornea = (eye: readonly number[]) => project([eye[0]!, eye[1]!, eye[2]! + EYE_RADIUS_METRES]);
    expect(dist(face[68]!, cornea(MANNEQUIN_REST_POSITIONS.rightEye!)), 'right pupil').toBeLessThan(
      0.05 * eyePx,
    );
    expect(dist(face[69]!, cornea(MANNEQUIN_REST_POSITIONS.leftEye!)), 'left pupil').toBeLessThan(
      0.05 * eyePx,
    );
    // The mouth: its 20 points inside the mouth's region on the face: 5 mm beside its corners, 8 mm below its
    // line, 10 mm above (the painted mouth is 5.6 mm tall, a human upper lip ~8: the outer upper-lip points
    // land on the skin above it).
    const { mouthY, mouthHalfWidth } = MANNEQUIN_FACE;
    const box = [-1, 1].flatMap((sx) =>
      [mouthY - 0.008, mouthY + 0.01].map((y) => project(onHead(sx * (mouthHalfWidth + 0.005), y))),
    );
    const xs = box.map((p) => p[0]);
    const ys = box.map((p) => p[1]);
    for (let i = 48; i < 68; i++) {
      expect(face[i]![0], `mouth ${i} x`).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(face[i]![0], `mouth ${i} x`).toBeLessThanOrEqual(Math.max(...xs));
      expect(face[i]![1], `mouth ${i} y`).toBeGreaterThanOrEqual(Math.min(...ys));
      expect(face[i]![1], `mouth ${i} y`).toBeLessThanOrEqual(Math.max(...ys));
    }
    // The chin (8) within 6 mm of the face's lowest front point.
    const chin = project(onHead(0, HEAD_ELLIPSOID.centre[1] - 0.105));
    expect(dist(face[8]!, chin), `chin ${face[8]} want ${chin}`).toBeLessThan((0.006 / 0.066) * eyePx);
  });

  test('"aa" opens the inner lips, "blink" closes the upper lids', async () => {
    const neutral = (await shot(mannequin, [0, 0, 1])).face;
    const aa = (await shot(mannequin, [0, 0, 1], 'aa')).face;
    const blink = (await shot(mannequin, [0, 0, 1], 'blink')).face;
    const gap = (f: typeof neutral) => f[66]![1] - f[62]![1];
    expect(gap(aa) - gap(neutral), `gap ${gap(neutral)} → ${gap(aa)}`).toBeGreaterThan(10);
    for (const i of [37, 38, 43, 44]) expect(blink[i]![1] - neutral[i]![1], `lid ${i}`).toBeGreaterThan(10);
    for (const i of [27, 30, 36, 39, 42, 45])
      expect(dist(blink[i]!, neutral[i]!), `point ${i}`).toBeLessThan(0.5);
  });

  test('the VRM 0.x mannequin (turned at load) gets the same face points as the 1.0 one', async () => {
    const old = (await loadTestAvatar('0.x'))!;
    for (const dir of [
      [0, 0, 1],
      [-1, 0.3, 1],
    ] as V3[]) {
      const a = (await shot(mannequin, dir)).face;
      const b = (await shot(old, dir)).face;
      for (const [i, k] of a.entries()) {
        expect(b[i]![2], `point ${i}`).toBe(k[2]);
        expect(dist(b[i]!, k), `point ${i}`).toBeLessThan(1);
      }
    }
  });

  test('from behind no face point is drawn (visibility 1); a face under 16 px between the eyes has none (0)', async () => {
    const behind = (await shot(mannequin, [0, 0, -1])).face;
    for (const k of behind) expect(k[2]).toBe(1);
    const small = (await shot(mannequin, [0, 0, 1], null, 'fullShot', 256)).face;
    for (const k of small) expect(k[2]).toBe(0);
  });
});

const asianF = sharedAsset('vrm', 'Asian_F_1_Casual.vrm');
test.skipIf(!asianF || !fs.existsSync(asianF))(
  'Asian_F: the landmarks lie on its face; "aa" opens the inner lips, "blink" closes the lids',
  async () => {
    const avatar = { name: 'asian-f', key: 'asian-f', bytes: fs.readFileSync(asianF!) };
    for (const dir of [
      [0, 0, 1],
      [1, 0.3, 1],
    ] as V3[]) {
      const { meta, png, face } = await shot(avatar, dir);
      const image = await decodePng(png);
      const eyes = [meta.keypoints!.body[14]!, meta.keypoints!.body[15]!];
      const centre = [(eyes[0]![0] + eyes[1]![0]) / 2, (eyes[0]![1] + eyes[1]![1]) / 2];
      const eyePx = Math.abs(meta.bones.leftEye!.x - meta.bones.rightEye!.x) / (dir[0] ? 0.7 : 1);
      for (const [i, k] of face.entries()) {
        expect(k[2], `point ${i}`).toBe(2);
        const alpha = image.rgba[(Math.trunc(k[1]) * image.width + Math.trunc(k[0])) * 4 + 3]!;
        expect(alpha, `point ${i} on the avatar`).toBeGreaterThan(0);
        expect(dist(k, centre), `point ${i} within the head`).toBeLessThan(2.3 * eyePx);
      }
    }
    const neutral = (await shot(avatar, [0, 0, 1])).face;
    const aa = (await shot(avatar, [0, 0, 1], 'aa')).face;
    const blink = (await shot(avatar, [0, 0, 1], 'blink')).face;
    const gap = (f: typeof neutral) => f[66]![1] - f[62]![1];
    expect(gap(aa), `inner-lip gap ${gap(neutral)} → ${gap(aa)} px`).toBeGreaterThan(gap(neutral) + 20);
    for (const i of [37, 38, 43, 44]) expect(blink[i]![1] - neutral[i]![1], `lid ${i}`).toBeGreaterThan(5);
  },
);

const faceless = ['cryptovoxels.vrm', 'debug_robot.vrm'].map(
  (name) => [name, sharedAsset('vrm', name)] as const,
);
for (const [name, file] of faceless) {
  test.skipIf(!file || !fs.existsSync(file))(
    `${name}: a head with no face (an egg, boxes) gets no face points, as a detector would find none`,
    async () => {
      const avatar = { name, key: name, bytes: fs.readFileSync(file!) };
      const { meta } = await shot(avatar, [0, 0, 1]);
      expect(meta.keypoints!.face).toBeNull();
      // The body's head points are still there.
      expect(meta.keypoints!.body[0]![2]).toBe(2);
    },
  );
}
