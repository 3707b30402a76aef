import * as THREE from 'three';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  createMannequinVrm,
  MANNEQUIN_COLOURS,
  MANNEQUIN_DIMENSIONS,
  MANNEQUIN_EXPRESSIONS,
  MANNEQUIN_REST_POSITIONS,
  type MannequinSpec,
} from '../src/index.js';
import { type LoadedVrm, loadMannequin, rotateVrm0 } from './load-mannequin.js';

const D = MANNEQUIN_DIMENSIONS;
const MM = 0.001;

/** VRM 1.0 required humanoid bones plus everything the mannequin promises (fingers, eyes, toes…). */
const EXPECTED_BONES = [
  'hips',
  'spine',
  'chest',
  'upperChest',
  'neck',
  'head',
  'leftEye',
  'rightEye',
  ...['left', 'right'].flatMap((s) => [
    `${s}Shoulder`,
    `${s}UpperArm`,
    `${s}LowerArm`,
    `${s}Hand`,
    `${s}UpperLeg`,
    `${s}LowerLeg`,
    `${s}Foot`,
    `${s}Toes`,
    `${s}ThumbMetacarpal`,
    `${s}ThumbProximal`,
    `${s}ThumbDistal`,
    ...['Index', 'Middle', 'Ring', 'Little'].flatMap((f) =>
      ['Proximal', 'Intermediate', 'Distal'].map((segment) => `${s}${f}${segment}`),
    ),
  ]),
] as const;

function worldPosition(object: THREE.Object3D): THREE.Vector3 {
  return object.getWorldPosition(new THREE.Vector3());
}

function skinnedMeshes(vrm: LoadedVrm): THREE.SkinnedMesh[] {
  const meshes: THREE.SkinnedMesh[] = [];
  vrm.scene.traverse((object) => {
    if ((object as THREE.SkinnedMesh).isSkinnedMesh) meshes.push(object as THREE.SkinnedMesh);
  });
  return meshes;
}

/** Bounding box of the skinned (posed) meshes in world space. */
function measureSkinnedBounds(vrm: LoadedVrm): THREE.Box3 {
  vrm.scene.updateMatrixWorld(true);
  const box = new THREE.Box3();
  const vertex = new THREE.Vector3();
  for (const mesh of skinnedMeshes(vrm)) {
    const position = mesh.geometry.getAttribute('position');
    for (let i = 0; i < position.count; i++) {
      mesh.getVertexPosition(i, vertex);
      box.expandByPoint(vertex.applyMatrix4(mesh.matrixWorld));
    }
  }
  return box;
}

describe.each(['1.0', '0.x'] as const)('mannequin VRM %s', (spec: MannequinSpec) => {
  let bytes: Uint8Array;
  let vrm: LoadedVrm;
  beforeAll(async () => {
    bytes = await createMannequinVrm({ specVersion: spec });
    vrm = await loadMannequin(bytes);
    // The renderer turns VRM 0.x models to face +Z the same way; after this both variants agree.
    rotateVrm0(vrm);
    vrm.scene.updateMatrixWorld(true);
  });

  test('three-vrm reads the meta of the right VRM version', () => {
    if (spec === '1.0') {
      expect(vrm.meta.metaVersion).toBe('1');
      expect(vrm.meta).toMatchObject({ name: 'vrm-lora mannequin', authors: ['vrm-lora'] });
    } else {
      expect(vrm.meta.metaVersion).toBe('0');
      expect(vrm.meta).toMatchObject({ title: 'vrm-lora mannequin', author: 'vrm-lora', licenseName: 'CC0' });
    }
  });

  test('every humanoid bone is present, including fingers, eyes and toes', () => {
    const missing = EXPECTED_BONES.filter((name) => vrm.humanoid.getRawBoneNode(name) === null);
    expect(missing).toEqual([]);
  });

  test('normalized rig joints sit at MANNEQUIN_DIMENSIONS heights, left limbs on +X (facing +Z)', () => {
    const at = (bone: string) => {
      const node = vrm.humanoid.getNormalizedBoneNode(bone);
      if (!node) throw new Error(`no normalized ${bone}`);
      return worldPosition(node);
    };
    expect(at('hips').y).toBeCloseTo(D.hipsY, 5);
    expect(at('leftUpperArm').y).toBeCloseTo(D.shoulderY, 5);
    expect(at('leftLowerLeg').y).toBeCloseTo(D.kneeY, 5);
    expect(at('rightFoot').y).toBeCloseTo(D.ankleY, 5);
    expect(at('leftEye').y).toBeCloseTo(D.eyeY, 5);
    expect(at('leftUpperLeg').y).toBeCloseTo(D.upperLegY, 5);
    expect(at('leftHand').x).toBeGreaterThan(0.6);
    expect(at('rightHand').x).toBeLessThan(-0.6);
    expect(at('leftEye').z).toBeGreaterThan(at('head').z + 0.05); // eyes in front: the face looks at +Z
    expect(at('leftToes').z).toBeGreaterThan(0.1);
    for (const [name, position] of Object.entries(MANNEQUIN_REST_POSITIONS)) {
      const raw = vrm.scene.getObjectByName(name);
      if (!raw) throw new Error(`no node ${name}`);
      expect(worldPosition(raw).distanceTo(new THREE.Vector3(...position))).toBeLessThan(1e-5);
    }
  });

  test('the skinned mesh spans sole to head top and fingertip to fingertip', () => {
    const box = measureSkinnedBounds(vrm);
    expect(Math.abs(box.max.y - D.headTopY)).toBeLessThan(MM);
    expect(Math.abs(box.min.y - D.soleY)).toBeLessThan(MM);
    expect(Math.abs(box.max.x - box.min.x - D.armSpanMetres)).toBeLessThan(MM);
    expect(Math.abs(box.max.z - D.toeTipZ)).toBeLessThan(MM);
  });

  test('every expression is there under its VRM 1.0 name (0.x joy → happy, a → aa, …)', () => {
    const names = vrm.expressionManager?.expressions.map((expression) => expression.expressionName) ?? [];
    expect([...names].sort()).toEqual([...MANNEQUIN_EXPRESSIONS].sort());
  });

  test('expression morphs move only face vertices, and each moves some by at least 2 mm', () => {
    const face = skinnedMeshes(vrm).filter((mesh) => mesh.geometry.morphAttributes.position);
    expect(face.length).toBeGreaterThan(0);
    const manager = vrm.expressionManager;
    if (!manager) throw new Error('no expressions');
    for (const name of MANNEQUIN_EXPRESSIONS) {
      let largest = 0;
      const expression = manager.getExpression(name);
      const binds = (expression as unknown as { _binds: { index: number }[] })._binds;
      const index = binds[0]?.index ?? -1;
      for (const mesh of face) {
        const base = mesh.geometry.getAttribute('position');
        const delta = mesh.geometry.morphAttributes.position?.[index];
        if (!delta) throw new Error(`${name}: no morph #${index}`);
        for (let i = 0; i < base.count; i++) {
          const length = Math.hypot(delta.getX(i), delta.getY(i), delta.getZ(i));
          if (length > 1e-7) expect(base.getY(i)).toBeGreaterThan(D.faceRegionBottomY);
          largest = Math.max(largest, length);
        }
      }
      expect(largest, name).toBeGreaterThan(0.002);
    }
  });

  test('look-at is bone type and turns the eye bones', () => {
    const lookAt = vrm.lookAt;
    if (!lookAt) throw new Error('no look-at');
    expect((lookAt.applier.constructor as { type?: string }).type).toBe('bone');
    const eye = vrm.humanoid.getNormalizedBoneNode('leftEye');
    if (!eye) throw new Error('no eye');
    // A target ahead and to the avatar's left (+X): the eye turns toward +X.
    // A target 68° to the avatar's left maps to 68/90 × 20° ≈ 15° of eye yaw.
    lookAt.lookAt(new THREE.Vector3(1, D.eyeY, 0.5));
    lookAt.update(0);
    const forward = lookAt.faceFront.clone().applyQuaternion(eye.getWorldQuaternion(new THREE.Quaternion()));
    expect(forward.x).toBeGreaterThan(Math.sin((12 * Math.PI) / 180));
    expect(forward.x).toBeLessThan(Math.sin((20 * Math.PI) / 180));
    lookAt.reset();
  });

  test('the hair strand is a spring chain that sags under gravity and stays out of the head', () => {
    const manager = vrm.springBoneManager;
    if (!manager) throw new Error('no spring bones');
    const jointNames = [...manager.joints].map((joint) => joint.bone.name);
    expect(jointNames).toEqual(expect.arrayContaining(['hairRoot', 'hair1', 'hair2', 'hair3']));
    const tip = vrm.scene.getObjectByName('hairEnd');
    if (!tip) throw new Error('no hair tip');
    const restY = worldPosition(tip).y;
    for (let step = 0; step < 240; step++) vrm.update(1 / 60);
    const settled = worldPosition(tip);
    expect(settled.y).toBeLessThan(restY - 0.05);
    const headCentre = new THREE.Vector3(0, 1.584, 0.012);
    expect(settled.distanceTo(headCentre)).toBeGreaterThan(0.1);
    manager.reset();
  });

  test('same options give identical bytes; a GLB with 4-byte aligned JSON and BIN chunks and no images', async () => {
    expect(Buffer.compare(await createMannequinVrm({ specVersion: spec }), bytes)).toBe(0);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x46546c67);
    expect(view.getUint32(8, true)).toBe(bytes.byteLength);
    const jsonLength = view.getUint32(12, true);
    expect(jsonLength % 4).toBe(0);
    expect(view.getUint32(16, true)).toBe(0x4e4f534a);
    expect(view.getUint32(20 + jsonLength + 4, true)).toBe(0x004e4942);
    expect(view.getUint32(20 + jsonLength, true) % 4).toBe(0);
    const json = JSON.parse(new TextDecoder().decode(bytes.subarray(20, 20 + jsonLength)));
    expect(json.images).toBeUndefined();
    expect(json.extensionsUsed).toEqual(spec === '1.0' ? ['VRMC_springBone', 'VRMC_vrm'] : ['VRM']);
  });
});

test("the avatar's left limbs are blue and the right ones red", async () => {
  const vrm = await loadMannequin(await createMannequinVrm());
  const colourOf = (bone: string) => {
    for (const mesh of skinnedMeshes(vrm)) {
      const joints = mesh.geometry.getAttribute('skinIndex');
      const weights = mesh.geometry.getAttribute('skinWeight');
      const boneIndex = mesh.skeleton.bones.findIndex((b) => b.name === bone);
      for (let i = 0; i < joints.count; i++) {
        if (joints.getX(i) === boneIndex && weights.getX(i) === 1) {
          return (mesh.material as THREE.MeshStandardMaterial).color;
        }
      }
    }
    throw new Error(`nothing weighted fully to ${bone}`);
  };
  for (const bone of ['leftLowerArm', 'leftLowerLeg', 'leftHand', 'leftIndexDistal', 'leftToes']) {
    const colour = colourOf(bone);
    expect(colour.b, bone).toBeGreaterThan(colour.r * 2);
    expect(`#${colour.getHexString()}`, bone).toBe(MANNEQUIN_COLOURS.left);
  }
  for (const bone of ['rightLowerArm', 'rightLowerLeg', 'rightHand', 'rightIndexDistal', 'rightToes']) {
    const colour = colourOf(bone);
    expect(colour.r, bone).toBeGreaterThan(colour.b * 2);
    expect(`#${colour.getHexString()}`, bone).toBe(MANNEQUIN_COLOURS.right);
  }
  expect(MANNEQUIN_COLOURS.left).toBe('#296be6');
  expect(MANNEQUIN_COLOURS.right).toBe('#e63d2e');
});

test('as stored, the VRM 0.x file faces −Z with the left hand at −X, like other 0.x models', async () => {
  const vrm = await loadMannequin(await createMannequinVrm({ specVersion: '0.x' }));
  vrm.scene.updateMatrixWorld(true);
  const at = (name: string) => {
    const node = vrm.humanoid.getRawBoneNode(name);
    if (!node) throw new Error(`no ${name}`);
    return worldPosition(node);
  };
  expect(at('leftHand').x).toBeCloseTo(-0.66, 5);
  expect(at('leftEye').z).toBeLessThan(-0.05);
  expect(at('leftToes').z).toBeCloseTo(-0.12, 5);
  expect(vrm.lookAt?.faceFront.z).toBe(-1);
});

test('a bad specVersion is a clear error', async () => {
  await expect(createMannequinVrm({ specVersion: '2.0' as MannequinSpec })).rejects.toThrow(
    `createMannequinVrm: specVersion must be '1.0' or '0.x', got "2.0"`,
  );
});
