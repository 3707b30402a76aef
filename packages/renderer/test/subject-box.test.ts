// The subject's box from projected vertices, against three.js's own projection, and the inner-edge rule.
import * as THREE from 'three';
import { describe, expect, test } from 'vitest';
import { boxSize, fullFrameBox, projectSubjectBox, reachesInnerEdge } from '../src/page/subject-box.js';

function cameraAt(position: [number, number, number], target: [number, number, number], aspect = 1) {
  const camera = new THREE.PerspectiveCamera(30, aspect, 0.05, 200);
  camera.position.set(...position);
  camera.lookAt(...target);
  camera.updateMatrixWorld(true);
  camera.updateProjectionMatrix();
  return camera;
}

/** Pixel coordinates of `p` through three.js's projection matrix (x right, y down). */
function threePixel(camera: THREE.PerspectiveCamera, p: THREE.Vector3, width: number, height: number) {
  const ndc = p.clone().project(camera);
  return { x: ((ndc.x + 1) / 2) * width, y: ((1 - ndc.y) / 2) * height };
}

describe('projectSubjectBox', () => {
  test.each([
    [256, 256],
    [1024, 512],
    [300, 700],
  ])('matches three.js projection of the extreme vertices at %i×%i (margin 0)', (width, height) => {
    const camera = cameraAt([0.7, 1.2, 3], [0, 0.9, 0], width / height);
    const random = (seed: number) => () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const rand = random(width + height);
    const points = Array.from(
      { length: 500 },
      () => new THREE.Vector3(rand() - 0.5, rand() * 1.8, rand() * 0.4 - 0.2),
    );
    const vertices = new Float32Array(points.flatMap((p) => [p.x, p.y, p.z]));
    const box = projectSubjectBox(vertices, camera, width, height, 0);
    const pixels = points.map((_, i) =>
      threePixel(camera, new THREE.Vector3().fromArray(vertices, i * 3), width, height),
    );
    const xs = pixels.map((p) => p.x);
    const ys = pixels.map((p) => p.y);
    expect(box).toEqual({
      left: Math.max(0, Math.floor(Math.min(...xs))),
      top: Math.max(0, Math.floor(Math.min(...ys))),
      right: Math.min(width - 1, Math.floor(Math.max(...xs))),
      bottom: Math.min(height - 1, Math.floor(Math.max(...ys))),
    });
  });

  test('grows by the margin and is clipped to the image', () => {
    const camera = cameraAt([0, 1, 3], [0, 1, 0]);
    const vertices = new Float32Array([0, 1, 0, 0.1, 1.1, 0]);
    const tight = projectSubjectBox(vertices, camera, 256, 256, 0)!;
    const grown = projectSubjectBox(vertices, camera, 256, 256, 8)!;
    expect(grown).toEqual({
      left: tight.left - 8,
      top: tight.top - 8,
      right: tight.right + 8,
      bottom: tight.bottom + 8,
    });
    // A subject larger than the view: the whole image.
    const huge = new Float32Array([-50, -50, 0, 50, 50, 0]);
    expect(projectSubjectBox(huge, camera, 256, 256)).toEqual(fullFrameBox(256, 256));
  });

  test('is null when a vertex is behind the near plane or nothing is in view', () => {
    const camera = cameraAt([0, 1, 3], [0, 1, 0]);
    expect(projectSubjectBox(new Float32Array([0, 1, 0, 0, 1, 3.5]), camera, 256, 256)).toBeNull();
    expect(projectSubjectBox(new Float32Array([40, 1, 0, 41, 1, 0]), camera, 256, 256)).toBeNull();
  });
});

describe('reachesInnerEdge', () => {
  const box = { left: 10, top: 20, right: 100, bottom: 200 };
  test('pixels on an inner edge of the box mean the subject may go on beyond it', () => {
    expect(reachesInnerEdge({ left: 11, top: 21, right: 99, bottom: 199 }, box, 256, 256)).toBe(false);
    expect(reachesInnerEdge({ left: 10, top: 21, right: 99, bottom: 199 }, box, 256, 256)).toBe(true);
    expect(reachesInnerEdge({ left: 11, top: 20, right: 99, bottom: 199 }, box, 256, 256)).toBe(true);
    expect(reachesInnerEdge({ left: 11, top: 21, right: 100, bottom: 199 }, box, 256, 256)).toBe(true);
    expect(reachesInnerEdge({ left: 11, top: 21, right: 99, bottom: 200 }, box, 256, 256)).toBe(true);
  });
  test('edges of the image are not inner edges', () => {
    const full = fullFrameBox(256, 256);
    expect(reachesInnerEdge(full, full, 256, 256)).toBe(false);
    expect(boxSize(full)).toEqual({ width: 256, height: 256 });
  });
});
