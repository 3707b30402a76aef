import { addTube, profileKeys } from './add-tube.js';
import { addEyes, addFace, FACE_MORPH_NAMES } from './build-face-geometry.js';
import { addHairStrand, addHead } from './build-head-geometry.js';
import { addArm, addHand, addLeg } from './build-limb-geometry.js';
import { getBonePosition, MANNEQUIN_DIMENSIONS } from './mannequin-dimensions.js';
import { type MaterialName, MeshBuilder } from './mesh-builder.js';

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

/** Adds the torso, hips to the base of the neck, skinned hips → spine → chest → upper chest. */
function addTorso(body: MeshBuilder): void {
  const bottom = 0.8;
  const at = (y: number) => y - bottom;
  addTube(
    body,
    {
      start: [0, bottom, 0],
      end: [0, 1.47, 0],
      side: [1, 0, 0],
      profile: profileKeys(
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
