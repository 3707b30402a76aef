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

/** The vertices in the camera's own frame (x right, y up, z backward), their extent, and the cut axis there. */
interface AlignedSubject {
  n: number;
  xs: Float64Array;
  ys: Float64Array;
  zs: Float64Array;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  maxZ: number;
  /** The cut point (`point`) and the top of the body's axis (`top`) in this frame; null for a fullShot. */
  cut: { point: THREE.Vector3; top: THREE.Vector3 } | null;
}

/** Turns world vertices (and the cut axis) into the camera-aligned frame of `orientation`. */
function alignToCamera(
  vertices: Float32Array,
  cut: { point: THREE.Vector3; axisTop: THREE.Vector3 } | null,
  orientation: THREE.Quaternion,
): AlignedSubject {
  const inverse = orientation.clone().invert();
  const n = vertices.length / 3;
  const s: AlignedSubject = {
    n,
    xs: new Float64Array(n),
    ys: new Float64Array(n),
    zs: new Float64Array(n),
    minX: Number.POSITIVE_INFINITY,
    maxX: Number.NEGATIVE_INFINITY,
    minY: Number.POSITIVE_INFINITY,
    maxY: Number.NEGATIVE_INFINITY,
    maxZ: Number.NEGATIVE_INFINITY,
    // Partial shots are centred on the body's axis (head to cut point), not on outstretched limbs.
    cut: cut
      ? {
          point: cut.point.clone().applyQuaternion(inverse),
          top: cut.axisTop.clone().applyQuaternion(inverse),
        }
      : null,
  };
  const v = new THREE.Vector3();
  for (let i = 0; i < n; i++) {
    v.set(vertices[i * 3]!, vertices[i * 3 + 1]!, vertices[i * 3 + 2]!).applyQuaternion(inverse);
    s.xs[i] = v.x;
    s.ys[i] = v.y;
    s.zs[i] = v.z;
    if (v.x < s.minX) s.minX = v.x;
    if (v.x > s.maxX) s.maxX = v.x;
    if (v.y < s.minY) s.minY = v.y;
    if (v.y > s.maxY) s.maxY = v.y;
    if (v.z > s.maxZ) s.maxZ = v.z;
  }
  return s;
}

/**
 * Solves (offset, c) so that point 1 lands at pixel p1 and point 2 at p2 along one image axis:
 * (u - offset) = k (c - z) with k = (p - centre)/fpx (sign per axis): two equations, two unknowns.
 */
function solvePair(u1: number, z1: number, k1: number, u2: number, z2: number, k2: number) {
  if (Math.abs(k1 - k2) < 1e-12) return null;
  const cc = (u1 + k1 * z1 - (u2 + k2 * z2)) / (k1 - k2);
  return { offset: u1 + k1 * z1 - k1 * cc, c: cc };
}

/** The extreme projected vertices (indices, −1 when none) and their pixel coordinates. */
interface Extremes {
  top: number;
  bottom: number;
  left: number;
  right: number;
  topY: number;
  bottomY: number;
  leftX: number;
  rightX: number;
}

/**
 * The camera being solved for: its position (a, b, c) in the camera-aligned frame (depth of a vertex is
 * c − z), moved by exact two-point solves; the extreme vertices are re-identified after each step.
 */
class CameraSolver {
  a: number;
  b: number;
  c: number;
  iterations = 0;
  private readonly s: AlignedSubject;
  private readonly targets: FitTargets;
  private readonly fpx: number;
  /** A fullShot camera stays outside the subject's depth range, so every vertex is in front of it. */
  private readonly minC: number;
  private readonly mCentreY: number;

  constructor(s: AlignedSubject, targets: FitTargets, fovDegrees: number) {
    const { width, height } = targets;
    this.s = s;
    this.targets = targets;
    const tanHalf = Math.tan(THREE.MathUtils.degToRad(fovDegrees) / 2);
    this.fpx = height / 2 / tanHalf;
    const span = Math.max(s.maxY - s.minY, ((s.maxX - s.minX) * height) / width, 1e-3);
    this.a = (s.minX + s.maxX) / 2;
    this.b = (s.minY + s.maxY) / 2;
    this.c = s.maxZ + (span / 2 / tanHalf) * 1.5 + 0.1;
    this.minC = s.cut ? Number.NEGATIVE_INFINITY : s.maxZ + 0.05;
    this.mCentreY = (height - 2 * (targets.centreY ?? height / 2)) / this.fpx;
  }

  /** Extreme vertices for the current camera (a, b, c). */
  extremes(): Extremes {
    const { s, fpx, a, b, c } = this;
    const { width, height } = this.targets;
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
    for (let i = 0; i < s.n; i++) {
      const depth = c - s.zs[i]!;
      if (depth < MIN_DEPTH) continue;
      const py = height / 2 - (fpx * (s.ys[i]! - b)) / depth;
      const px = width / 2 + (fpx * (s.xs[i]! - a)) / depth;
      // In a partial shot only what lands inside the frame counts for the top.
      if (s.cut && (px < 0 || px > width)) continue;
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
  }

  /** Iterates {@link step} until the camera stops moving (40 steps at most). */
  run(mode: FitResult['mode']): void {
    for (let step = 0; step < 40; step++, this.iterations++) {
      if (!this.step(mode)) return;
    }
  }

  /** The mode of a fullShot: `height`, or `width` when the subject is too wide once fitted to the height. */
  chooseFullShotMode(): 'height' | 'width' {
    this.run('height');
    const e = this.extremes();
    const { targets } = this;
    // Too wide for the height: fit the width instead, centred vertically.
    return e.rightX - e.leftX > targets.rightX - targets.leftX + 0.01 ? 'width' : 'height';
  }

  /** One exact two-point solve; false when it cannot solve or the camera no longer moves. */
  private step(mode: FitResult['mode']): boolean {
    const { s, fpx, targets } = this;
    const { width, height } = targets;
    const e = this.extremes();
    if (e.top < 0) return false;
    const before = { a: this.a, b: this.b, c: this.c };
    const kTop = (height / 2 - targets.topY) / fpx;
    if (mode === 'cut' && s.cut) {
      const { point, top } = s.cut;
      const solved = solvePair(
        s.ys[e.top]!,
        s.zs[e.top]!,
        kTop,
        point.y,
        point.z,
        (height / 2 - height) / fpx,
      );
      if (!solved) return false;
      this.b = solved.offset;
      this.c = solved.c;
      this.a = this.centreOffset(top.x, top.z, point.x, point.z);
    } else if (mode === 'height') {
      const kBottom = (height / 2 - targets.bottomY) / fpx;
      const solved = solvePair(s.ys[e.top]!, s.zs[e.top]!, kTop, s.ys[e.bottom]!, s.zs[e.bottom]!, kBottom);
      if (!solved) return false;
      this.b = solved.offset;
      this.c = Math.max(solved.c, this.minC);
      const e2 = this.extremes();
      this.a = this.centreOffset(s.xs[e2.left]!, s.zs[e2.left]!, s.xs[e2.right]!, s.zs[e2.right]!);
    } else {
      const kLeft = (targets.leftX - width / 2) / fpx;
      const kRight = (targets.rightX - width / 2) / fpx;
      const solved = solvePair(s.xs[e.left]!, s.zs[e.left]!, kLeft, s.xs[e.right]!, s.zs[e.right]!, kRight);
      if (!solved) return false;
      this.a = solved.offset;
      this.c = Math.max(solved.c, this.minC);
      const e2 = this.extremes();
      this.b = this.centreOffset(
        s.ys[e2.top]!,
        s.zs[e2.top]!,
        s.ys[e2.bottom]!,
        s.zs[e2.bottom]!,
        this.mCentreY,
      );
    }
    const moved = Math.max(
      Math.abs(this.a - before.a),
      Math.abs(this.b - before.b),
      Math.abs(this.c - before.c),
    );
    return !(moved < 1e-8);
  }

  /**
   * Offset that centres two points (depths at the current c) on the image centre along one axis:
   * (u1 - o)/d1 + (u2 - o)/d2 = m, where m = 0 centres on the image centre.
   */
  private centreOffset(u1: number, z1: number, u2: number, z2: number, m = 0): number {
    const d1 = Math.max(this.c - z1, MIN_DEPTH);
    const d2 = Math.max(this.c - z2, MIN_DEPTH);
    return (u1 / d1 + u2 / d2 - m) / (1 / d1 + 1 / d2);
  }
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
  const s = alignToCamera(vertices, cut, camera.quaternion);
  // A cut line must lie clearly below the head in this view (not so from straight above or below).
  if (s.cut && !(s.cut.top.y - s.cut.point.y > 0.03 * (s.maxY - s.minY))) {
    return { ...fitCamera(vertices, null, camera, targets, forceMode), fallbackToFull: true };
  }
  const solver = new CameraSolver(s, targets, camera.fov);
  const mode: FitResult['mode'] = s.cut ? 'cut' : (forceMode ?? solver.chooseFullShotMode());
  solver.run(mode);
  const { a, b, c } = solver;
  const zr = c - (s.cut ? (s.cut.point.z + s.cut.top.z) / 2 : (s.maxZ + minZOf(s.zs)) / 2);
  camera.position.copy(new THREE.Vector3(a, b, c).applyQuaternion(camera.quaternion));
  let maxDepth = 0;
  for (let i = 0; i < s.n; i++) maxDepth = Math.max(maxDepth, c - s.zs[i]!);
  Object.assign(camera, shotPlanes(maxDepth));
  camera.updateProjectionMatrix();
  camera.updateMatrixWorld(true);
  const target = new THREE.Vector3(a, b, c - zr).applyQuaternion(camera.quaternion);
  return { mode, iterations: solver.iterations, target, fallbackToFull: false };
}

/**
 * The near and far planes a shot is drawn with, from the depth (metres) of its farthest vertex: the maps of the
 * shot are drawn with the same ones (draw-maps.ts), whatever the page drew before.
 */
export function shotPlanes(maxDepthMetres: number): { near: number; far: number } {
  return { near: 0.02, far: Math.max(100, maxDepthMetres * 4) };
}
