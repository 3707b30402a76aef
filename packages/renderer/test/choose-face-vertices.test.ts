// The vertex choice of the face landmarks, on synthetic vertices.
import { describe, expect, test } from 'vitest';
import {
  chooseFaceVertices,
  FACE_VERTEX_ROLE,
  faceFitProblem,
  frontVisible,
} from '../src/choose-face-vertices.js';
import { FACE_TEMPLATE_MM } from '../src/face-template.js';

/** A flat face (w = 0) of candidates on a 1 mm grid, plus extra vertices. */
function flatFace(extra: [number, number, number, number][] = []) {
  const points: [number, number, number, number][] = [];
  for (let u = -80; u <= 80; u += 1) for (let v = -120; v <= 60; v += 1) points.push([u, v, 0, 1]);
  points.push(...extra);
  const rest = new Float32Array(points.flatMap(([u, v, w]) => [u, v, w]));
  const role = Uint8Array.from(points.map((p) => p[3]));
  return { rest, role, drop: {} as { aa?: Float32Array } };
}

describe('chooseFaceVertices', () => {
  test('each landmark takes the visible vertex nearest its template point in the front view', () => {
    const face = flatFace();
    const chosen = chooseFaceVertices(face);
    for (const [i, [u, v]] of FACE_TEMPLATE_MM.entries()) {
      if (i === 30) continue; // the nose tip: the frontmost (all tie on a flat face)
      const k = chosen[i]!;
      expect(Math.hypot(face.rest[k * 3]! - u, face.rest[k * 3 + 1]! - v), `landmark ${i}`).toBeLessThan(
        0.75,
      );
    }
  });

  test('a vertex behind an occluder (an eyeball) is not seen; the nose tip is the frontmost near it', () => {
    const [u, v] = FACE_TEMPLATE_MM[30]!;
    const face = flatFace([
      [0.4, 0.4, 10, FACE_VERTEX_ROLE.occluderOnly],
      [u + 3, v + 2, 20, FACE_VERTEX_ROLE.candidate],
    ]);
    const visible = frontVisible(face);
    const behind = (0 + 80) * 181 + (0 + 120); // the grid vertex at (0, 0)
    expect(face.rest[behind * 3]).toBe(0);
    expect(face.rest[behind * 3 + 1]).toBe(0);
    expect(visible[behind]).toBe(0);
    expect(visible[behind + 181 * 5]).toBe(1);
    expect(chooseFaceVertices(face)[30]).toBe(face.role.length - 1);
  });

  test('where the lips touch, the lower lip takes the vertex "aa" drops, the upper lip the one it leaves', () => {
    const [u62, v62] = FACE_TEMPLATE_MM[62]!;
    const [u66, v66] = FACE_TEMPLATE_MM[66]!;
    const face = flatFace();
    const n = face.role.length;
    const drop = new Float32Array(n);
    // The lower lip: every vertex below the line midway between 62 and 66 drops 10 mm.
    for (let k = 0; k < n; k++) if (face.rest[k * 3 + 1]! < (v62 + v66) / 2 + 2) drop[k] = 10;
    face.drop.aa = drop;
    const chosen = chooseFaceVertices(face);
    expect(drop[chosen[66]!]).toBe(10);
    expect(drop[chosen[62]!]).toBe(0);
    expect(Math.abs(face.rest[chosen[62]! * 3]! - u62)).toBeLessThan(1);
    expect(Math.abs(face.rest[chosen[66]! * 3]! - u66)).toBeLessThan(1);
  });
});

describe('faceFitProblem', () => {
  /** A flat face of candidates with a nose raised `noseMm` at the template's nose tip. */
  function faceWithNose(noseMm: number) {
    const [u, v] = FACE_TEMPLATE_MM[30]!;
    return flatFace([[u, v, noseMm, FACE_VERTEX_ROLE.candidate]]);
  }

  test('a face: the mesh under every landmark and a nose standing out', () => {
    const face = faceWithNose(20);
    expect(faceFitProblem(face, chooseFaceVertices(face))).toBeNull();
  });

  test('no nose standing out (an egg-smooth head) is no face', () => {
    const face = faceWithNose(3);
    expect(faceFitProblem(face, chooseFaceVertices(face))).toBe(
      'no nose stands out of the face (3.0 mm; at least 8)',
    );
  });

  test('a sparse mesh far from the landmarks (a robot of boxes) is no face', () => {
    const points: number[] = [];
    for (let u = -80; u <= 80; u += 20) for (let v = -120; v <= 60; v += 20) points.push(u, v, 0);
    const sparse = {
      rest: new Float32Array(points),
      role: new Uint8Array(points.length / 3).fill(FACE_VERTEX_ROLE.candidate),
      drop: {},
    };
    expect(faceFitProblem(sparse, chooseFaceVertices(sparse))).toMatch(
      /^the head's mesh is \d+\.\d mm \(median\) from a face's landmarks \(at most 6\)$/,
    );
  });

  test('too few landmarks near any vertex is no face', () => {
    const tiny = {
      rest: new Float32Array([0, 0, 0]),
      role: Uint8Array.of(FACE_VERTEX_ROLE.candidate),
      drop: {},
    };
    expect(faceFitProblem(tiny, chooseFaceVertices(tiny))).toMatch(
      /^\d+ of 68 face landmarks found a vertex/,
    );
  });
});
