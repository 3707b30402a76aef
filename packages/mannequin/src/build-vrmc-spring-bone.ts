import {
  COLLIDERS,
  HAIR_CHAIN,
  HAIR_SPRING,
  type MannequinGltfRefs,
  roundFloat32,
} from './mannequin-vrm-settings.js';

/** The `VRMC_springBone` extension of the VRM 1.0 mannequin: the hair strand and its two colliders. */
export function buildVrmcSpringBone(refs: MannequinGltfRefs): Record<string, unknown> {
  const { nodeOf, orient } = refs;
  return {
    specVersion: '1.0',
    colliders: COLLIDERS.map((collider) => ({
      node: nodeOf(collider.bone),
      shape: {
        sphere: { offset: orient(collider.offset).map(roundFloat32), radius: collider.radiusMetres },
      },
    })),
    colliderGroups: COLLIDERS.map((collider, index) => ({ name: collider.name, colliders: [index] })),
    springs: [
      {
        name: 'hair',
        joints: HAIR_CHAIN.map((bone) => ({
          node: nodeOf(bone),
          hitRadius: HAIR_SPRING.hitRadiusMetres,
          stiffness: HAIR_SPRING.stiffness,
          gravityPower: HAIR_SPRING.gravityPower,
          gravityDir: [0, -1, 0],
          dragForce: HAIR_SPRING.dragForce,
        })),
        colliderGroups: COLLIDERS.map((_, index) => index),
      },
    ],
  };
}
