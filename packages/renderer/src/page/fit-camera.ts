// Framing maths: place a camera of fixed orientation and field of view so that the projected, posed
// vertices land on requested pixel rows/columns. Pure three.js maths, no DOM (unit-testable in Node).
import * as THREE from 'three';

/**
 * Where the subject should land, in continuous pixel coordinates (x right, y down, pixel row r spans
 * [r, r+1)). `bottomY` is used by fullShots only; partial shots put the cut line on the bottom edge.
 */
export interface FitTargets {
  width: number;
  height: number;
  topY: number;
  bottomY: number;
  leftX: number;
  rightX: number;
  /** Width mode only: continuous y where the subject's vertical centre lands. Default height / 2. */
  centreY?: number;
}

export interface FitResult {
  /** height: top and bottom fitted; width: left/right fitted and centred vertically; cut: top + cut line. */
  mode: 'height' | 'width' | 'cut';
  iterations: number;
  /** The point straight ahead of the camera at the subject's depth (world). */
  target: THREE.Vector3;
  /** The cut line did not lie below the head from this direction; the caller should frame a fullShot. */
  fallbackToFull: boolean;
}

/** Default continuous targets for pixel offsets (see `FitTargets`). */
export function makeFitTargets(
  width: number,
  height: number,
  topOffsetPx: number,
  bottomOffsetPx: number,
  sideOffsetPx: number,
): FitTargets {
  return {
    width,
    height,
    topY: topOffsetPx + 0.5,
    bottomY: height - bottomOffsetPx - 0.5,
    leftX: sideOffsetPx + 0.5,
    rightX: width - sideOffsetPx - 0.5,
  };
}

const MIN_DEPTH = 1e-3;

function minZOf(zs: Float64Array): number {
  let min = Number.POSITIVE_INFINITY;
  for (const z of zs) if (z < min) min = z;
  return min;
}

/**
 * Moves `camera` (orientation and fov kept) so that the vertices (world xyz triplets) project onto
 * `targets`. With `cut` (a world point) the top lands on `targets.topY` and the cut point on the image's
 * bottom edge; without it the whole body fits between top and bottom, or between left and right when it
 * is too wide. Iterates a planar model of the perspective until it is exact to 0.01 px.
 */
export function fitCamera(
  vertices: Float32Array,
  cut: { point: THREE.Vector3; axisTop: THREE.Vector3 } | null,
  camera: THREE.PerspectiveCamera,
  targets: FitTargets,
  forceMode?: 'height' | 'width',
): FitResult {
  const { width, height } = targets;
  const inverse = camera.quaternion.clone().invert();
  const n = vertices.length / 3;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const zs = new Float64Array(n);
  const v = new THREE.Vector3();
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let maxZ = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    v.set(vertices[i * 3]!, vertices[i * 3 + 1]!, vertices[i * 3 + 2]!).applyQuaternion(inverse);
    xs[i] = v.x;
    ys[i] = v.y;
    zs[i] = v.z;
    if (v.x < minX) minX = v.x;
    if (v.x > maxX) maxX = v.x;
    if (v.y < minY) minY = v.y;
    if (v.y > maxY) maxY = v.y;
    if (v.z > maxZ) maxZ = v.z;
  }
  const c0 = cut ? cut.point.clone().applyQuaternion(inverse) : null;
  // Partial shots are centred on the body's axis (head to cut point), not on outstretched limbs.
  const h0 = cut ? cut.axisTop.clone().applyQuaternion(inverse) : null;
  const tanHalf = Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
  const fpx = height / 2 / tanHalf;
  const span = Math.max(maxY - minY, ((maxX - minX) * height) / width, 1e-3);
  // Camera coordinates (a, b, c) in the camera-aligned frame; depth of a vertex is c - z.
  let a = (minX + maxX) / 2;
  let b = (minY + maxY) / 2;
  let c = maxZ + (span / 2 / tanHalf) * 1.5 + 0.1;
  let mode: FitResult['mode'] = c0 ? 'cut' : (forceMode ?? 'height');
  let iterations = 0;
  let fallbackToFull = false;
  // A cut line must lie clearly below the head in this view (not so from straight above or below).
  if (c0 && h0 && !(h0.y - c0.y > 0.03 * (maxY - minY))) fallbackToFull = true;
  // A fullShot camera stays outside the subject's depth range, so every vertex is in front of it.
  const minC = c0 ? Number.NEGATIVE_INFINITY : maxZ + 0.05;

  // Extreme vertices for the current camera (a, b, c).
  const extremes = () => {
    const e = {
      top: -1,
      bottom: -1,
      left: -1,
      right: -1,
      topY: Number.POSITIVE_INFINITY,
      bottomY: Number.NEGATIVE_INFINITY,
      leftX: Number.POSITIVE_INFINITY,
      rightX: Number.NEGATIVE_INFINITY,
    };
    for (let i = 0; i < n; i++) {
      const depth = c - zs[i]!;
      if (depth < MIN_DEPTH) continue;
      const py = height / 2 - (fpx * (ys[i]! - b)) / depth;
      const px = width / 2 + (fpx * (xs[i]! - a)) / depth;
      // In a partial shot only what lands inside the frame counts for the top.
      if (c0 && (px < 0 || px > width)) continue;
      if (py < e.topY) {
        e.topY = py;
        e.top = i;
      }
      if (py > e.bottomY) {
        e.bottomY = py;
        e.bottom = i;
      }
      if (px < e.leftX) {
        e.leftX = px;
        e.left = i;
      }
      if (px > e.rightX) {
        e.rightX = px;
        e.right = i;
      }
    }
    return e;
  };
  // Solves (offset, c) so that point 1 lands at pixel p1 and point 2 at p2 along one image axis:
  // (u - offset) = k (c - z) with k = (p - centre)/fpx (sign per axis): two equations, two unknowns.
  const solvePair = (u1: number, z1: number, k1: number, u2: number, z2: number, k2: number) => {
    if (Math.abs(k1 - k2) < 1e-12) return null;
    const cc = (u1 + k1 * z1 - (u2 + k2 * z2)) / (k1 - k2);
    return { offset: u1 + k1 * z1 - k1 * cc, c: cc };
  };
  // Offset that centres two points (depths at the current c) on the image centre along one axis.
  // (u1 - o)/d1 + (u2 - o)/d2 = m, where m = 0 centres on the image centre.
  const centreOffset = (u1: number, z1: number, u2: number, z2: number, m = 0) => {
    const d1 = Math.max(c - z1, MIN_DEPTH);
    const d2 = Math.max(c - z2, MIN_DEPTH);
    return (u1 / d1 + u2 / d2 - m) / (1 / d1 + 1 / d2);
  };
  const mCentreY = (height - 2 * (targets.centreY ?? height / 2)) / fpx;

  // Iterates exact two-point solves; the extreme vertices are re-identified after each step.
  const run = (runMode: FitResult['mode']) => {
    for (let step = 0; step < 40; step++, iterations++) {
      const e = extremes();
      if (e.top < 0) return;
      const before = { a, b, c };
      const kTop = (height / 2 - targets.topY) / fpx;
      if (runMode === 'cut' && c0 && h0) {
        const solved = solvePair(ys[e.top]!, zs[e.top]!, kTop, c0.y, c0.z, (height / 2 - height) / fpx);
        if (!solved) return;
        b = solved.offset;
        c = solved.c;
        a = centreOffset(h0.x, h0.z, c0.x, c0.z);
      } else if (runMode === 'height') {
        const kBottom = (height / 2 - targets.bottomY) / fpx;
        const solved = solvePair(ys[e.top]!, zs[e.top]!, kTop, ys[e.bottom]!, zs[e.bottom]!, kBottom);
        if (!solved) return;
        b = solved.offset;
        c = Math.max(solved.c, minC);
        const e2 = extremes();
        a = centreOffset(xs[e2.left]!, zs[e2.left]!, xs[e2.right]!, zs[e2.right]!);
      } else {
        const kLeft = (targets.leftX - width / 2) / fpx;
        const kRight = (targets.rightX - width / 2) / fpx;
        const solved = solvePair(xs[e.left]!, zs[e.left]!, kLeft, xs[e.right]!, zs[e.right]!, kRight);
        if (!solved) return;
        a = solved.offset;
        c = Math.max(solved.c, minC);
        const e2 = extremes();
        b = centreOffset(ys[e2.top]!, zs[e2.top]!, ys[e2.bottom]!, zs[e2.bottom]!, mCentreY);
      }
      const moved = Math.max(Math.abs(a - before.a), Math.abs(b - before.b), Math.abs(c - before.c));
      if (moved < 1e-8) return;
    }
  };
  if (!fallbackToFull) {
    if (c0 && h0) mode = 'cut';
    else if (forceMode) mode = forceMode;
    else {
      run('height');
      const e = extremes();
      // Too wide for the height: fit the width instead, centred vertically.
      mode = e.rightX - e.leftX > targets.rightX - targets.leftX + 0.01 ? 'width' : 'height';
    }
    run(mode);
  }
  const zr = c - (c0 && h0 ? (c0.z + h0.z) / 2 : (maxZ + minZOf(zs)) / 2);

  if (fallbackToFull)
    return { ...fitCamera(vertices, null, camera, targets, forceMode), fallbackToFull: true };
  const position = new THREE.Vector3(a, b, c).applyQuaternion(camera.quaternion);
  camera.position.copy(position);
  let maxDepth = 0;
  for (let i = 0; i < n; i++) maxDepth = Math.max(maxDepth, c - zs[i]!);
  camera.near = 0.02;
  camera.far = Math.max(100, maxDepth * 4);
  camera.updateProjectionMatrix();
  camera.updateMatrixWorld(true);
  const target = new THREE.Vector3(a, b, c - zr).applyQuaternion(camera.quaternion);
  return { mode, iterations, target, fallbackToFull: false };
}
