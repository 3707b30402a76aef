import type { Buffer, Document, Node, Skin, vec3 } from '@gltf-transform/core';
import { getBonePosition, MANNEQUIN_BONES } from './mannequin-dimensions.js';
import { roundFloat32 } from './mannequin-vrm-settings.js';
import type { Vec3 } from './vec3.js';

/** The mannequin's skeleton in a glTF document. */
export interface MannequinSkeleton {
  /** The root node, parent of the hips. */
  root: Node;
  /** Each bone's node, by bone name. */
  boneNodes: ReadonlyMap<string, Node>;
  /** The one skin over every bone, joints in `MANNEQUIN_BONES` order. */
  skin: Skin;
  /** The skin's joint names, in joint order (a vertex's JOINTS_0 values index this list). */
  jointNames: readonly string[];
}

/**
 * Adds the root and bone nodes (root first, then every bone in `MANNEQUIN_BONES` order, so bones are nodes
 * 1..n) and the skin over every bone, its inverse bind matrices in `buffer`.
 */
export function addMannequinSkeleton(
  document: Document,
  buffer: Buffer,
  orient: (v: Vec3) => [number, number, number],
): MannequinSkeleton {
  const root = document.createNode('Root');
  const boneNodes = new Map<string, Node>();
  for (const bone of MANNEQUIN_BONES) {
    const parentPosition: Vec3 = bone.parent ? getBonePosition(bone.parent) : [0, 0, 0];
    const local = orient([
      bone.position[0] - parentPosition[0],
      bone.position[1] - parentPosition[1],
      bone.position[2] - parentPosition[2],
    ]);
    boneNodes.set(bone.name, document.createNode(bone.name).setTranslation(local.map(roundFloat32) as vec3));
  }
  const nodeOf = (name: string): Node => {
    const node = boneNodes.get(name);
    if (!node) throw new Error(`mannequin: unknown bone "${name}"`);
    return node;
  };
  for (const bone of MANNEQUIN_BONES) {
    (bone.parent ? nodeOf(bone.parent) : root).addChild(nodeOf(bone.name));
  }

  const jointNames = MANNEQUIN_BONES.map((bone) => bone.name);
  const inverseBind = new Float32Array(16 * jointNames.length);
  MANNEQUIN_BONES.forEach((bone, i) => {
    const [x, y, z] = orient(bone.position);
    inverseBind.set([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, -x, -y, -z, 1], i * 16);
  });
  const skin = document
    .createSkin('MannequinSkin')
    .setInverseBindMatrices(document.createAccessor().setType('MAT4').setArray(inverseBind).setBuffer(buffer))
    .setSkeleton(nodeOf('hips'));
  for (const name of jointNames) skin.addJoint(nodeOf(name));
  return { root, boneNodes, skin, jointNames };
}
