// Which mesh vertex carries each of the 68 face landmarks: chosen once per avatar, from its rest pose
// (no DOM, no three.js; the page gathers the vertices, see page/face-rig.ts).
import { FACE_TEMPLATE_MM, landmarkMotion, NOSE_TIP_LANDMARK } from './face-template.js';

/** What a vertex is to the choice. */
export const FACE_VERTEX_ROLE = { ignored: 0, candidate: 1, occluderOnly: 2 } as const;

/** The avatar's vertices in the face frame, at rest. */
export interface FaceVertices {
  /**
   * u, v, w triplets in template millimetres (the template's scale: the avatar's eye distance is the
   * template's): u towards the avatar's left, v up, w forward, from the midpoint of the eyes.
   */
  rest: Float32Array;
  /** How far each vertex moves down (mm, −Δv) under the expression at full weight; absent without it. */
  drop: { aa?: Float32Array; blink?: Float32Array };
  /** {@link FACE_VERTEX_ROLE}: candidates (head-skinned surface), occluders only (the eyeballs), ignored. */
  role: Uint8Array;
}

/** Grid cell of the front-view occlusion test, mm. */
const CELL_MM = 2;
/** A vertex counts as seen from the front unless a vertex within one cell is this much nearer, mm. */
const OCCLUSION_TOLERANCE_MM = 3;
/** The nose tip is the frontmost candidate within this distance (front view) of the template's, mm. */
const NOSE_TIP_RADIUS_MM = 12;
/** A landmark farther than this from every candidate (front view) is left out, mm. */
const MAX_DISTANCE_MM = 25;
/** A motion rule is kept only when the expression moves its region at least this much, mm. */
const MIN_REGION_DROP_MM = 1;

/** Whether each vertex is seen from in front of the face: no vertex within a cell is nearer by the tolerance. */
export function frontVisible(vertices: FaceVertices): Uint8Array {
  const { rest, role } = vertices;
  const n = role.length;
  const nearest = new Map<number, number>();
  const key = (cx: number, cy: number) => cx * 100_003 + cy;
  for (let i = 0; i < n; i++) {
    if (role[i] === FACE_VERTEX_ROLE.ignored) continue;
    const k = key(Math.floor(rest[i * 3]! / CELL_MM), Math.floor(rest[i * 3 + 1]! / CELL_MM));
    const w = rest[i * 3 + 2]!;
    if (w > (nearest.get(k) ?? Number.NEGATIVE_INFINITY)) nearest.set(k, w);
  }
  const visible = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (role[i] !== FACE_VERTEX_ROLE.candidate) continue;
    const cx = Math.floor(rest[i * 3]! / CELL_MM);
    const cy = Math.floor(rest[i * 3 + 1]! / CELL_MM);
    let front = Number.NEGATIVE_INFINITY;
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) front = Math.max(front, nearest.get(key(cx + dx, cy + dy)) ?? front);
    visible[i] = rest[i * 3 + 2]! >= front - OCCLUSION_TOLERANCE_MM ? 1 : 0;
  }
  return visible;
}

/** The region (front view, mm) whose largest drop scales an expression's motion rule. */
function inRegion(expression: 'aa' | 'blink', u: number, v: number, landmarkU: number): boolean {
  if (expression === 'aa') return Math.abs(u) < 40 && v < -40 && v > -100;
  return Math.abs(u - landmarkU) < 22 && Math.abs(v) < 20;
}

/** Largest drop of the expression over the visible candidates of the landmark's region, mm (0 without it). */
function regionDrop(vertices: FaceVertices, visible: Uint8Array, expression: 'aa' | 'blink', u0: number) {
  const drop = vertices.drop[expression];
  if (!drop) return 0;
  let max = 0;
  for (let i = 0; i < visible.length; i++) {
    if (!visible[i] || !inRegion(expression, vertices.rest[i * 3]!, vertices.rest[i * 3 + 1]!, u0)) continue;
    max = Math.max(max, drop[i]!);
  }
  return max;
}

/** The visible candidate nearest the landmark in the front view that passes `accept`; −1 if none near. */
function nearestVertex(
  vertices: FaceVertices,
  visible: Uint8Array,
  i: number,
  accept: (v: number) => boolean,
) {
  const [u0, v0] = FACE_TEMPLATE_MM[i]!;
  const { rest } = vertices;
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let k = 0; k < visible.length; k++) {
    if (!visible[k] || !accept(k)) continue;
    const d2 = (rest[k * 3]! - u0) ** 2 + (rest[k * 3 + 1]! - v0) ** 2;
    // The nose tip: the frontmost vertex near it.
    const score = i === NOSE_TIP_LANDMARK ? (d2 < NOSE_TIP_RADIUS_MM ** 2 ? -rest[k * 3 + 2]! : 1e9) : d2;
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  }
  if (best < 0) return -1;
  const d = Math.hypot(rest[best * 3]! - u0, rest[best * 3 + 1]! - v0);
  return d <= MAX_DISTANCE_MM ? best : -1;
}

/**
 * For each of the 68 landmarks, the index of the vertex that carries it (−1: none near): the visible vertex
 * nearest the template point in the front view; the nose tip the frontmost near it; the lips and lids must
 * move as such under "aa" / "blink" (the lower lip drops, the upper stays) when the avatar has them.
 */
export function chooseFaceVertices(vertices: FaceVertices): Int32Array {
  const visible = frontVisible(vertices);
  const chosen = new Int32Array(FACE_TEMPLATE_MM.length).fill(-1);
  for (let i = 0; i < FACE_TEMPLATE_MM.length; i++) {
    const motion = landmarkMotion(i);
    const drop = motion ? vertices.drop[motion.expression] : undefined;
    const max =
      motion && drop ? regionDrop(vertices, visible, motion.expression, FACE_TEMPLATE_MM[i]![0]) : 0;
    if (motion && drop && max >= MIN_REGION_DROP_MM) {
      const accept =
        motion.rule === 'drops' ? (k: number) => drop[k]! >= 0.4 * max : (k: number) => drop[k]! < 0.25 * max;
      chosen[i] = nearestVertex(vertices, visible, i, accept);
      if (chosen[i]! >= 0) continue;
    }
    chosen[i] = nearestVertex(vertices, visible, i, () => true);
  }
  return chosen;
}

/** At least this many of the 68 landmarks must find a vertex for the avatar to count as having a face. */
const MIN_LANDMARKS_FOUND = 60;
/** The chosen vertices' median distance (front view) from their template points must be at most this, mm. */
const MAX_MEDIAN_DISTANCE_MM = 6;
/** The nose tip must stand at least this far in front of the eye corners (36, 39, 42, 45), mm. */
const MIN_NOSE_RELIEF_MM = 8;

/**
 * Why the chosen vertices are no face (null when they are one): too few landmarks found, the mesh far from the
 * template where they were (a faceless egg head, a robot's boxes), or no nose standing out. A face detector finds
 * nothing on such a head, so no face points are drawn for it. Measured: Asian_F_1_Casual 68 found, median 1.4 mm,
 * nose 32 mm; the mannequin 68, 3.1 mm, 20 mm; cryptovoxels (egg head) 61, 13.0 mm, no nose; debug_robot 53,
 * 11.7 mm.
 */
export function faceFitProblem(vertices: FaceVertices, chosen: Int32Array): string | null {
  const distances: number[] = [];
  for (let i = 0; i < chosen.length; i++) {
    const k = chosen[i]!;
    if (k < 0) continue;
    const [u0, v0] = FACE_TEMPLATE_MM[i]!;
    distances.push(Math.hypot(vertices.rest[k * 3]! - u0, vertices.rest[k * 3 + 1]! - v0));
  }
  if (distances.length < MIN_LANDMARKS_FOUND)
    return `${distances.length} of 68 face landmarks found a vertex (at least ${MIN_LANDMARKS_FOUND} needed)`;
  distances.sort((a, b) => a - b);
  const median = distances[Math.floor(distances.length / 2)]!;
  if (median > MAX_MEDIAN_DISTANCE_MM)
    return `the head's mesh is ${median.toFixed(1)} mm (median) from a face's landmarks (at most ${MAX_MEDIAN_DISTANCE_MM})`;
  const depth = (i: number) => (chosen[i]! >= 0 ? vertices.rest[chosen[i]! * 3 + 2]! : Number.NaN);
  const relief = depth(NOSE_TIP_LANDMARK) - (depth(36) + depth(39) + depth(42) + depth(45)) / 4;
  if (!(relief >= MIN_NOSE_RELIEF_MM))
    return `no nose stands out of the face (${Number.isNaN(relief) ? 'no eye corners' : `${relief.toFixed(1)} mm`}; at least ${MIN_NOSE_RELIEF_MM})`;
  return null;
}
