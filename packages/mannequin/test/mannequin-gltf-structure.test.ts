import { type ILogger, NodeIO } from '@gltf-transform/core';
import { describe, expect, test } from 'vitest';
import { MANNEQUIN_EXTENSIONS } from '../src/build-mannequin-document.js';
import {
  createMannequinVrm,
  MANNEQUIN_BONES,
  MANNEQUIN_EXPRESSIONS,
  type MannequinSpec,
} from '../src/index.js';

interface GltfJson {
  nodes: { name: string; mesh?: number; skin?: number; children?: number[] }[];
  meshes: { name: string; extras?: { targetNames?: string[] } }[];
  extensions: Record<string, Record<string, unknown>>;
}

/** The JSON chunk of a GLB. */
function readGlbJson(bytes: Uint8Array): GltfJson {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(12, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + length)));
}

const humanBones = MANNEQUIN_BONES.filter((bone) => bone.humanBone !== null).map((bone) => bone.name);
const V0_THUMBS: Record<string, string> = {
  leftThumbProximal: 'leftThumbMetacarpal',
  leftThumbIntermediate: 'leftThumbProximal',
  rightThumbProximal: 'rightThumbMetacarpal',
  rightThumbIntermediate: 'rightThumbProximal',
};

// The VRM extensions are JSON that gltf-transform knows nothing of; their node and mesh indices are resolved
// while the file is written. These tests follow every index back to the node or mesh it must name.
test('VRM 1.0: every index in VRMC_vrm and VRMC_springBone names the right node', async () => {
  const json = readGlbJson(await createMannequinVrm({ specVersion: '1.0' }));
  const nameOf = (index: unknown) => json.nodes[index as number]?.name;
  const vrm = json.extensions.VRMC_vrm as {
    humanoid: { humanBones: Record<string, { node: number }> };
    firstPerson: { meshAnnotations: { node: number }[] };
    expressions: { preset: Record<string, { morphTargetBinds: { node: number; index: number }[] }> };
  };
  const bones = Object.entries(vrm.humanoid.humanBones).map(([bone, { node }]) => [bone, nameOf(node)]);
  expect(bones).toEqual(humanBones.map((bone) => [bone, bone]));
  expect(vrm.firstPerson.meshAnnotations.map(({ node }) => nameOf(node))).toEqual([
    'Body',
    'Face',
    'Eyes',
    'Hair',
  ]);
  for (const [name, expression] of Object.entries(vrm.expressions.preset)) {
    const [bind] = expression.morphTargetBinds;
    const face = json.nodes[bind?.node as number];
    expect(face?.name).toBe('Face');
    expect(json.meshes[face?.mesh as number]?.extras?.targetNames?.[bind?.index as number]).toBe(name);
  }
  expect(Object.keys(vrm.expressions.preset)).toEqual([...MANNEQUIN_EXPRESSIONS]);

  const spring = json.extensions.VRMC_springBone as {
    colliders: { node: number }[];
    springs: { joints: { node: number }[] }[];
  };
  expect(spring.colliders.map(({ node }) => nameOf(node))).toEqual(['head', 'upperChest']);
  expect(spring.springs[0]?.joints.map(({ node }) => nameOf(node))).toEqual([
    'hairRoot',
    'hair1',
    'hair2',
    'hair3',
    'hairEnd',
  ]);
});

test('VRM 0.x: every index in the VRM extension names the right node or mesh', async () => {
  const json = readGlbJson(await createMannequinVrm({ specVersion: '0.x' }));
  const nameOf = (index: unknown) => json.nodes[index as number]?.name;
  const vrm = json.extensions.VRM as {
    humanoid: { humanBones: { bone: string; node: number }[] };
    firstPerson: { firstPersonBone: number; meshAnnotations: { mesh: number }[] };
    blendShapeMaster: { blendShapeGroups: { binds: { mesh: number; index: number }[] }[] };
    secondaryAnimation: { boneGroups: { bones: number[] }[]; colliderGroups: { node: number }[] };
  };
  const bones = vrm.humanoid.humanBones.map(({ bone, node }) => [V0_THUMBS[bone] ?? bone, nameOf(node)]);
  expect(bones).toEqual(humanBones.map((bone) => [bone, bone]));
  expect(nameOf(vrm.firstPerson.firstPersonBone)).toBe('head');
  expect(vrm.firstPerson.meshAnnotations.map(({ mesh }) => json.meshes[mesh]?.name)).toEqual([
    'Body',
    'Face',
    'Eyes',
    'Hair',
  ]);
  const binds = vrm.blendShapeMaster.blendShapeGroups.map((group) => group.binds[0]);
  expect(
    binds.map((bind) => json.meshes[bind?.mesh as number]?.extras?.targetNames?.[bind?.index as number]),
  ).toEqual([...MANNEQUIN_EXPRESSIONS]);
  expect(vrm.secondaryAnimation.boneGroups[0]?.bones.map(nameOf)).toEqual(['hairRoot']);
  expect(vrm.secondaryAnimation.colliderGroups.map(({ node }) => nameOf(node))).toEqual([
    'head',
    'upperChest',
  ]);
});

describe.each(['1.0', '0.x'] as const)('gltf-transform reads the VRM %s file back', (spec: MannequinSpec) => {
  test('with no warning: the skeleton, one skin, four meshes, eight materials and the face morphs', async () => {
    const warnings: string[] = [];
    const logger: ILogger = {
      debug: () => {},
      info: () => {},
      warn: (text) => warnings.push(text),
      error: (text) => warnings.push(text),
    };
    const io = new NodeIO().setLogger(logger).registerExtensions(MANNEQUIN_EXTENSIONS);
    const root = (await io.readBinary(await createMannequinVrm({ specVersion: spec }))).getRoot();
    expect(warnings).toEqual([]);
    expect(root.listNodes().map((node) => node.getName())).toEqual([
      'Root',
      ...MANNEQUIN_BONES.map((bone) => bone.name),
      'Body',
      'Face',
      'Eyes',
      'Hair',
    ]);
    const [skin] = root.listSkins();
    expect(skin?.listJoints().map((joint) => joint.getName())).toEqual(
      MANNEQUIN_BONES.map((bone) => bone.name),
    );
    expect(skin?.getInverseBindMatrices()?.getCount()).toBe(MANNEQUIN_BONES.length);
    expect(root.listMeshes().map((mesh) => mesh.getName())).toEqual(['Body', 'Face', 'Eyes', 'Hair']);
    expect(root.listMaterials()).toHaveLength(8);
    const face = root.listMeshes()[1];
    for (const primitive of face?.listPrimitives() ?? []) {
      expect(primitive.listTargets().map((target) => target.getName())).toEqual([...MANNEQUIN_EXPRESSIONS]);
      expect(primitive.getAttribute('JOINTS_0')?.getComponentType()).toBe(5121); // unsigned byte
    }
    expect(root.listExtensionsUsed().map((extension) => extension.extensionName)).toEqual(
      spec === '1.0' ? ['VRMC_springBone', 'VRMC_vrm'] : ['VRM'],
    );
  });
});
