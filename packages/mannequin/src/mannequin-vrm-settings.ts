import { getBonePosition, HEAD_ELLIPSOID } from './mannequin-dimensions.js';
import { subtractVec3, type Vec3 } from './vec3.js';

// What the mannequin's VRM extensions say, in both flavours: a table of settings the VRM 1.0 and 0.x
// builders share, and the references into the glTF they resolve when the file is written.

/** Where the extensions point into the glTF (indices in the file being written) and the flavour's axes. */
export interface MannequinGltfRefs {
  /** The node index of a bone, by name. */
  nodeOf: (bone: string) => number;
  /** The node index of each mesh, in mesh order. */
  meshNodeIndex: readonly number[];
  /** The index of each mesh, in mesh order. */
  meshIndex: readonly number[];
  /** The face mesh (its morph targets are the expressions), and its node. */
  faceMeshIndex: number;
  faceNode: number;
  /** A VRM 1.0-axes vector in this flavour's glTF axes. */
  orient: (v: Vec3) => [number, number, number];
}

/** Meta both flavours write. */
export const MANNEQUIN_META = {
  name: 'vrm-lora mannequin',
  author: 'vrm-lora',
  cc0Url: 'https://creativecommons.org/publicdomain/zero/1.0/',
} as const;

/** Spring settings of the hair strand. */
export const HAIR_SPRING = { stiffness: 0.6, gravityPower: 1.5, dragForce: 0.4, hitRadiusMetres: 0.02 };

/** The hair strand's spring chain, root to tip. */
export const HAIR_CHAIN: readonly string[] = ['hairRoot', 'hair1', 'hair2', 'hair3', 'hairEnd'];

/** A sphere collider on a bone: offset in VRM 1.0 axes. */
export interface MannequinCollider {
  name: string;
  bone: string;
  offset: Vec3;
  radiusMetres: number;
}

/** Colliders that keep the hair out of the head and the upper back, one collider group each. */
export const COLLIDERS: readonly MannequinCollider[] = [
  {
    name: 'head',
    bone: 'head',
    offset: subtractVec3(HEAD_ELLIPSOID.centre, getBonePosition('head')),
    radiusMetres: 0.088,
  },
  { name: 'body', bone: 'upperChest', offset: [0, 0.02, 0], radiusMetres: 0.1 },
];

/** Look-at output angles, degrees (how far the eyes turn at the input limit of 90°). */
export const LOOK_AT = { horizontalDegrees: 20, verticalDegrees: 15 };

/** Look-at origin relative to the head bone (between the eyes), VRM 1.0 axes. */
export const LOOK_AT_OFFSET: Vec3 = [
  0,
  getBonePosition('leftEye')[1] - getBonePosition('head')[1],
  getBonePosition('leftEye')[2] - getBonePosition('head')[2],
];

/** VRM 0.x thumb bone names (0.x counts the metacarpal as "proximal"). */
export const V0_BONE_NAMES: Readonly<Record<string, string>> = {
  leftThumbMetacarpal: 'leftThumbProximal',
  leftThumbProximal: 'leftThumbIntermediate',
  rightThumbMetacarpal: 'rightThumbProximal',
  rightThumbProximal: 'rightThumbIntermediate',
};

/** VRM 0.x blend-shape group per expression: display name and preset (`unknown` = custom, found by name). */
export const V0_GROUPS: Readonly<Record<string, { name: string; presetName: string }>> = {
  happy: { name: 'Joy', presetName: 'joy' },
  angry: { name: 'Angry', presetName: 'angry' },
  sad: { name: 'Sorrow', presetName: 'sorrow' },
  relaxed: { name: 'Fun', presetName: 'fun' },
  surprised: { name: 'surprised', presetName: 'unknown' },
  aa: { name: 'A', presetName: 'a' },
  ih: { name: 'I', presetName: 'i' },
  ou: { name: 'U', presetName: 'u' },
  ee: { name: 'E', presetName: 'e' },
  oh: { name: 'O', presetName: 'o' },
  blink: { name: 'Blink', presetName: 'blink' },
  blinkLeft: { name: 'Blink_L', presetName: 'blink_l' },
  blinkRight: { name: 'Blink_R', presetName: 'blink_r' },
};

/** Rounds to the nearest float32 so JSON numbers match what the binary would store. */
export function roundFloat32(value: number): number {
  return Math.fround(value);
}
