import { addTube, profileKeys } from './add-tube.js';
import {
  getBonePosition,
  HAIR_CAP_METRES,
  HAIR_DIRECTION,
  HAIR_SEGMENT_METRES,
  HEAD_ELLIPSOID,
  MANNEQUIN_FACE,
} from './mannequin-dimensions.js';
import type { Influence, MeshBuilder } from './mesh-builder.js';
import { buildEllipsoidGrid } from './surface-grids.js';
import { scaleVec3, subtractVec3, type Vec3 } from './vec3.js';

// The head's skin-coloured and hair surfaces: skull, hair cap, ears, nose and neck on the body mesh, and the
// hair strand on its own mesh. The face's moving parts and the eyes are in build-face-geometry.ts.

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

/** Adds the skull, hair cap, ears, nose and neck to the body mesh, all skinned to the head (the neck blends down to the upper chest). */
export function addHead(body: MeshBuilder): void {
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
  const noseCentre = MANNEQUIN_FACE.noseCentre;
  body.addGrid({
    rest: buildEllipsoidGrid(noseCentre, MANNEQUIN_FACE.noseRadii, 10, 16),
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
      profile: profileKeys([0, 0.05, 0.048], [0.17, 0.045, 0.045]),
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

/** Adds the hair strand, skinned from the head down the spring-bone chain. */
export function addHairStrand(hair: MeshBuilder): void {
  const root = getBonePosition('hairRoot');
  const overlap = 0.02;
  const segment = HAIR_SEGMENT_METRES;
  addTube(
    hair,
    {
      start: subtractVec3(root, scaleVec3(HAIR_DIRECTION, overlap)),
      end: getBonePosition('hairEnd'),
      side: [1, 0, 0],
      profile: profileKeys(
        [0, 0.024, 0.018],
        [overlap + 0.1, 0.02, 0.016],
        [overlap + 4 * segment, 0.009, 0.008],
      ),
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
