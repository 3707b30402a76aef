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

function axisCentreX(
  p: THREE.Vector3,
  q: THREE.Vector3,
  a: number,
  c: number,
  fpx: number,
  width: number,
): number {
  const x1 = width / 2 + (fpx * (p.x - a)) / Math.max(c - p.z, MIN_DEPTH);
  const x2 = width / 2 + (fpx * (q.x - a)) / Math.max(c - q.z, MIN_DEPTH);
  return (x1 + x2) / 2;
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
  let zr = c - maxZ;
  let iterations = 0;
  let fallbackToFull = false;

  // A cut line must lie clearly below the head in this view (not so from straight above or below).
  if (c0 && h0 && !(h0.y - c0.y > 0.03 * (maxY - minY))) fallbackToFull = true;

  for (; iterations < 60 && !fallbackToFull; iterations++) {
    let top = Number.POSITIVE_INFINITY;
    let bottom = Number.NEGATIVE_INFINITY;
    let left = Number.POSITIVE_INFINITY;
    let right = Number.NEGATIVE_INFINITY;
    let zTop = 0;
    let zBottom = 0;
    let zLeft = 0;
    let zRight = 0;
    const cutY = c0 ? height / 2 - (fpx * (c0.y - b)) / Math.max(c - c0.z, MIN_DEPTH) : 0;
    for (let i = 0; i < n; i++) {
      const depth = c - zs[i]!;
      if (depth < MIN_DEPTH) continue;
      const py = height / 2 - (fpx * (ys[i]! - b)) / depth;
      const px = width / 2 + (fpx * (xs[i]! - a)) / depth;
      if (c0) {
        // Only what lands inside the frame counts for a partial shot's top.
        if (px < 0 || px > width) continue;
        if (py < top) {
          top = py;
          zTop = depth;
        }
        continue;
      }
      if (py < top) {
        top = py;
        zTop = depth;
      }
      if (py > bottom) {
        bottom = py;
        zBottom = depth;
      }
      if (px < left) {
        left = px;
        zLeft = depth;
      }
      if (px > right) {
        right = px;
        zRight = depth;
      }
    }
    let scale: number;
    let centreY: number;
    let wantCentreY: number;
    let depthRef: number;
    if (c0) {
      const cutDepth = Math.max(c - c0.z, MIN_DEPTH);
      const h = cutY - top;
      scale = h / (height - targets.topY);
      centreY = (top + cutY) / 2;
      wantCentreY = (targets.topY + height) / 2;
      depthRef = (zTop + cutDepth) / 2;
    } else {
      const ratioH = (bottom - top) / (targets.bottomY - targets.topY);
      const ratioW = (right - left) / (targets.rightX - targets.leftX);
      mode = forceMode ?? (ratioW > ratioH ? 'width' : 'height');
      if (mode === 'height') {
        scale = ratioH;
        centreY = (top + bottom) / 2;
        wantCentreY = (targets.topY + targets.bottomY) / 2;
        depthRef = (zTop + zBottom) / 2;
      } else {
        scale = ratioW;
        centreY = (top + bottom) / 2;
        wantCentreY = height / 2;
        depthRef = (zLeft + zRight) / 2;
      }
    }
    const centreX = c0 && h0 ? axisCentreX(c0, h0, a, c, fpx, width) : (left + right) / 2;
    const wantCentreX = mode === 'width' ? (targets.leftX + targets.rightX) / 2 : width / 2;
    const newDepth = depthRef * scale;
    // Planar model: the centre point keeps its world position, the camera moves to put it where wanted.
    a = a + ((centreX - width / 2) * depthRef) / fpx - ((wantCentreX - width / 2) * newDepth) / fpx;
    b = b - ((centreY - height / 2) * depthRef) / fpx + ((wantCentreY - height / 2) * newDepth) / fpx;
    c = c + depthRef * (scale - 1);
    zr = newDepth;
    const errorPx = Math.max(
      Math.abs(scale - 1) * height,
      Math.abs(centreY - wantCentreY),
      Math.abs(centreX - wantCentreX),
    );
    if (errorPx < 0.005) break;
  }

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
