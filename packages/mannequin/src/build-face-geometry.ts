import {
  EYE_RADIUS_METRES,
  getBonePosition,
  HEAD_ELLIPSOID,
  MANNEQUIN_FACE,
  projectOntoFace,
} from './mannequin-dimensions.js';
import type { Influence, MeshBuilder } from './mesh-builder.js';
import { buildEllipsoidGrid, buildFrontCapGrid } from './surface-grids.js';
import type { Vec3 } from './vec3.js';

// The mannequin's face: mouth, eyebrows and eyelids with a morph target per expression, and the eyes.

/** Morph targets of the face mesh, in order; each is also a VRM expression of the same name. */
export const FACE_MORPH_NAMES = [
  'happy',
  'angry',
  'sad',
  'relaxed',
  'surprised',
  'aa',
  'ih',
  'ou',
  'ee',
  'oh',
  'blink',
  'blinkLeft',
  'blinkRight',
] as const;

const SIDES = [
  [1, 'left'],
  [-1, 'right'],
] as const;

interface MouthShape {
  halfWidth: number;
  /** Vertical shift of the mouth's centre line at s (−1..1 across). */
  curve: (s: number) => number;
  /** Height of the upper edge above the centre line at s. */
  upper: (s: number) => number;
  /** Depth of the lower edge below the centre line at s. */
  lower: (s: number) => number;
}

const envelope = (s: number) => Math.sqrt(Math.max(0, 1 - s * s));
const lip = (heightMetres: number) => (s: number) => heightMetres * envelope(s) + 0.0006;
const flat = () => 0;
const restMouth: MouthShape = {
  halfWidth: MANNEQUIN_FACE.mouthHalfWidth,
  curve: flat,
  upper: lip(0.0022),
  lower: lip(0.0022),
};
const mouthShapes: Record<string, MouthShape> = {
  happy: { halfWidth: 0.028, curve: (s) => 0.009 * s * s - 0.002, upper: lip(0.002), lower: lip(0.005) },
  angry: { halfWidth: 0.021, curve: (s) => -0.004 * s * s + 0.001, upper: lip(0.0018), lower: lip(0.0018) },
  sad: { halfWidth: 0.022, curve: (s) => -0.007 * s * s + 0.002, upper: lip(0.002), lower: lip(0.002) },
  relaxed: { halfWidth: 0.025, curve: (s) => 0.004 * s * s - 0.001, upper: lip(0.0022), lower: lip(0.0022) },
  surprised: { halfWidth: 0.016, curve: flat, upper: lip(0.008), lower: lip(0.016) },
  aa: { halfWidth: 0.021, curve: flat, upper: lip(0.004), lower: lip(0.02) },
  ih: { halfWidth: 0.027, curve: flat, upper: lip(0.003), lower: lip(0.007) },
  ou: { halfWidth: 0.011, curve: flat, upper: lip(0.006), lower: lip(0.008) },
  ee: { halfWidth: 0.026, curve: flat, upper: lip(0.004), lower: lip(0.011) },
  oh: { halfWidth: 0.015, curve: flat, upper: lip(0.007), lower: lip(0.015) },
};

/** Height of the mouth's centre line. */
const MOUTH_Y = MANNEQUIN_FACE.mouthY;
/** Height of the eyebrows' inner ends. */
const BROW_Y = MANNEQUIN_FACE.browY;
/** How far face features float above the head surface. */
const FEATURE_LIFT_METRES = 0.0012;

function buildMouthPoints(shape: MouthShape): Vec3[][] {
  const rows: Vec3[][] = [];
  for (let r = 0; r <= 4; r++) {
    const t = r / 2 - 1;
    const row: Vec3[] = [];
    for (let c = 0; c <= 16; c++) {
      const s = c / 8 - 1;
      const y = MOUTH_Y + shape.curve(s) + (t >= 0 ? t * shape.upper(s) : t * shape.lower(s));
      row.push(projectOntoFace(s * shape.halfWidth, y, FEATURE_LIFT_METRES));
    }
    rows.push(row);
  }
  return rows;
}

/** Vertical shift of an eyebrow at s (0 inner end, 1 outer end) for a morph, plus an inward shift. */
const browShapes: Record<string, { lift: (s: number) => number; inward: number }> = {
  happy: { lift: () => 0.003, inward: 0 },
  angry: { lift: (s) => -0.008 * (1 - s) + 0.001 * s, inward: 0.003 },
  sad: { lift: (s) => 0.007 * (1 - s) - 0.002 * s, inward: 0 },
  relaxed: { lift: () => -0.001, inward: 0 },
  surprised: { lift: () => 0.008, inward: 0 },
};

function buildBrowPoints(side: 1 | -1, morph: string | null): Vec3[][] {
  const shape = morph ? browShapes[morph] : undefined;
  const rows: Vec3[][] = [];
  for (let r = 0; r <= 2; r++) {
    const t = r - 1;
    const row: Vec3[] = [];
    for (let c = 0; c <= 8; c++) {
      const s = c / 8;
      const x = side * (0.016 - (shape?.inward ?? 0) + s * 0.036);
      const y = BROW_Y + 0.004 * Math.sin(Math.PI * s) + t * 0.0028 + (shape?.lift(s) ?? 0);
      row.push(projectOntoFace(x, y, FEATURE_LIFT_METRES));
    }
    rows.push(row);
  }
  return rows;
}

/** Eyelid: a band of a sphere around the eye; `closedFraction` 0 = tucked above the eye, 1 = covering it. */
function buildLidPoints(centre: Vec3, closedFraction: number): Vec3[][] {
  const radius = EYE_RADIUS_METRES + 0.0012;
  const topDegrees = 12;
  const spanDegrees = 22 + (156 - 22) * closedFraction;
  const rows: Vec3[][] = [];
  for (let r = 0; r <= 8; r++) {
    const theta = ((topDegrees + (spanDegrees * r) / 8) * Math.PI) / 180;
    const row: Vec3[] = [];
    for (let c = 0; c <= 16; c++) {
      const phi = ((c / 8 - 1) * 80 * Math.PI) / 180;
      row.push([
        centre[0] + radius * Math.sin(theta) * Math.sin(phi),
        centre[1] + radius * Math.cos(theta),
        centre[2] + radius * Math.sin(theta) * Math.cos(phi),
      ]);
    }
    rows.push(row);
  }
  return rows;
}

/** Mouth, eyebrows and eyelids, each with its shape under every expression in `FACE_MORPH_NAMES`. */
export function addFace(face: MeshBuilder): void {
  const head: Influence[] = [['head', 1]];
  const mouthMorphs: Record<string, Vec3[][]> = {};
  for (const name of FACE_MORPH_NAMES) {
    mouthMorphs[name] = buildMouthPoints(mouthShapes[name] ?? restMouth);
  }
  face.addGrid({
    rest: buildMouthPoints(restMouth),
    morphs: mouthMorphs,
    wrapColumns: false,
    inside: HEAD_ELLIPSOID.centre,
    influences: () => head,
    material: 'mouth',
  });
  for (const [side, prefix] of SIDES) {
    const browMorphs: Record<string, Vec3[][]> = {};
    for (const name of FACE_MORPH_NAMES) browMorphs[name] = buildBrowPoints(side, name);
    face.addGrid({
      rest: buildBrowPoints(side, null),
      morphs: browMorphs,
      wrapColumns: false,
      inside: HEAD_ELLIPSOID.centre,
      influences: () => head,
      material: 'hair',
    });
    const eye = getBonePosition(`${prefix}Eye`);
    const closedBy: Record<string, number> = {
      blink: 1,
      [side === 1 ? 'blinkLeft' : 'blinkRight']: 1,
      relaxed: 0.4,
    };
    const lidMorphs: Record<string, Vec3[][]> = {};
    for (const name of FACE_MORPH_NAMES) lidMorphs[name] = buildLidPoints(eye, closedBy[name] ?? 0);
    face.addGrid({
      rest: buildLidPoints(eye, 0),
      morphs: lidMorphs,
      wrapColumns: false,
      inside: eye,
      influences: () => head,
      material: 'skin',
    });
  }
}

/** Eyeballs and irises, skinned to the eye bones. */
export function addEyes(eyes: MeshBuilder): void {
  for (const [, prefix] of SIDES) {
    const centre = getBonePosition(`${prefix}Eye`);
    const influence: Influence[] = [[`${prefix}Eye`, 1]];
    eyes.addGrid({
      rest: buildEllipsoidGrid(centre, [EYE_RADIUS_METRES, EYE_RADIUS_METRES, EYE_RADIUS_METRES], 14, 24),
      wrapColumns: true,
      inside: centre,
      influences: () => influence,
      material: 'eyeWhite',
    });
    eyes.addGrid({
      rest: buildFrontCapGrid(centre, EYE_RADIUS_METRES * 1.02, (38 * Math.PI) / 180, 5, 24),
      wrapColumns: true,
      inside: centre,
      influences: () => influence,
      material: 'iris',
    });
  }
}
