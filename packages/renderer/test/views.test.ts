// What the pixels show: mirror symmetry of front/back, which side a raised arm is on, expressions only
// in the face, eyes turning to the camera, spring bones independent of shot order, determinism, errors.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRenderer, RenderError, type Renderer } from '../src/index.js';
import {
  A_POSE,
  alphaBounds,
  axisAngle,
  buildPageBundle,
  decodePng,
  diffPixels,
  LEFT_ARM_UP,
  loadTestAvatar,
  makePose,
  makeRequest,
  type Pixels,
  type TestAvatar,
  withExternalTexture,
} from './support/render-test-kit.js';

let renderer: Renderer;
let avatar: TestAvatar | null;
const logs: string[] = [];

beforeAll(async () => {
  buildPageBundle();
  avatar = await loadTestAvatar('1.0');
  renderer = await createRenderer({ pages: 2, onLog: (line) => logs.push(line) });
});
afterAll(async () => {
  await renderer?.close();
});

function alphaAt(p: Pixels, x: number, y: number): number {
  return p.rgba[(y * p.width + x) * 4 + 3]!;
}

/** Fraction of the mask of `a` that matches `b` mirrored left↔right (intersection over union). */
function mirroredIoU(a: Pixels, b: Pixels): number {
  let inter = 0;
  let union = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const inA = alphaAt(a, x, y) > 0;
      const inB = alphaAt(b, a.width - 1 - x, y) > 0;
      if (inA && inB) inter++;
      if (inA || inB) union++;
    }
  }
  return inter / union;
}

/** Alpha coverage in the upper third, left and right halves of the image. */
function upperHalves(p: Pixels): { left: number; right: number } {
  let left = 0;
  let right = 0;
  for (let y = 0; y < Math.floor(p.height / 3); y++) {
    for (let x = 0; x < p.width; x++) {
      if (alphaAt(p, x, y) > 0) {
        if (x < p.width / 2) left++;
        else right++;
      }
    }
  }
  return { left, right };
}

describe('views', () => {
  test('front and back views mirror each other; a raised left arm is on the image right from the front', async (context) => {
    if (!avatar) return context.skip();
    const pose = makePose({ ...A_POSE, leftUpperArm: LEFT_ARM_UP });
    const front = await decodePng(
      (
        await renderer.renderShot(
          makeRequest(avatar, {
            pose,
            camera: { position: [0, 0, 1], frame: 'fullShot', localOffset: [0, 0, 0] },
          }),
        )
      ).png,
    );
    const back = await decodePng(
      (
        await renderer.renderShot(
          makeRequest(avatar, {
            pose,
            camera: { position: [0, 0, -1], frame: 'fullShot', localOffset: [0, 0, 0] },
          }),
        )
      ).png,
    );
    expect(mirroredIoU(front, back)).toBeGreaterThan(0.85);
    const f = upperHalves(front);
    const b = upperHalves(back);
    expect(f.right).toBeGreaterThan(f.left * 1.5);
    expect(b.left).toBeGreaterThan(b.right * 1.5);
  });

  test('VRM 0.x is turned once: the 0.x avatar faces the camera like the 1.0 one, same bounds', async (context) => {
    const v0 = await loadTestAvatar('0.x');
    if (!avatar || !v0 || !avatar.name.startsWith('mannequin')) return context.skip();
    const pose = makePose({ ...A_POSE, leftUpperArm: LEFT_ARM_UP, rightUpperLeg: axisAngle([1, 0, 0], -40) });
    const camera = {
      position: [-0.5, -0.2, 1] as [number, number, number],
      frame: 'fullShot' as const,
      localOffset: [0, 0, 0] as [number, number, number],
    };
    const a = await renderer.renderShot(
      makeRequest(avatar, { pose, camera, lookAtCamera: true, expression: 'happy' }),
    );
    const b = await renderer.renderShot(
      makeRequest(v0, { pose, camera, lookAtCamera: true, expression: 'joy' }),
    );
    expect(b.meta.avatar.specVersion).toBe('0.x');
    expect(b.meta.expression.applied).toBe('happy');
    for (const side of ['left', 'top', 'right', 'bottom'] as const) {
      expect(Math.abs(a.meta.bounds[side] - b.meta.bounds[side])).toBeLessThanOrEqual(1);
    }
    expect(b.meta.lookAt.yawDegrees).toBeCloseTo(a.meta.lookAt.yawDegrees, 1);
    const diff = diffPixels(await decodePng(a.png), await decodePng(b.png), 24);
    expect(diff.count).toBeLessThan(0.01 * 256 * 256);
  });

  test('left camera is on the viewer left: the avatar turns its right side (and raised left arm away) to us', async (context) => {
    if (!avatar) return context.skip();
    const result = await renderer.renderShot(
      makeRequest(avatar, { camera: { position: [-1, 0, 1], frame: 'closeUp', localOffset: [0, 0, 0] } }),
    );
    // The camera sits at -x (avatar's right): the right shoulder is nearer than the left one.
    const { rightUpperArm, leftUpperArm } = result.meta.bones;
    expect(rightUpperArm!.depth).toBeLessThan(leftUpperArm!.depth);
    expect(result.meta.camera.position[0]).toBeLessThan(0);
    expect(result.meta.camera.position[2]).toBeGreaterThan(0);
  });

  test('an expression changes pixels only in the face region', async (context) => {
    if (!avatar) return context.skip();
    const request = makeRequest(avatar, {
      camera: { position: [0, 0, 1], frame: 'closeUp', localOffset: [0, 0, 0] },
      topFrameOffsetPixels: 16,
    });
    const neutral = await renderer.renderShot(request);
    const name = neutral.meta.avatar.expressionNames.includes('angry') ? 'angry' : 'happy';
    const expressive = await renderer.renderShot({ ...request, expression: name });
    expect(expressive.meta.expression.applied).toBe(name);
    // The face's morph targets are blended on the CPU (cpu-morphs.ts), so this diff shows that path works.
    expect(expressive.meta.avatar.cpuMorphMeshes).toBeGreaterThanOrEqual(1);
    expect(expressive.meta.camera).toEqual(neutral.meta.camera);
    const diff = diffPixels(await decodePng(neutral.png), await decodePng(expressive.png));
    expect(diff.count).toBeGreaterThan(30);
    const head = expressive.meta.bones.head!;
    const neck = expressive.meta.bones.neck!;
    const headSizePx = expressive.meta.bounds.bottom; // generous: whole frame height of a close-up
    const faceHalfWidth = Math.abs(neck.y - expressive.meta.bounds.top);
    expect(diff.box!.left).toBeGreaterThanOrEqual(head.x - faceHalfWidth);
    expect(diff.box!.right).toBeLessThanOrEqual(head.x + faceHalfWidth);
    expect(diff.box!.top).toBeGreaterThanOrEqual(expressive.meta.bounds.top);
    expect(diff.box!.bottom).toBeLessThanOrEqual(neck.y + 0.1 * headSizePx);
  });

  test('VRM 0.x expression names map to 1.0 names; a missing one warns with the list, or fails under strict', async (context) => {
    if (!avatar) return context.skip();
    const joy = await renderer.renderShot(makeRequest(avatar, { expression: 'joy' }));
    if (joy.meta.avatar.expressionNames.includes('happy')) expect(joy.meta.expression.applied).toBe('happy');
    const missing = await renderer.renderShot(makeRequest(avatar, { expression: 'no-such-face' }));
    expect(missing.meta.expression.applied).toBeNull();
    expect(missing.warnings[0]).toContain('expression "no-such-face" is not in this avatar; it has: ');
    expect(missing.warnings[0]).toContain(missing.meta.avatar.expressionNames[0] ?? '(no expressions)');
    const strict = renderer.renderShot(makeRequest(avatar, { expression: 'no-such-face', strict: true }));
    await expect(strict).rejects.toMatchObject({ code: 'expression-missing' });
  });

  test('lookAtCamera turns the eyes toward the camera', async (context) => {
    if (!avatar) return context.skip();
    const request = makeRequest(avatar, {
      camera: { position: [-1, 1, 1], frame: 'closeUp', localOffset: [0, 0, 0] },
      topFrameOffsetPixels: 8,
    });
    const ahead = await renderer.renderShot(request);
    const looking = await renderer.renderShot({ ...request, lookAtCamera: true });
    expect(ahead.meta.lookAt).toEqual({ mode: 'ahead', yawDegrees: 0, pitchDegrees: 0 });
    expect(looking.meta.lookAt.mode).toBe('camera');
    // Camera on the avatar's right (-x) and above: yaw toward the avatar's right (negative), pitch up.
    expect(looking.meta.lookAt.yawDegrees).toBeLessThan(-30);
    expect(looking.meta.lookAt.yawDegrees).toBeGreaterThan(-60);
    expect(looking.meta.lookAt.pitchDegrees).toBeGreaterThan(5);
    const diff = diffPixels(await decodePng(ahead.png), await decodePng(looking.png));
    expect(diff.count).toBeGreaterThan(5);
    const neck = looking.meta.bones.neck!;
    expect(diff.box!.bottom).toBeLessThan(neck.y);
  });

  test("the pose file's look-at and expression tracks apply when the shot asks for neither", async (context) => {
    if (!avatar) return context.skip();
    const closeUp = {
      position: [0, 0, 1] as [number, number, number],
      frame: 'closeUp' as const,
      localOffset: [0, 0, 0] as [number, number, number],
    };
    const ahead = await renderer.renderShot(makeRequest(avatar, { camera: closeUp }));
    const tracked = await renderer.renderShot(
      makeRequest(avatar, {
        camera: closeUp,
        pose: makePose(A_POSE, { lookAt: { yawDegrees: 20, pitchDegrees: 10 } }),
      }),
    );
    expect(tracked.meta.lookAt).toEqual({ mode: 'pose', yawDegrees: 20, pitchDegrees: 10 });
    expect(diffPixels(await decodePng(ahead.png), await decodePng(tracked.png)).count).toBeGreaterThan(5);
    const name = ahead.meta.avatar.expressionNames.includes('happy')
      ? 'happy'
      : ahead.meta.avatar.expressionNames[0];
    if (!name) return;
    const fromTrack = await renderer.renderShot(
      makeRequest(avatar, { camera: closeUp, pose: makePose(A_POSE, { expressions: { [name]: 1 } }) }),
    );
    const fromRequest = await renderer.renderShot(makeRequest(avatar, { camera: closeUp, expression: name }));
    expect(fromTrack.png.equals(fromRequest.png)).toBe(true);
    expect(fromTrack.png.equals(ahead.png)).toBe(false);
  });

  test('spring bones settle the same whatever the shot order; same shot → identical bytes', async (context) => {
    if (!avatar) return context.skip();
    const poses = [
      makePose(A_POSE),
      makePose({ ...A_POSE, spine: axisAngle([1, 0, 0], 40), head: axisAngle([0, 0, 1], 30) }),
      makePose({ ...A_POSE, hips: axisAngle([0, 1, 0], 90) }),
    ];
    const shoot = async (order: number[]) => {
      const out: Buffer[] = [];
      for (const i of order)
        out[i] = (await renderer.renderShot(makeRequest(avatar!, { pose: poses[i]! }))).png;
      return out;
    };
    const forward = await shoot([0, 1, 2]);
    const probe = await renderer.renderShot(makeRequest(avatar, { pose: poses[0]! }));
    if (avatar.name.startsWith('mannequin')) expect(probe.meta.avatar.springJointCount).toBeGreaterThan(0);
    const reverse = await shoot([2, 1, 0]);
    const parallel = await Promise.all(
      poses.map(async (pose) => (await renderer.renderShot(makeRequest(avatar!, { pose }))).png),
    );
    for (let i = 0; i < poses.length; i++) {
      expect(reverse[i]!.equals(forward[i]!)).toBe(true);
      expect(parallel[i]!.equals(forward[i]!)).toBe(true);
    }
    expect(forward[0]!.equals(forward[1]!)).toBe(false);
  });

  test("hipsPosition is scaled by this avatar's hips height; [0, 1, 0] is the rest pose", async (context) => {
    if (!avatar) return context.skip();
    const rest = await renderer.renderShot(makeRequest(avatar));
    const standing = await renderer.renderShot(
      makeRequest(avatar, { pose: makePose(A_POSE, { hipsPosition: [0, 1, 0] }) }),
    );
    const hipsHeight = rest.meta.avatar.hipsHeightMetres;
    expect(hipsHeight).toBeGreaterThan(0.5);
    expect(standing.meta.bounds).toEqual(rest.meta.bounds);
    expect(Math.abs(standing.meta.camera.position[1] - rest.meta.camera.position[1])).toBeLessThan(0.02);
    // Sideways by 0.3 hips heights toward the avatar's left (+x): framing follows, the camera moves with it.
    const moved = await renderer.renderShot(
      makeRequest(avatar, { pose: makePose(A_POSE, { hipsPosition: [0.3, 1, 0] }) }),
    );
    expect(moved.meta.camera.position[0] - rest.meta.camera.position[0]).toBeCloseTo(0.3 * hipsHeight, 2);
  });

  test('a cameraLocalOffset moves the camera in its own axes after framing', async (context) => {
    if (!avatar) return context.skip();
    const base = await renderer.renderShot(
      makeRequest(avatar, { topFrameOffsetPixels: 32, bottomFrameOffsetPixels: 32 }),
    );
    const shifted = await renderer.renderShot(
      makeRequest(avatar, {
        topFrameOffsetPixels: 32,
        bottomFrameOffsetPixels: 32,
        camera: { position: [0, 0, 1], frame: 'fullShot', localOffset: [0.2, 0, 0] },
      }),
    );
    // Camera moves right (+x in camera axes = world +x from the front) → subject moves left in the image.
    expect(shifted.meta.camera.position[0]).toBeCloseTo(base.meta.camera.position[0] + 0.2, 2);
    expect(shifted.meta.bounds.left).toBeLessThan(base.meta.bounds.left - 5);
    expect(shifted.meta.bounds.top).toBe(base.meta.bounds.top);
  });

  test('a blank render is an error; a zero camera vector is a clear error', async (context) => {
    if (!avatar) return context.skip();
    const blank = renderer.renderShot(
      makeRequest(avatar, { camera: { position: [0, 0, 1], frame: 'fullShot', localOffset: [50, 0, 0] } }),
    );
    await expect(blank).rejects.toBeInstanceOf(RenderError);
    await expect(blank).rejects.toMatchObject({ code: 'blank-render' });
    const zero = renderer.renderShot(
      makeRequest(avatar, { camera: { position: [0, 0, 0], frame: 'fullShot', localOffset: [0, 0, 0] } }),
    );
    await expect(zero).rejects.toThrow(
      'cameraPosition [0, 0, 0] has no direction: give a non-zero vector such as [0, 0, 1] or a name such as "front"',
    );
  });

  test('the page makes no network request: an external texture URI in the VRM is blocked and logged', async (context) => {
    if (!avatar) return context.skip();
    const url = 'https://example.com/vrm-lora-must-not-fetch.png';
    const bytes = withExternalTexture(avatar.bytes, url);
    const result = await renderer.renderShot(
      makeRequest({ name: 'external', key: 'external-texture', bytes }),
    );
    expect(result.meta.bounds.bottom).toBeGreaterThan(result.meta.bounds.top);
    expect(logs).toContain(`blocked request from the render page: ${url}`);
  });

  test('the transparent background stays transparent and the PNG is RGBA of the requested size', async (context) => {
    if (!avatar) return context.skip();
    const result = await renderer.renderShot(makeRequest(avatar, { width: 200, height: 300 }));
    const pixels = await decodePng(result.png);
    expect([pixels.width, pixels.height]).toEqual([200, 300]);
    expect(alphaAt(pixels, 0, 0)).toBe(0);
    const bounds = alphaBounds(pixels)!;
    const cx = Math.round((bounds.left + bounds.right) / 2);
    const cy = Math.round((bounds.top + bounds.bottom) / 2);
    expect(alphaAt(pixels, cx, cy)).toBe(255);
    expect(
      logs.filter((line) => line.startsWith('blocked request') && !line.includes('must-not-fetch')),
    ).toEqual([]);
  });
});
