// The framing maths in Node: the fitted camera puts the projected extreme vertices on the targets.
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { fitCamera, makeFitTargets } from '../src/page/fit-camera.js';

/** A box of vertices: x ±halfWidth, y 0..height, z ±0.1 (metres). */
function box(halfWidth: number, height: number): Float32Array {
  const v: number[] = [];
  for (const x of [-halfWidth, halfWidth])
    for (const y of [0, height]) for (const z of [-0.1, 0.1]) v.push(x, y, z);
  return new Float32Array(v);
}

function frontCamera(width: number, height: number): THREE.PerspectiveCamera {
  const camera = new THREE.PerspectiveCamera(30, width / height, 0.05, 200);
  camera.lookAt(0, 0, -1);
  camera.updateMatrixWorld(true);
  return camera;
}

/** Continuous pixel coordinates (x right, y down) of the vertices' extremes through `camera`. */
function projectedExtent(
  vertices: Float32Array,
  camera: THREE.PerspectiveCamera,
  width: number,
  height: number,
) {
  const e = { top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity };
  const v = new THREE.Vector3();
  for (let i = 0; i < vertices.length; i += 3) {
    v.set(vertices[i]!, vertices[i + 1]!, vertices[i + 2]!).project(camera);
    const x = ((v.x + 1) / 2) * width;
    const y = ((1 - v.y) / 2) * height;
    e.top = Math.min(e.top, y);
    e.bottom = Math.max(e.bottom, y);
    e.left = Math.min(e.left, x);
    e.right = Math.max(e.right, x);
  }
  return e;
}

describe('fitCamera', () => {
  it('a tall subject: top and bottom land on their targets (height mode)', () => {
    const vertices = box(0.25, 1.7);
    const camera = frontCamera(512, 512);
    const targets = makeFitTargets(512, 512, 20, 30, 25);
    const fit = fitCamera(vertices, null, camera, targets);
    expect(fit.mode).toBe('height');
    const e = projectedExtent(vertices, camera, 512, 512);
    expect(e.top).toBeCloseTo(targets.topY, 2);
    expect(e.bottom).toBeCloseTo(targets.bottomY, 2);
  });

  it('a subject too wide for the height: left and right land on their targets (width mode)', () => {
    const vertices = box(1.5, 0.5);
    const camera = frontCamera(512, 512);
    const targets = makeFitTargets(512, 512, 20, 30, 25);
    const fit = fitCamera(vertices, null, camera, targets);
    expect(fit.mode).toBe('width');
    const e = projectedExtent(vertices, camera, 512, 512);
    expect(e.left).toBeCloseTo(targets.leftX, 2);
    expect(e.right).toBeCloseTo(targets.rightX, 2);
  });

  it('a cut point below the head lands on the bottom edge; one not below it falls back to a fullShot', () => {
    const vertices = box(0.25, 1.7);
    const camera = frontCamera(512, 512);
    const targets = makeFitTargets(512, 512, 20, 0, 10);
    const cut = { point: new THREE.Vector3(0, 0.9, 0), axisTop: new THREE.Vector3(0, 1.6, 0) };
    const fit = fitCamera(vertices, cut, camera, targets);
    expect(fit.mode).toBe('cut');
    const p = cut.point.clone().project(camera);
    expect(((1 - p.y) / 2) * 512).toBeCloseTo(512, 2);
    const above = { point: new THREE.Vector3(0, 1.65, 0), axisTop: new THREE.Vector3(0, 1.6, 0) };
    expect(fitCamera(vertices, above, frontCamera(512, 512), targets).fallbackToFull).toBe(true);
  });
});
