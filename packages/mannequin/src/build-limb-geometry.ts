import { addTube, profileKeys } from './add-tube.js';
import {
  FINGER_LAYOUT,
  getBonePosition,
  MANNEQUIN_DIMENSIONS,
  THUMB_LENGTHS,
} from './mannequin-dimensions.js';
import type { MaterialName, MeshBuilder } from './mesh-builder.js';
import { addVec3, scaleVec3, subtractVec3 } from './vec3.js';

// The limbs of one side, on the body mesh: `side` is +1 for the avatar's left (+X) and -1 for its right;
// `prefix` is the bone-name prefix (`left`/`right`).

const D = MANNEQUIN_DIMENSIONS;

/** Adds one arm, shoulder to wrist, skinned shoulder → upper arm → lower arm → hand. */
export function addArm(body: MeshBuilder, side: 1 | -1, prefix: string, material: MaterialName): void {
  const startX = 0.1;
  const at = (x: number) => x - startX;
  const y = D.shoulderY;
  addTube(
    body,
    {
      start: [side * startX, y, 0],
      end: [side * 0.678, y, 0],
      side: [0, 1, 0],
      profile: profileKeys(
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

/** Adds one hand: the palm, four fingers and the thumb, each finger skinned along its three bones. */
export function addHand(body: MeshBuilder, side: 1 | -1, prefix: string, material: MaterialName): void {
  const y = D.shoulderY;
  addTube(
    body,
    {
      start: [side * 0.648, y, 0],
      end: [side * 0.758, y, 0],
      side: [0, 1, 0],
      profile: profileKeys([0, 0.014, 0.04], [0.05, 0.0145, 0.044], [0.11, 0.012, 0.043]),
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
        profile: profileKeys([0, 0.0085, 0.0085], [overlap + l0 + l1 + l2, 0.0066, 0.0068]),
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
      profile: profileKeys([0, 0.0115, 0.012], [thumbOverlap + t0 + t1 + t2, 0.0078, 0.0082]),
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

/** Adds one leg, hip to ankle, and its foot, skinned down to the toes. */
export function addLeg(body: MeshBuilder, side: 1 | -1, prefix: string, material: MaterialName): void {
  const x = side * D.legOffsetX;
  const top = 0.97;
  const at = (y: number) => top - y;
  addTube(
    body,
    {
      start: [x, top, 0],
      end: [x, 0.062, 0],
      side: [1, 0, 0],
      profile: profileKeys(
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
      profile: profileKeys(
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
