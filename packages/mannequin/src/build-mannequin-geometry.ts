import { addEyes, addFace, FACE_MORPH_NAMES } from './build-face-geometry.js';
import {
  FINGER_LAYOUT,
  getBonePosition,
  HAIR_CAP_METRES,
  HAIR_DIRECTION,
  HAIR_SEGMENT_METRES,
  HEAD_ELLIPSOID,
  MANNEQUIN_DIMENSIONS,
  projectOntoFace,
  THUMB_LENGTHS,
} from './mannequin-dimensions.js';
import { type Influence, type MaterialName, MeshBuilder } from './mesh-builder.js';
import {
  buildEllipsoidGrid,
  buildTubeGrid,
  type ChainStop,
  type TubeProfileKey,
  type TubeSpec,
  weighAlongChain,
} from './surface-grids.js';
import { addVec3, scaleVec3, subtractVec3, type Vec3 } from './vec3.js';

export { FACE_MORPH_NAMES };

/** The mannequin's meshes, each skinned to the full skeleton. */
export interface MannequinGeometry {
  /** Head, neck, torso, limbs, hands, nose, scalp. */
  body: MeshBuilder;
  /** Eyelids, mouth and eyebrows, carrying every morph target in `FACE_MORPH_NAMES`. */
  face: MeshBuilder;
  /** Eyeballs and irises, skinned to the eye bones. */
  eyes: MeshBuilder;
  /** The hair strand, skinned to the spring-bone chain. */
  hair: MeshBuilder;
}

const D = MANNEQUIN_DIMENSIONS;
const SIDES = [
  [1, 'left'],
  [-1, 'right'],
] as const;

/** Builds the mannequin's meshes in VRM 1.0 orientation (facing +Z, the avatar's left at +X). */
export function buildMannequinGeometry(): MannequinGeometry {
  const body = new MeshBuilder('Body');
  const face = new MeshBuilder('Face', FACE_MORPH_NAMES);
  const eyes = new MeshBuilder('Eyes');
  const hair = new MeshBuilder('Hair');
  addHead(body);
  addTorso(body);
  for (const [side, prefix] of SIDES) {
    const material: MaterialName = side === 1 ? 'left' : 'right';
    addArm(body, side, prefix, material);
    addHand(body, side, prefix, material);
    addLeg(body, side, prefix, material);
  }
  addFace(face);
  addEyes(eyes);
  addHairStrand(hair);
  return { body, face, eyes, hair };
}

function addTube(
  builder: MeshBuilder,
  spec: TubeSpec,
  stops: readonly ChainStop[],
  material: MaterialName | ((centroid: Vec3) => MaterialName),
): void {
  const grid = buildTubeGrid(spec);
  builder.addGrid({
    rest: grid.points,
    wrapColumns: true,
    inside: grid.inside,
    influences: (point) => weighAlongChain(grid.alongAxis(point), stops),
    material,
  });
}

function keys(...rows: readonly (readonly [number, number, number, number?])[]): TubeProfileKey[] {
  return rows.map(([atMetres, radiusSide, radiusOther, offsetSide]) => ({
    atMetres,
    radiusSide,
    radiusOther,
    offsetSide: offsetSide ?? 0,
  }));
}

/** Hair cap: the skull ellipsoid grown by `HAIR_CAP_METRES`, down to a smooth hairline (high in front, low at the back). */
function buildHairCapPoints(): Vec3[][] {
  const [cx, cy, cz] = HEAD_ELLIPSOID.centre;
  const [a, b, c] = HEAD_ELLIPSOID.radii;
  const rows = 24;
  const columns = 48;
  const points: Vec3[][] = [];
  for (let r = 0; r <= rows; r++) {
    const ring: Vec3[] = [];
    // Tuck the last rows into the skin so the hairline has no visible step underneath.
    const thickness = HAIR_CAP_METRES * Math.min(1, (rows - r + 0.25) / 2);
    for (let column = 0; column < columns; column++) {
      const phi = (2 * Math.PI * column) / columns;
      const edgeDegrees = 54 + ((124 - 54) * (1 - Math.cos(phi))) / 2;
      const theta = ((edgeDegrees * r) / rows) * (Math.PI / 180);
      ring.push([
        cx + (a + thickness) * Math.sin(theta) * Math.sin(phi),
        cy + (b + thickness) * Math.cos(theta),
        cz + (c + thickness) * Math.sin(theta) * Math.cos(phi),
      ]);
    }
    points.push(ring);
  }
  return points;
}

function addHead(body: MeshBuilder): void {
  const head: Influence[] = [['head', 1]];
  body.addGrid({
    rest: buildEllipsoidGrid(HEAD_ELLIPSOID.centre, HEAD_ELLIPSOID.radii, 36, 48),
    wrapColumns: true,
    inside: HEAD_ELLIPSOID.centre,
    influences: () => head,
    material: 'skin',
  });
  body.addGrid({
    rest: buildHairCapPoints(),
    wrapColumns: true,
    inside: HEAD_ELLIPSOID.centre,
    influences: () => head,
    material: 'hair',
  });
  for (const side of [1, -1] as const) {
    const [, cy, cz] = HEAD_ELLIPSOID.centre;
    const earCentre: Vec3 = [side * (HEAD_ELLIPSOID.radii[0] + 0.001), cy - 0.008, cz - 0.012];
    body.addGrid({
      rest: buildEllipsoidGrid(earCentre, [0.011, 0.027, 0.017], 10, 16),
      wrapColumns: true,
      inside: earCentre,
      influences: () => head,
      material: 'skin',
    });
  }
  const noseCentre = projectOntoFace(0, 1.562, -0.005);
  body.addGrid({
    rest: buildEllipsoidGrid(noseCentre, [0.011, 0.02, 0.014], 10, 16),
    wrapColumns: true,
    inside: noseCentre,
    influences: () => head,
    material: 'skin',
  });
  const neckBottom = 1.38;
  addTube(
    body,
    {
      start: [0, neckBottom, 0],
      end: [0, 1.55, 0],
      side: [1, 0, 0],
      profile: keys([0, 0.05, 0.048], [0.17, 0.045, 0.045]),
      ringSpacingMetres: 0.01,
      segments: 24,
      capStartMetres: 0,
      capEndMetres: 0.02,
    },
    [
      { bone: 'upperChest', atMetres: 0, blendMetres: 0 },
      { bone: 'neck', atMetres: getBonePosition('neck')[1] - neckBottom, blendMetres: 0.02 },
      { bone: 'head', atMetres: getBonePosition('head')[1] - neckBottom, blendMetres: 0.025 },
    ],
    'skin',
  );
}

function addTorso(body: MeshBuilder): void {
  const bottom = 0.8;
  const at = (y: number) => y - bottom;
  addTube(
    body,
    {
      start: [0, bottom, 0],
      end: [0, 1.47, 0],
      side: [1, 0, 0],
      profile: keys(
        [at(0.8), 0.1, 0.08],
        [at(0.86), 0.155, 0.095],
        [at(0.92), 0.165, 0.1],
        [at(1.0), 0.155, 0.095],
        [at(D.waistY), 0.135, 0.088],
        [at(1.17), 0.148, 0.097],
        [at(D.chestY), 0.165, 0.105],
        [at(1.33), 0.18, 0.1],
        [at(1.39), 0.18, 0.085],
        [at(1.43), 0.14, 0.07],
        [at(1.47), 0.07, 0.055],
      ),
      ringSpacingMetres: 0.01,
      segments: 40,
      capStartMetres: 0.04,
      capEndMetres: 0.02,
      squareness: 2.6,
    },
    [
      { bone: 'hips', atMetres: 0, blendMetres: 0 },
      { bone: 'spine', atMetres: at(getBonePosition('spine')[1]), blendMetres: 0.05 },
      { bone: 'chest', atMetres: at(getBonePosition('chest')[1]), blendMetres: 0.05 },
      { bone: 'upperChest', atMetres: at(getBonePosition('upperChest')[1]), blendMetres: 0.05 },
    ],
    'torso',
  );
}

function addArm(body: MeshBuilder, side: 1 | -1, prefix: string, material: MaterialName): void {
  const startX = 0.1;
  const at = (x: number) => x - startX;
  const y = D.shoulderY;
  addTube(
    body,
    {
      start: [side * startX, y, 0],
      end: [side * 0.678, y, 0],
      side: [0, 1, 0],
      profile: keys(
        [at(0.1), 0.052, 0.055],
        [at(0.16), 0.05, 0.052],
        [at(0.3), 0.044, 0.045],
        [at(0.4), 0.037, 0.039],
        [at(0.44), 0.036, 0.038],
        [at(0.52), 0.036, 0.037],
        [at(0.64), 0.026, 0.03],
        [at(0.678), 0.024, 0.028],
      ),
      ringSpacingMetres: 0.01,
      segments: 24,
      capStartMetres: 0.03,
      capEndMetres: 0.015,
    },
    [
      { bone: `${prefix}Shoulder`, atMetres: 0, blendMetres: 0 },
      { bone: `${prefix}UpperArm`, atMetres: at(0.16), blendMetres: 0.035 },
      { bone: `${prefix}LowerArm`, atMetres: at(0.42), blendMetres: 0.04 },
      { bone: `${prefix}Hand`, atMetres: at(0.66), blendMetres: 0.015 },
    ],
    material,
  );
}

function addHand(body: MeshBuilder, side: 1 | -1, prefix: string, material: MaterialName): void {
  const y = D.shoulderY;
  addTube(
    body,
    {
      start: [side * 0.648, y, 0],
      end: [side * 0.758, y, 0],
      side: [0, 1, 0],
      profile: keys([0, 0.014, 0.04], [0.05, 0.0145, 0.044], [0.11, 0.012, 0.043]),
      ringSpacingMetres: 0.006,
      segments: 24,
      capStartMetres: 0.012,
      capEndMetres: 0.01,
      squareness: 3,
    },
    [{ bone: `${prefix}Hand`, atMetres: 0, blendMetres: 0 }],
    material,
  );
  const overlap = 0.008;
  for (const finger of FINGER_LAYOUT) {
    const [l0, l1, l2] = finger.lengths;
    const proximalX = finger.proximalX;
    addTube(
      body,
      {
        start: [side * (proximalX - overlap), y, finger.z],
        end: [side * (proximalX + l0 + l1 + l2), y, finger.z],
        side: [0, 1, 0],
        profile: keys([0, 0.0085, 0.0085], [overlap + l0 + l1 + l2, 0.0066, 0.0068]),
        ringSpacingMetres: 0.004,
        segments: 12,
        capStartMetres: 0.004,
        capEndMetres: 0.0065,
      },
      [
        { bone: `${prefix}Hand`, atMetres: 0, blendMetres: 0 },
        { bone: `${prefix}${finger.finger}Proximal`, atMetres: overlap, blendMetres: 0.004 },
        { bone: `${prefix}${finger.finger}Intermediate`, atMetres: overlap + l0, blendMetres: 0.005 },
        { bone: `${prefix}${finger.finger}Distal`, atMetres: overlap + l0 + l1, blendMetres: 0.004 },
      ],
      material,
    );
  }
  const base = getBonePosition(`${prefix}ThumbMetacarpal`);
  const dir = subtractVec3(getBonePosition(`${prefix}ThumbProximal`), base);
  const unit = scaleVec3(dir, 1 / THUMB_LENGTHS[0]);
  const [t0, t1, t2] = THUMB_LENGTHS;
  const thumbOverlap = 0.006;
  addTube(
    body,
    {
      start: subtractVec3(base, scaleVec3(unit, thumbOverlap)),
      end: addVec3(base, scaleVec3(unit, t0 + t1 + t2)),
      side: [0, 1, 0],
      profile: keys([0, 0.0115, 0.012], [thumbOverlap + t0 + t1 + t2, 0.0078, 0.0082]),
      ringSpacingMetres: 0.004,
      segments: 12,
      capStartMetres: 0.006,
      capEndMetres: 0.007,
    },
    [
      { bone: `${prefix}ThumbMetacarpal`, atMetres: 0, blendMetres: 0 },
      { bone: `${prefix}ThumbProximal`, atMetres: thumbOverlap + t0, blendMetres: 0.006 },
      { bone: `${prefix}ThumbDistal`, atMetres: thumbOverlap + t0 + t1, blendMetres: 0.005 },
    ],
    material,
  );
}

function addLeg(body: MeshBuilder, side: 1 | -1, prefix: string, material: MaterialName): void {
  const x = side * D.legOffsetX;
  const top = 0.97;
  const at = (y: number) => top - y;
  addTube(
    body,
    {
      start: [x, top, 0],
      end: [x, 0.062, 0],
      side: [1, 0, 0],
      profile: keys(
        [at(0.97), 0.078, 0.08],
        [at(D.upperLegY), 0.078, 0.08],
        [at(0.7), 0.066, 0.068],
        [at(0.55), 0.05, 0.054],
        [at(D.kneeY), 0.047, 0.05],
        [at(0.4), 0.05, 0.055],
        [at(0.3), 0.045, 0.05],
        [at(0.14), 0.033, 0.036],
        [at(0.062), 0.032, 0.034],
      ),
      ringSpacingMetres: 0.012,
      segments: 24,
      capStartMetres: 0.03,
      capEndMetres: 0.02,
    },
    [
      { bone: 'hips', atMetres: 0, blendMetres: 0 },
      { bone: `${prefix}UpperLeg`, atMetres: at(D.upperLegY), blendMetres: 0.06 },
      { bone: `${prefix}LowerLeg`, atMetres: at(D.kneeY), blendMetres: 0.05 },
      { bone: `${prefix}Foot`, atMetres: at(D.ankleY), blendMetres: 0.02 },
    ],
    material,
  );
  // The foot runs heel to toe along +Z; its cross-section sits on y = 0 (offset = half its height).
  const heelZ = -0.065;
  const footKey = (z: number, height: number, halfWidth: number) =>
    [z - heelZ, height / 2, halfWidth, height / 2] as const;
  addTube(
    body,
    {
      start: [x, 0, heelZ],
      end: [x, 0, D.toeTipZ],
      side: [0, 1, 0],
      profile: keys(
        footKey(heelZ, 0.07, 0.036),
        footKey(-0.03, 0.085, 0.042),
        footKey(0, 0.09, 0.045),
        footKey(0.06, 0.06, 0.05),
        footKey(0.12, 0.035, 0.052),
        footKey(0.17, 0.028, 0.048),
        footKey(D.toeTipZ, 0.024, 0.042),
      ),
      ringSpacingMetres: 0.008,
      segments: 24,
      capStartMetres: 0.03,
      capEndMetres: 0.02,
      squareness: 3.5,
    },
    [
      { bone: `${prefix}Foot`, atMetres: 0, blendMetres: 0 },
      { bone: `${prefix}Toes`, atMetres: getBonePosition(`${prefix}Toes`)[2] - heelZ, blendMetres: 0.015 },
    ],
    material,
  );
}

function addHairStrand(hair: MeshBuilder): void {
  const root = getBonePosition('hairRoot');
  const overlap = 0.02;
  const segment = HAIR_SEGMENT_METRES;
  addTube(
    hair,
    {
      start: subtractVec3(root, scaleVec3(HAIR_DIRECTION, overlap)),
      end: getBonePosition('hairEnd'),
      side: [1, 0, 0],
      profile: keys([0, 0.024, 0.018], [overlap + 0.1, 0.02, 0.016], [overlap + 4 * segment, 0.009, 0.008]),
      ringSpacingMetres: 0.01,
      segments: 16,
      capStartMetres: 0.015,
      capEndMetres: 0.015,
    },
    [
      { bone: 'head', atMetres: 0, blendMetres: 0 },
      { bone: 'hairRoot', atMetres: overlap * 0.5, blendMetres: 0.008 },
      { bone: 'hair1', atMetres: overlap + segment, blendMetres: 0.03 },
      { bone: 'hair2', atMetres: overlap + 2 * segment, blendMetres: 0.03 },
      { bone: 'hair3', atMetres: overlap + 3 * segment, blendMetres: 0.03 },
    ],
    'hair',
  );
}
