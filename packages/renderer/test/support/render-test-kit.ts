// Helpers shared by the renderer's tests: poses built in code, test avatars, PNG → pixels, projections.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PoseFile, RenderMeta, VrmHumanBoneName } from '@vrm-lora/manifest';
import sharp from 'sharp';
import { expect } from 'vitest';
import { sharedAsset } from '../../../../test/support/shared-assets.js';
import type { RenderShotRequest } from '../../src/index.js';

/** Tests run from source: rebuild the page bundle (esbuild, well under a second) so it is never stale. */
export function buildPageBundle(): void {
  const script = fileURLToPath(new URL('../../scripts/build-page.mjs', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: 'pipe' });
}

type Quat = [number, number, number, number];

/** A pose file built directly (no baker): the given normalized-bone rotations, everything else at rest. */
export function makePose(
  bones: Partial<Record<VrmHumanBoneName, Quat>> = {},
  extra: Partial<PoseFile> = {},
): PoseFile {
  return {
    format: 'vrm-lora/pose',
    version: 1,
    bones: Object.fromEntries(Object.entries(bones).map(([name, rotation]) => [name, { rotation }])),
    source: {
      kind: 'builtin',
      name: 'builtin:test',
      contentSha256: '0'.repeat(64),
      take: 'test',
      timeSeconds: 0,
      frameRate: 30,
      durationSeconds: 0,
      frameCount: 1,
      bakerVersion: 'test',
    },
    ...extra,
  };
}

/** Quaternion of a rotation about a unit axis. */
export function axisAngle(axis: [number, number, number], degrees: number): Quat {
  const half = (degrees * Math.PI) / 360;
  const s = Math.sin(half);
  return [axis[0] * s, axis[1] * s, axis[2] * s, Math.cos(half)];
}

/** Arms down 70° from the T-pose (a relaxed A-pose), so framing is about the body, not the arm span. */
export const A_POSE = {
  leftUpperArm: axisAngle([0, 0, 1], -70),
  rightUpperArm: axisAngle([0, 0, 1], 70),
} satisfies Partial<Record<VrmHumanBoneName, Quat>>;

/** The left upper arm raised straight up (rotation about +Z: the avatar's left is +X in VRM 1.0 space). */
export const LEFT_ARM_UP: Quat = axisAngle([0, 0, 1], 90);

export interface TestAvatar {
  name: string;
  key: string;
  bytes: Uint8Array;
}

/**
 * The mannequin from `@vrm-lora/mannequin` when it exports `createMannequinVrm`, else the shared
 * Asian_F_1_Casual.vrm; null (with a loud message) when neither is available.
 */
export async function loadTestAvatar(specVersion: '1.0' | '0.x' = '1.0'): Promise<TestAvatar | null> {
  try {
    const mannequin = (await import('@vrm-lora/mannequin')) as Record<string, unknown>;
    const create = mannequin.createMannequinVrm as
      | ((o: { specVersion: '1.0' | '0.x' }) => Promise<Uint8Array>)
      | undefined;
    if (typeof create === 'function') {
      const bytes = await create({ specVersion });
      return { name: `mannequin-${specVersion}`, key: `mannequin-${specVersion}`, bytes };
    }
  } catch {
    // fall through to the shared asset
  }
  const file = sharedAsset('vrm', specVersion === '1.0' ? 'Asian_F_1_Casual.vrm' : 'cryptovoxels.vrm');
  if (!file || !fs.existsSync(file)) {
    process.stderr.write('\n!!! no mannequin and no shared VRM: renderer pixel tests are SKIPPED\n\n');
    return null;
  }
  return { name: path.basename(file), key: path.basename(file), bytes: fs.readFileSync(file) };
}

/** A request with defaults (256×256, front fullShot, no offsets). */
export function makeRequest(
  avatar: TestAvatar,
  overrides: Partial<RenderShotRequest> = {},
): RenderShotRequest {
  return {
    avatar: { key: avatar.key, bytes: avatar.bytes },
    pose: makePose(A_POSE),
    expression: null,
    lookAtCamera: false,
    camera: { position: [0, 0, 1], frame: 'fullShot', localOffset: [0, 0, 0] },
    width: 256,
    height: 256,
    topFrameOffsetPixels: 0,
    bottomFrameOffsetPixels: 0,
    ...overrides,
  };
}

export interface Pixels {
  width: number;
  height: number;
  rgba: Buffer;
}

export async function decodePng(png: Buffer): Promise<Pixels> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  expect(info.channels).toBe(4);
  return { width: info.width, height: info.height, rgba: data };
}

/** Inclusive bounds of alpha > 0, measured independently of the renderer. */
export function alphaBounds(p: Pixels): { left: number; top: number; right: number; bottom: number } | null {
  let left = p.width;
  let right = -1;
  let top = -1;
  let bottom = -1;
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      if (p.rgba[(y * p.width + x) * 4 + 3]! > 0) {
        if (top < 0) top = y;
        bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  return top < 0 ? null : { left, top, right, bottom };
}

/** Projects a world point with the camera recorded in the metadata (independent of three.js). */
export function projectWithMeta(meta: RenderMeta, point: [number, number, number]): { x: number; y: number } {
  const { position, target, up, fovDegrees } = meta.camera;
  const sub = (a: number[], b: number[]) => [a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!];
  const cross = (a: number[], b: number[]) => [
    a[1]! * b[2]! - a[2]! * b[1]!,
    a[2]! * b[0]! - a[0]! * b[2]!,
    a[0]! * b[1]! - a[1]! * b[0]!,
  ];
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const norm = (a: number[]) => {
    const l = Math.hypot(a[0]!, a[1]!, a[2]!);
    return a.map((v) => v / l);
  };
  const forward = norm(sub(target, position));
  const right = norm(cross(forward, up));
  const trueUp = cross(right, forward);
  const rel = sub(point, position);
  const depth = dot(rel, forward);
  const fpx = meta.height / 2 / Math.tan((fovDegrees * Math.PI) / 360);
  return {
    x: meta.width / 2 + (fpx * dot(rel, right)) / depth,
    y: meta.height / 2 - (fpx * dot(rel, trueUp)) / depth,
  };
}

/** Count of pixels whose RGBA differs by more than `tolerance` in any channel, and their bounding box. */
export function diffPixels(a: Pixels, b: Pixels, tolerance = 8) {
  let count = 0;
  let left = a.width;
  let right = -1;
  let top = a.height;
  let bottom = -1;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const i = (y * a.width + x) * 4;
      let differs = false;
      for (let c = 0; c < 4; c++) if (Math.abs(a.rgba[i + c]! - b.rgba[i + c]!) > tolerance) differs = true;
      if (differs) {
        count++;
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return { count, box: count ? { left, top, right, bottom } : null };
}

/**
 * Rewrites a GLB/VRM so its first material's base colour texture comes from an external URL
 * (a VRM may carry such URIs; the render page must never fetch them).
 */
export function withExternalTexture(glb: Uint8Array, url: string): Uint8Array {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const jsonLength = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + jsonLength)));
  const rest = glb.subarray(20 + jsonLength);
  json.images = [...(json.images ?? []), { uri: url }];
  json.textures = [...(json.textures ?? []), { source: json.images.length - 1 }];
  const material = json.materials[0];
  material.pbrMetallicRoughness = {
    ...(material.pbrMetallicRoughness ?? {}),
    baseColorTexture: { index: json.textures.length - 1 },
  };
  let text = JSON.stringify(json);
  while (text.length % 4) text += ' ';
  const jsonBytes = new TextEncoder().encode(text);
  const out = new Uint8Array(20 + jsonBytes.length + rest.length);
  const outView = new DataView(out.buffer);
  out.set(glb.subarray(0, 12));
  outView.setUint32(8, out.length, true);
  outView.setUint32(12, jsonBytes.length, true);
  outView.setUint32(16, 0x4e4f534a, true);
  out.set(jsonBytes, 20);
  out.set(rest, 20 + jsonBytes.length);
  return out;
}
