import type { Influence } from './mesh-builder.js';
import { addVec3, crossVec3, dotVec3, normalizeVec3, scaleVec3, subtractVec3, type Vec3 } from './vec3.js';

/** One key of a tube's cross-section profile: distance along the axis and the radii there. */
export interface TubeProfileKey {
  /** Distance from the tube's start along its axis, metres. */
  atMetres: number;
  /** Radius along the tube's `side` direction, metres. */
  radiusSide: number;
  /** Radius along the third direction (axis × side), metres. */
  radiusOther: number;
  /** Shift of the cross-section's centre along `side`, metres (default 0). */
  offsetSide?: number;
}

/** A straight tube with a varying cross-section and rounded (or flat) ends. */
export interface TubeSpec {
  start: Vec3;
  end: Vec3;
  /** A direction across the tube (made perpendicular to the axis). */
  side: Vec3;
  /** Cross-section keys, sorted by `atMetres`; interpolated smoothly (cubic Hermite), clamped at the ends. */
  profile: readonly TubeProfileKey[];
  /** Spacing of the rings along the straight part, metres. */
  ringSpacingMetres: number;
  /** Vertices around each ring (a multiple of 4 keeps the extreme points on the grid). */
  segments: number;
  /** Length of the rounded start cap, metres (0 = flat). */
  capStartMetres: number;
  /** Length of the rounded end cap, metres (0 = flat). */
  capEndMetres: number;
  /** Cross-section exponent: 2 = ellipse, larger = boxier. */
  squareness?: number;
}

/** Grid points of a tube plus the frame they were built in. */
export interface TubeGrid {
  points: Vec3[][];
  axis: Vec3;
  lengthMetres: number;
  /** The midpoint of the axis (a point inside the tube). */
  inside: Vec3;
  /** Distance of a point's projection from the tube's start along the axis. */
  alongAxis: (point: Vec3) => number;
}

/**
 * Samples a profile with a cubic Hermite spline through the keys (tangents from neighbouring slopes), so the
 * surface's slope, and so its shading, has no kinks at the keys. Clamped outside the first and last keys.
 */
function sampleProfile(profile: readonly TubeProfileKey[], atMetres: number): Required<TubeProfileKey> {
  const first = profile[0];
  const last = profile[profile.length - 1];
  if (!first || !last) throw new Error('mannequin: empty tube profile');
  const fields = ['radiusSide', 'radiusOther', 'offsetSide'] as const;
  const fieldOf = (key: TubeProfileKey, field: (typeof fields)[number]) => key[field] ?? 0;
  if (atMetres <= first.atMetres || profile.length === 1) {
    return {
      atMetres,
      radiusSide: first.radiusSide,
      radiusOther: first.radiusOther,
      offsetSide: fieldOf(first, 'offsetSide'),
    };
  }
  if (atMetres >= last.atMetres) {
    return {
      atMetres,
      radiusSide: last.radiusSide,
      radiusOther: last.radiusOther,
      offsetSide: fieldOf(last, 'offsetSide'),
    };
  }
  let k = 0;
  while (k < profile.length - 2 && atMetres > (profile[k + 1] as TubeProfileKey).atMetres) k++;
  const p0 = profile[k] as TubeProfileKey;
  const p1 = profile[k + 1] as TubeProfileKey;
  const h = p1.atMetres - p0.atMetres;
  const t = h === 0 ? 1 : (atMetres - p0.atMetres) / h;
  const slope = (i: number, field: (typeof fields)[number]): number => {
    const a = profile[i] as TubeProfileKey;
    const b = profile[i + 1] as TubeProfileKey;
    const span = b.atMetres - a.atMetres;
    return span === 0 ? 0 : (fieldOf(b, field) - fieldOf(a, field)) / span;
  };
  const tangent = (i: number, field: (typeof fields)[number]): number => {
    if (i === 0) return slope(0, field);
    if (i === profile.length - 1) return slope(i - 1, field);
    const before = slope(i - 1, field);
    const after = slope(i, field);
    // Flat at a local extremum so the spline never overshoots a key.
    return before * after <= 0 ? 0 : (before + after) / 2;
  };
  const h00 = 2 * t ** 3 - 3 * t ** 2 + 1;
  const h10 = t ** 3 - 2 * t ** 2 + t;
  const h01 = -2 * t ** 3 + 3 * t ** 2;
  const h11 = t ** 3 - t ** 2;
  const sample = (field: (typeof fields)[number]) =>
    h00 * fieldOf(p0, field) +
    h10 * h * tangent(k, field) +
    h01 * fieldOf(p1, field) +
    h11 * h * tangent(k + 1, field);
  return {
    atMetres,
    radiusSide: sample('radiusSide'),
    radiusOther: sample('radiusOther'),
    offsetSide: sample('offsetSide'),
  };
}

/** Builds the grid of a tube: rows are rings from start to end, columns go around. */
export function buildTubeGrid(spec: TubeSpec): TubeGrid {
  const axisVector = subtractVec3(spec.end, spec.start);
  const lengthMetres = Math.hypot(axisVector[0], axisVector[1], axisVector[2]);
  const axis = normalizeVec3(axisVector);
  const side = normalizeVec3(subtractVec3(spec.side, scaleVec3(axis, dotVec3(spec.side, axis))));
  const other = crossVec3(axis, side);
  const exponent = 2 / (spec.squareness ?? 2);
  const shape = (value: number) => Math.sign(value) * Math.abs(value) ** exponent;

  // Each ring: distance along the axis, where to read the profile, and a radius scale (caps shrink to 0).
  const rings: { at: number; profileAt: number; scale: number }[] = [];
  const capRings = (length: number) => (length === 0 ? 1 : Math.max(4, Math.ceil(length / 0.004)));
  const startCap = spec.capStartMetres;
  const endCap = spec.capEndMetres;
  const startRings = capRings(startCap);
  for (let k = 0; k < startRings; k++) {
    const phi = (Math.PI / 2) * (1 - k / startRings);
    rings.push({ at: startCap * (1 - Math.sin(phi)), profileAt: startCap, scale: Math.cos(phi) });
  }
  const straight = lengthMetres - startCap - endCap;
  const straightRings = Math.max(1, Math.ceil(straight / spec.ringSpacingMetres));
  for (let k = 0; k <= straightRings; k++) {
    const at = startCap + (straight * k) / straightRings;
    rings.push({ at, profileAt: at, scale: 1 });
  }
  const endRings = capRings(endCap);
  for (let k = endRings - 1; k >= 0; k--) {
    const phi = (Math.PI / 2) * (1 - k / endRings);
    rings.push({
      at: lengthMetres - endCap * (1 - Math.sin(phi)),
      profileAt: lengthMetres - endCap,
      scale: Math.cos(phi),
    });
  }

  const points = rings.map(({ at, profileAt, scale }) => {
    const key = sampleProfile(spec.profile, profileAt);
    const centre = addVec3(addVec3(spec.start, scaleVec3(axis, at)), scaleVec3(side, key.offsetSide));
    const ring: Vec3[] = [];
    for (let j = 0; j < spec.segments; j++) {
      const theta = (2 * Math.PI * j) / spec.segments;
      const u = shape(Math.cos(theta)) * key.radiusSide * scale;
      const w = shape(Math.sin(theta)) * key.radiusOther * scale;
      ring.push(addVec3(centre, addVec3(scaleVec3(side, u), scaleVec3(other, w))));
    }
    return ring;
  });
  return {
    points,
    axis,
    lengthMetres,
    inside: addVec3(spec.start, scaleVec3(axis, lengthMetres / 2)),
    alongAxis: (point) => dotVec3(subtractVec3(point, spec.start), axis),
  };
}

/** Builds the grid of an ellipsoid: rows from the top pole (+Y) to the bottom, columns around Y starting at +Z. */
export function buildEllipsoidGrid(centre: Vec3, radii: Vec3, rows: number, columns: number): Vec3[][] {
  const points: Vec3[][] = [];
  for (let r = 0; r <= rows; r++) {
    const theta = (Math.PI * r) / rows;
    const ring: Vec3[] = [];
    for (let c = 0; c < columns; c++) {
      const phi = (2 * Math.PI * c) / columns;
      ring.push([
        centre[0] + radii[0] * Math.sin(theta) * Math.sin(phi),
        centre[1] + radii[1] * Math.cos(theta),
        centre[2] + radii[2] * Math.sin(theta) * Math.cos(phi),
      ]);
    }
    points.push(ring);
  }
  return points;
}

/** Builds a spherical cap around +Z: rows from the pole out to `halfAngleRadians`, columns around. */
export function buildFrontCapGrid(
  centre: Vec3,
  radius: number,
  halfAngleRadians: number,
  rows: number,
  columns: number,
): Vec3[][] {
  const points: Vec3[][] = [];
  for (let r = 0; r <= rows; r++) {
    const theta = (halfAngleRadians * r) / rows;
    const ring: Vec3[] = [];
    for (let c = 0; c < columns; c++) {
      const phi = (2 * Math.PI * c) / columns;
      ring.push([
        centre[0] + radius * Math.sin(theta) * Math.cos(phi),
        centre[1] + radius * Math.sin(theta) * Math.sin(phi),
        centre[2] + radius * Math.cos(theta),
      ]);
    }
    points.push(ring);
  }
  return points;
}

/** A bone that takes over from the previous one at `atMetres` along a chain, blending over ±`blendMetres`. */
export interface ChainStop {
  bone: string;
  atMetres: number;
  blendMetres: number;
}

/** Skin weights along a straight chain of bones: one bone per segment, smooth blends across each joint. */
export function weighAlongChain(atMetres: number, stops: readonly ChainStop[]): Influence[] {
  const first = stops[0];
  if (!first) throw new Error('mannequin: empty bone chain');
  let current = first.bone;
  for (let i = 1; i < stops.length; i++) {
    const stop = stops[i] as ChainStop;
    if (atMetres >= stop.atMetres + stop.blendMetres) {
      current = stop.bone;
      continue;
    }
    if (atMetres > stop.atMetres - stop.blendMetres) {
      const x = (atMetres - (stop.atMetres - stop.blendMetres)) / (2 * stop.blendMetres);
      const s = x * x * (3 - 2 * x);
      return [
        [current, 1 - s],
        [stop.bone, s],
      ];
    }
    break;
  }
  return [[current, 1]];
}
