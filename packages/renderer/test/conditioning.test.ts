// OpenPose keypoints and depth/normal maps, checked against joints projected here from known rest positions
// (the mannequin's dimensions, Asian_F's glTF nodes) and against the analytic head ellipsoid.
import fs from 'node:fs';
import type { RenderMeta } from '@vrm-lora/manifest';
import { HEAD_ELLIPSOID, MANNEQUIN_REST_POSITIONS } from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sharedAsset } from '../../../test/support/shared-assets.js';
import {
  createRenderer,
  DEPTH_FAR_LEVEL,
  FINGERTIP_EXTENSION,
  HEAD_KEYPOINT_OFFSETS,
  type Renderer,
} from '../src/index.js';
import {
  A_POSE,
  buildPageBundle,
  decodePng,
  loadTestAvatar,
  makePose,
  makeRequest,
  type TestAvatar,
} from './support/render-test-kit.js';
import { projectWith, restJointsOf, rotateAbout, type V3 } from './support/rest-joints.js';

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

const BODY_JOINTS = [
  null,
  null,
  'rightUpperArm',
  'rightLowerArm',
  'rightHand',
  'leftUpperArm',
  'leftLowerArm',
  'leftHand',
  'rightUpperLeg',
  'rightLowerLeg',
  'rightFoot',
  'leftUpperLeg',
  'leftLowerLeg',
  'leftFoot',
] as const;

/** The 18 body points and 2×21 hand points the docs define, from joint positions (world, rest frame axes). */
function expectedPoints(j: Record<string, V3>, headScale: number) {
  const add = (a: V3, b: V3, s = 1): V3 => [a[0] + b[0] * s, a[1] + b[1] * s, a[2] + b[2] * s];
  const mid = (a: V3, b: V3): V3 => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  const eyes = mid(j.leftEye!, j.rightEye!);
  const side = (o: readonly number[], s: number): V3 => [s * o[0]!, o[1]!, o[2]!];
  const body: V3[] = BODY_JOINTS.map((name) => (name ? j[name]! : [0, 0, 0]));
  body[0] = add(eyes, side(HEAD_KEYPOINT_OFFSETS.noseFromEyes, 1), headScale);
  body[1] = mid(j.rightUpperArm!, j.leftUpperArm!);
  body.push(j.rightEye!, j.leftEye!);
  body.push(add(j.head!, side(HEAD_KEYPOINT_OFFSETS.ear, -1), headScale));
  body.push(add(j.head!, side(HEAD_KEYPOINT_OFFSETS.ear, 1), headScale));
  const hand = (s: 'left' | 'right') => {
    const out = [j[`${s}Hand`]!];
    for (const f of ['Thumb', 'Index', 'Middle', 'Ring', 'Little']) {
      const names =
        f === 'Thumb'
          ? ['ThumbMetacarpal', 'ThumbProximal', 'ThumbDistal']
          : [`${f}Proximal`, `${f}Intermediate`, `${f}Distal`];
      const [a, b, c] = names.map((n) => j[`${s}${n}`]!);
      out.push(a!, b!, c!, add(c!, [c![0] - b![0], c![1] - b![1], c![2] - b![2]], FINGERTIP_EXTENSION));
    }
    return out;
  };
  return { body, leftHand: hand('left'), rightHand: hand('right') };
}

function expectKeypointsNear(meta: RenderMeta, joints: Record<string, V3>, headScale: number) {
  const kp = meta.keypoints!;
  const want = expectedPoints(joints, headScale);
  const project = projectWith(meta);
  let inFrame = 0;
  const check = (got: [number, number, number] | null | undefined, p: V3, label: string) => {
    const [x, y] = project(p);
    const outside = x < 0 || y < 0 || x >= meta.width || y >= meta.height;
    expect(got, label).toBeTruthy();
    if (outside) {
      expect(got![2], `${label} is out of frame`).toBe(0);
      return;
    }
    inFrame++;
    expect(got![2], label).toBeGreaterThan(0);
    expect(Math.hypot(got![0] - x, got![1] - y), `${label}: got ${got} want ${x},${y}`).toBeLessThan(2);
  };
  for (const [i, p] of want.body.entries()) check(kp.body[i], p, `body ${i}`);
  for (const [i, p] of want.leftHand.entries()) check(kp.leftHand?.[i], p, `left hand ${i}`);
  for (const [i, p] of want.rightHand.entries()) check(kp.rightHand?.[i], p, `right hand ${i}`);
  return inFrame;
}

/** The mannequin's joints in the A-pose: each arm turned 70° down about its upper-arm joint (z axis). */
function mannequinJoints(pose: 'tpose' | 'apose'): Record<string, V3> {
  const joints: Record<string, V3> = {};
  for (const [name, p] of Object.entries(MANNEQUIN_REST_POSITIONS)) joints[name] = [...p] as V3;
  if (pose === 'apose') {
    for (const s of ['left', 'right'] as const) {
      const pivot = joints[`${s}UpperArm`]!;
      for (const name of Object.keys(joints)) {
        if (!/(LowerArm|Hand|Thumb|Index|Middle|Ring|Little)/.test(name) || !name.startsWith(s)) continue;
        joints[name] = rotateAbout(joints[name]!, pivot, [0, 0, 1], s === 'left' ? -70 : 70);
      }
    }
  }
  return joints;
}

describe('OpenPose keypoints', () => {
  test.each([
    ['front T-pose', 'tpose', [0, 0, 1]],
    ['left-front A-pose', 'apose', [-1, 0.4, 1]],
    ['right side A-pose', 'apose', [1, 0, 0]],
  ] as const)(
    'mannequin, %s: every keypoint within 2 px of the joint projected here',
    async (_l, pose, dir) => {
      const { meta } = await renderer.renderShot(
        makeRequest(mannequin, {
          pose: makePose(pose === 'apose' ? A_POSE : {}),
          camera: { position: [...dir], frame: 'fullShot', localOffset: [0, 0, 0] },
          width: 512,
          height: 512,
          topFrameOffsetPixels: 20,
          bottomFrameOffsetPixels: 20,
        }),
      );
      expect(expectKeypointsNear(meta, mannequinJoints(pose), 1)).toBeGreaterThan(40);
    },
  );

  test('mannequin close-up: joints below the frame are left out (visibility 0)', async () => {
    const { meta } = await renderer.renderShot(
      makeRequest(mannequin, {
        pose: makePose(A_POSE),
        camera: { position: [0, 0, 1], frame: 'closeUp', localOffset: [0, 0, 0] },
        width: 512,
        height: 512,
        topFrameOffsetPixels: 20,
      }),
    );
    expectKeypointsNear(meta, mannequinJoints('apose'), 1);
    const kp = meta.keypoints!.body;
    for (const i of [9, 10, 12, 13]) expect(kp[i]![2], `knee/ankle ${i}`).toBe(0);
    expect(kp[0]![2]).toBe(2);
  });

  test('mannequin from behind: the face points are facing away (visibility 1), ears visible', async () => {
    const { meta } = await renderer.renderShot(
      makeRequest(mannequin, { camera: { position: [0, 0, -1], frame: 'fullShot', localOffset: [0, 0, 0] } }),
    );
    const kp = meta.keypoints!.body;
    for (const i of [0, 14, 15]) expect(kp[i]![2], `face point ${i}`).toBe(1);
    for (const i of [16, 17]) expect(kp[i]![2], `ear ${i}`).toBe(2);
  });

  const asianF = sharedAsset('vrm', 'Asian_F_1_Casual.vrm');
  test.skipIf(!asianF || !fs.existsSync(asianF))(
    'Asian_F T-pose, front and three-quarter: every keypoint within 2 px of its glTF joint projected here',
    async () => {
      const bytes = fs.readFileSync(asianF!);
      const joints = restJointsOf(bytes);
      const eyes = (joints.leftEye![1] + joints.rightEye![1]) / 2;
      const headScale = (eyes - joints.head![1]) / 0.095;
      for (const dir of [
        [0, 0, 1],
        [1, 0.5, 1],
      ] as [number, number, number][]) {
        const { meta } = await renderer.renderShot(
          makeRequest(
            { name: 'asian-f', key: 'asian-f', bytes },
            {
              pose: makePose({}),
              camera: { position: dir, frame: 'fullShot', localOffset: [0, 0, 0] },
              width: 768,
              height: 768,
              topFrameOffsetPixels: 32,
              bottomFrameOffsetPixels: 32,
            },
          ),
        );
        expect(expectKeypointsNear(meta, joints, headScale)).toBeGreaterThan(50);
      }
    },
  );
});

describe('depth and normal maps', () => {
  test('mannequin head: normals within 5° of the analytic ellipsoid, depth ordered by distance', async () => {
    const request = makeRequest(mannequin, {
      pose: makePose({}),
      camera: { position: [0.6, 0.3, 1], frame: 'closeUp', localOffset: [0, 0, 0] },
      width: 512,
      height: 512,
      topFrameOffsetPixels: 16,
    });
    const { png, meta } = await renderer.renderShot(request);
    const { maps } = await renderer.renderMaps({
      shot: request,
      camera: meta.exactCamera!,
      kinds: ['depth', 'normal'],
    });
    const image = await decodePng(png);
    const normal = maps.normal!;
    const depth = maps.depth!;
    const cast = rayCaster(meta);
    const angles: number[] = [];
    const samples: [number, number][] = [];
    for (let y = 0; y < meta.height; y += 2) {
      for (let x = 0; x < meta.width; x += 2) {
        const hit = cast(x + 0.5, y + 0.5);
        const i = (y * meta.width + x) * 4;
        if (!hit || normal[i + 3] !== 255 || image.rgba[i + 3] !== 255) continue;
        // Face features float above the skin, the hair cap covers the top, ears stick out: keep cheeks and chin.
        const [hx, hy, hz] = hit.point;
        if (hy > 1.585 || hy < 1.49 || Math.abs(hx) > 0.068 || (hz > 0.06 && Math.abs(hx) < 0.06 && hy > 1.5))
          continue;
        const n = [
          (normal[i]! / 255) * 2 - 1,
          (normal[i + 1]! / 255) * 2 - 1,
          (normal[i + 2]! / 255) * 2 - 1,
        ];
        const len = Math.hypot(n[0]!, n[1]!, n[2]!);
        const dot = (n[0]! * hit.viewNormal[0] + n[1]! * hit.viewNormal[1] + n[2]! * hit.viewNormal[2]) / len;
        angles.push((Math.acos(Math.min(1, dot)) * 180) / Math.PI);
        samples.push([hit.distance, depth[i]!]);
      }
    }
    expect(angles.length).toBeGreaterThan(500);
    angles.sort((a, b) => a - b);
    expect(angles[Math.floor(angles.length * 0.5)]!).toBeLessThan(2);
    expect(angles[Math.floor(angles.length * 0.98)]!).toBeLessThan(5);
    // Depth: nearer is brighter. Pairs at least 2 cm apart along the view axis are strictly ordered.
    samples.sort((a, b) => a[0] - b[0]);
    let checked = 0;
    for (let a = 0; a < samples.length; a += 7) {
      for (let b = a + 1; b < samples.length; b += 13) {
        if (samples[b]![0] - samples[a]![0] < 0.02) continue;
        expect(samples[a]![1]).toBeGreaterThan(samples[b]![1]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  test('depth spans the subject: its nearest pixel is white-ish, farthest near the far level; background black', async () => {
    const request = makeRequest(mannequin, {
      pose: makePose(A_POSE),
      camera: { position: [1, 0, 1], frame: 'fullShot', localOffset: [0, 0, 0] },
    });
    const { png, meta } = await renderer.renderShot(request);
    const { maps } = await renderer.renderMaps({
      shot: request,
      camera: meta.exactCamera!,
      kinds: ['depth'],
    });
    const depth = maps.depth!;
    const image = await decodePng(png);
    let max = 0;
    let min = 255;
    let mismatched = 0;
    for (let i = 0; i < depth.length; i += 4) {
      if (depth[i + 3] === 0) {
        expect(depth[i]).toBe(0);
        continue;
      }
      max = Math.max(max, depth[i]!);
      min = Math.min(min, depth[i]!);
      if (image.rgba[i + 3] === 0) mismatched++;
    }
    expect(max).toBeGreaterThan(240);
    expect(min).toBeLessThan(DEPTH_FAR_LEVEL * 255 + 20);
    expect(min).toBeGreaterThanOrEqual(Math.floor(DEPTH_FAR_LEVEL * 255) - 1);
    expect(mismatched).toBeLessThan(meta.width); // the coverage is the image's, up to antialiased edges
  });

  test('depth spans the visible surface: a cowboy shot from the front uses the whole grey range', async () => {
    // The body's back and the legs below the frame are farther than anything the image shows: they must not
    // squeeze the visible surface into the light greys.
    const request = makeRequest(mannequin, {
      pose: makePose(A_POSE),
      camera: { position: [0, 0, 1], frame: 'cowboyShot', localOffset: [0, 0, 0] },
    });
    const { meta } = await renderer.renderShot(request);
    const { maps, depthRange } = await renderer.renderMaps({
      shot: request,
      camera: meta.exactCamera!,
      kinds: ['depth'],
    });
    const depth = maps.depth!;
    let max = 0;
    let min = 255;
    for (let i = 0; i < depth.length; i += 4) {
      if (depth[i + 3] === 0) continue;
      max = Math.max(max, depth[i]!);
      min = Math.min(min, depth[i]!);
    }
    expect(max).toBeGreaterThanOrEqual(253);
    expect(min).toBeGreaterThanOrEqual(Math.floor(DEPTH_FAR_LEVEL * 255) - 1);
    expect(min).toBeLessThanOrEqual(Math.ceil(DEPTH_FAR_LEVEL * 255) + 2);
    // The range is the visible surface's: a few decimetres deep, not the whole body's.
    expect(depthRange.farMetres - depthRange.nearMetres).toBeGreaterThan(0.05);
    expect(depthRange.farMetres - depthRange.nearMetres).toBeLessThan(0.6);
  });
});

/** Rays through pixel centres against the mannequin's head ellipsoid: hit distance and the view-space normal. */
function rayCaster(meta: RenderMeta) {
  const cam = meta.exactCamera!;
  const [qx, qy, qz, qw] = cam.quaternion;
  const rot = (v: V3): V3 => {
    const ix = qw * v[0] + qy * v[2] - qz * v[1];
    const iy = qw * v[1] + qz * v[0] - qx * v[2];
    const iz = qw * v[2] + qx * v[1] - qy * v[0];
    const iw = -qx * v[0] - qy * v[1] - qz * v[2];
    return [
      ix * qw + iw * -qx + iy * -qz - iz * -qy,
      iy * qw + iw * -qy + iz * -qx - ix * -qz,
      iz * qw + iw * -qz + ix * -qy - iy * -qx,
    ];
  };
  const conj = (v: V3): V3 => {
    const saved = cam.quaternion;
    const q: [number, number, number, number] = [-saved[0], -saved[1], -saved[2], saved[3]];
    const [a, b, c, d] = q;
    const ix = d * v[0] + b * v[2] - c * v[1];
    const iy = d * v[1] + c * v[0] - a * v[2];
    const iz = d * v[2] + a * v[1] - b * v[0];
    const iw = -a * v[0] - b * v[1] - c * v[2];
    return [
      ix * d + iw * -a + iy * -c - iz * -b,
      iy * d + iw * -b + iz * -a - ix * -c,
      iz * d + iw * -c + ix * -b - iy * -a,
    ];
  };
  const f = meta.height / 2 / Math.tan((cam.fovDegrees * Math.PI) / 360);
  const [cx, cy, cz] = HEAD_ELLIPSOID.centre;
  const [ra, rb, rc] = HEAD_ELLIPSOID.radii;
  const o = cam.position;
  return (px: number, py: number) => {
    const d = rot([(px - meta.width / 2) / f, -(py - meta.height / 2) / f, -1]);
    // Scale space so the ellipsoid is a unit sphere.
    const O: V3 = [(o[0] - cx) / ra, (o[1] - cy) / rb, (o[2] - cz) / rc];
    const D: V3 = [d[0] / ra, d[1] / rb, d[2] / rc];
    const A = D[0] ** 2 + D[1] ** 2 + D[2] ** 2;
    const B = 2 * (O[0] * D[0] + O[1] * D[1] + O[2] * D[2]);
    const C = O[0] ** 2 + O[1] ** 2 + O[2] ** 2 - 1;
    const disc = B * B - 4 * A * C;
    if (disc < 0) return null;
    const t = (-B - Math.sqrt(disc)) / (2 * A);
    const point: V3 = [o[0] + d[0] * t, o[1] + d[1] * t, o[2] + d[2] * t];
    const n: V3 = [(point[0] - cx) / ra ** 2, (point[1] - cy) / rb ** 2, (point[2] - cz) / rc ** 2];
    const len = Math.hypot(...n);
    const viewNormal = conj([n[0] / len, n[1] / len, n[2] / len]);
    return { point, distance: t, viewNormal };
  };
}
