import type { Vec3 } from './vec3.js';

/**
 * Landmark heights and extents of the mannequin in its rest T-pose, in metres, in VRM 1.0 orientation
 * (y up, the avatar faces +Z, the avatar's left hand is at +X, soles on y = 0).
 * The VRM 0.x variant is the same body turned 180° about Y (facing −Z, left hand at −X).
 */
export const MANNEQUIN_DIMENSIONS = {
  /** Sole to the top of the head. */
  heightMetres: 1.7,
  /** Highest point of the mesh (top of the skull). */
  headTopY: 1.7,
  /** Height of the eye bones (centres of the eyeballs). */
  eyeY: 1.595,
  /** Lowest point of the head (the chin). */
  chinY: 1.472,
  /** Lowest point that any expression morph moves (bottom of the open mouth). */
  faceRegionBottomY: 1.5,
  /** Height of the shoulder joints (the upper-arm bones); the arms' axis in the T-pose. */
  shoulderY: 1.38,
  /** Chest line (widest part of the chest), between the chest and upper-chest bones. */
  chestY: 1.25,
  /** Waist line (narrowest part of the torso). */
  waistY: 1.08,
  /** Height of the hips bone. */
  hipsY: 0.95,
  /** Half-way between the hip joints (upper-leg bones) and the knees. */
  midThighY: 0.68,
  /** Height of the knee joints (lower-leg bones). */
  kneeY: 0.48,
  /** Height of the ankle joints (foot bones). */
  ankleY: 0.08,
  /** Lowest point of the mesh (the soles). */
  soleY: 0,
  /** Fingertip to fingertip in the T-pose (total X extent of the mesh). */
  armSpanMetres: 1.68,
  /** Height of the hip joints (upper-leg bones). */
  upperLegY: 0.88,
  /** Distance of each leg's axis from the body's midline (x of the upper-leg, lower-leg and foot bones). */
  legOffsetX: 0.09,
  /** Front-most point of the body (the toe tips), z. */
  toeTipZ: 0.2,
} as const;

/** Everything `createMannequinVrm` can name: VRM 1.0 humanoid bones plus the hair chain. */
export interface MannequinBone {
  /** glTF node name (equal to the VRM 1.0 humanoid bone name for humanoid bones). */
  name: string;
  /** VRM 1.0 humanoid bone name, or `null` for the hair chain. */
  humanBone: string | null;
  /** Parent bone name, or `null` for the hips (child of the root node). */
  parent: string | null;
  /** Rest position in metres, world space, VRM 1.0 orientation. */
  position: Vec3;
}

const D = MANNEQUIN_DIMENSIONS;

/** Head ellipsoid (skin): centre and semi-axes in metres (the face is its +Z side). */
export const HEAD_ELLIPSOID = {
  centre: [0, 1.584, 0.012] as Vec3,
  radii: [0.082, 0.112, 0.098] as Vec3,
};

/** Thickness of the hair cap over the skull; its top is `headTopY`. */
export const HAIR_CAP_METRES = 0.004;

/** Returns the point on the front of the head ellipsoid at (x, y), lifted `liftMetres` along its normal. */
export function projectOntoFace(x: number, y: number, liftMetres: number): Vec3 {
  const [cx, cy, cz] = HEAD_ELLIPSOID.centre;
  const [a, b, c] = HEAD_ELLIPSOID.radii;
  const dx = (x - cx) / a;
  const dy = (y - cy) / b;
  const z = cz + c * Math.sqrt(Math.max(0, 1 - dx * dx - dy * dy));
  const normal: Vec3 = [(x - cx) / (a * a), (y - cy) / (b * b), (z - cz) / (c * c)];
  const length = Math.hypot(normal[0], normal[1], normal[2]);
  return [
    x + (normal[0] / length) * liftMetres,
    y + (normal[1] / length) * liftMetres,
    z + (normal[2] / length) * liftMetres,
  ];
}

/**
 * The face's features (metres, rest pose): the nose (an ellipsoid: centre, semi-axes; its tip is the centre +
 * z semi-axis), the mouth's centre line height and half width at rest, the eyebrows' inner-end height.
 */
export const MANNEQUIN_FACE = {
  noseCentre: projectOntoFace(0, 1.562, -0.005),
  noseRadii: [0.011, 0.02, 0.014] as Vec3,
  mouthY: 1.527,
  mouthHalfWidth: 0.024,
  browY: 1.628,
};

/** Eyeball radius in metres. */
export const EYE_RADIUS_METRES = 0.0135;
/** Distance of each eye from the midline. */
const EYE_OFFSET_X = 0.033;
/** How far the eyeball pokes out of the head surface. */
const EYE_PROTRUSION_METRES = 0.006;
const eyeCentreZ = projectOntoFace(EYE_OFFSET_X, D.eyeY, 0)[2] - EYE_RADIUS_METRES + EYE_PROTRUSION_METRES;

/** Direction of the hair strand in the rest pose (backwards and down). */
export const HAIR_DIRECTION: Vec3 = [0, -0.6, -0.8];
/** Length of each hair segment in metres. */
export const HAIR_SEGMENT_METRES = 0.09;
const hairRoot: Vec3 = [0, 1.65, -0.076];
function hairJoint(index: number): Vec3 {
  const s = HAIR_SEGMENT_METRES * index;
  return [
    hairRoot[0] + HAIR_DIRECTION[0] * s,
    hairRoot[1] + HAIR_DIRECTION[1] * s,
    hairRoot[2] + HAIR_DIRECTION[2] * s,
  ];
}

/** Thumb direction in the T-pose for the avatar's left hand (forward, outward and a little down). */
function thumbDirection(side: 1 | -1): Vec3 {
  const length = Math.hypot(1, 0.2, 1);
  return [side / length, -0.2 / length, 1 / length];
}

interface FingerLayout {
  finger: 'Index' | 'Middle' | 'Ring' | 'Little';
  z: number;
  proximalX: number;
  lengths: readonly [number, number, number];
}

/** Finger layout for the left hand: z offset, x of the proximal joint, segment lengths (proximal, intermediate, distal). */
export const FINGER_LAYOUT: readonly FingerLayout[] = [
  { finger: 'Index', z: 0.027, proximalX: 0.745, lengths: [0.04, 0.024, 0.02] },
  { finger: 'Middle', z: 0.009, proximalX: 0.748, lengths: [0.044, 0.027, 0.021] },
  { finger: 'Ring', z: -0.009, proximalX: 0.745, lengths: [0.041, 0.026, 0.02] },
  { finger: 'Little', z: -0.026, proximalX: 0.738, lengths: [0.032, 0.02, 0.018] },
];

/** Thumb joint spacing: metacarpal, proximal, distal segment lengths. */
export const THUMB_LENGTHS = [0.04, 0.032, 0.026] as const;

function thumbBase(side: 1 | -1): Vec3 {
  return [side * 0.672, D.shoulderY - 0.006, 0.022];
}

function buildBones(): MannequinBone[] {
  const bones: MannequinBone[] = [];
  const add = (name: string, parent: string | null, position: Vec3, humanBone: string | null = name) => {
    bones.push({ name, humanBone, parent, position });
  };
  add('hips', null, [0, D.hipsY, 0]);
  add('spine', 'hips', [0, 1.03, 0]);
  add('chest', 'spine', [0, 1.16, 0]);
  add('upperChest', 'chest', [0, 1.28, 0]);
  add('neck', 'upperChest', [0, 1.42, 0]);
  add('head', 'neck', [0, 1.5, 0]);
  add('leftEye', 'head', [EYE_OFFSET_X, D.eyeY, eyeCentreZ]);
  add('rightEye', 'head', [-EYE_OFFSET_X, D.eyeY, eyeCentreZ]);
  for (const [side, prefix] of [
    [1, 'left'],
    [-1, 'right'],
  ] as const) {
    const y = D.shoulderY;
    add(`${prefix}Shoulder`, 'upperChest', [side * 0.03, y, 0]);
    add(`${prefix}UpperArm`, `${prefix}Shoulder`, [side * 0.16, y, 0]);
    add(`${prefix}LowerArm`, `${prefix}UpperArm`, [side * 0.42, y, 0]);
    add(`${prefix}Hand`, `${prefix}LowerArm`, [side * 0.66, y, 0]);
    const dir = thumbDirection(side);
    let p = thumbBase(side);
    const thumbNames = ['ThumbMetacarpal', 'ThumbProximal', 'ThumbDistal'] as const;
    let parent = `${prefix}Hand`;
    thumbNames.forEach((segment, i) => {
      add(`${prefix}${segment}`, parent, p);
      parent = `${prefix}${segment}`;
      const length = THUMB_LENGTHS[i] ?? 0;
      p = [p[0] + dir[0] * length, p[1] + dir[1] * length, p[2] + dir[2] * length];
    });
    for (const f of FINGER_LAYOUT) {
      let x = f.proximalX;
      let fingerParent = `${prefix}Hand`;
      (['Proximal', 'Intermediate', 'Distal'] as const).forEach((segment, i) => {
        const name = `${prefix}${f.finger}${segment}`;
        add(name, fingerParent, [side * x, y, f.z]);
        fingerParent = name;
        x += f.lengths[i] ?? 0;
      });
    }
    add(`${prefix}UpperLeg`, 'hips', [side * D.legOffsetX, D.upperLegY, 0]);
    add(`${prefix}LowerLeg`, `${prefix}UpperLeg`, [side * D.legOffsetX, D.kneeY, 0]);
    add(`${prefix}Foot`, `${prefix}LowerLeg`, [side * D.legOffsetX, D.ankleY, 0]);
    add(`${prefix}Toes`, `${prefix}Foot`, [side * D.legOffsetX, 0.03, 0.12]);
  }
  add('hairRoot', 'head', hairJoint(0), null);
  add('hair1', 'hairRoot', hairJoint(1), null);
  add('hair2', 'hair1', hairJoint(2), null);
  add('hair3', 'hair2', hairJoint(3), null);
  add('hairEnd', 'hair3', hairJoint(4), null);
  return bones;
}

/** Every bone of the mannequin in node order, with rest positions in VRM 1.0 orientation. */
export const MANNEQUIN_BONES: readonly MannequinBone[] = buildBones();

/** Rest positions (metres, world space, VRM 1.0 orientation) keyed by bone name. */
export const MANNEQUIN_REST_POSITIONS: Readonly<Record<string, Vec3>> = Object.fromEntries(
  MANNEQUIN_BONES.map((bone) => [bone.name, bone.position]),
);

/** Returns the rest position of a bone; throws for an unknown name. */
export function getBonePosition(name: string): Vec3 {
  const position = MANNEQUIN_REST_POSITIONS[name];
  if (!position) throw new Error(`mannequin: unknown bone "${name}"`);
  return position;
}
