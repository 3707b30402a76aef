import { Euler, MathUtils, Quaternion, Vector3 } from 'three';
import { type FbxBone, type FbxCurve, type FbxTake, writeAsciiFbx } from './write-ascii-fbx.js';

/** T-pose joint positions (cm, facing +Z, the avatar's left is +X) of a Mixamo-like rig, by Mixamo bone name. */
const JOINTS: ReadonlyArray<{ name: string; parent: string | null; world: [number, number, number] }> = [
  { name: 'Hips', parent: null, world: [0, 100, 0] },
  { name: 'Spine', parent: 'Hips', world: [0, 110, 0] },
  { name: 'Spine1', parent: 'Spine', world: [0, 122, 0] },
  { name: 'Spine2', parent: 'Spine1', world: [0, 135, 0] },
  { name: 'Neck', parent: 'Spine2', world: [0, 150, 0] },
  { name: 'Head', parent: 'Neck', world: [0, 160, 0] },
  { name: 'LeftShoulder', parent: 'Spine2', world: [6, 145, 0] },
  { name: 'LeftArm', parent: 'LeftShoulder', world: [18, 145, 0] },
  { name: 'LeftForeArm', parent: 'LeftArm', world: [45, 145, 0] },
  { name: 'LeftHand', parent: 'LeftForeArm', world: [70, 145, 0] },
  { name: 'RightShoulder', parent: 'Spine2', world: [-6, 145, 0] },
  { name: 'RightArm', parent: 'RightShoulder', world: [-18, 145, 0] },
  { name: 'RightForeArm', parent: 'RightArm', world: [-45, 145, 0] },
  { name: 'RightHand', parent: 'RightForeArm', world: [-70, 145, 0] },
  { name: 'LeftUpLeg', parent: 'Hips', world: [9, 95, 0] },
  { name: 'LeftLeg', parent: 'LeftUpLeg', world: [9, 52, 0] },
  { name: 'LeftFoot', parent: 'LeftLeg', world: [9, 8, 0] },
  { name: 'LeftToeBase', parent: 'LeftFoot', world: [9, 1, 12] },
  { name: 'RightUpLeg', parent: 'Hips', world: [-9, 95, 0] },
  { name: 'RightLeg', parent: 'RightUpLeg', world: [-9, 52, 0] },
  { name: 'RightFoot', parent: 'RightLeg', world: [-9, 8, 0] },
  { name: 'RightToeBase', parent: 'RightFoot', world: [-9, 1, 12] },
];

/** FBX euler (degrees, order XYZ: X applied first) → quaternion, built from axis rotations. */
export function quaternionFromFbxEuler([x, y, z]: readonly [number, number, number]): Quaternion {
  const qx = new Quaternion().setFromAxisAngle(new Vector3(1, 0, 0), MathUtils.degToRad(x));
  const qy = new Quaternion().setFromAxisAngle(new Vector3(0, 1, 0), MathUtils.degToRad(y));
  const qz = new Quaternion().setFromAxisAngle(new Vector3(0, 0, 1), MathUtils.degToRad(z));
  return qz.multiply(qy).multiply(qx);
}

function fbxEulerFromQuaternion(q: Quaternion): [number, number, number] {
  const euler = new Euler().setFromQuaternion(q, 'ZYX');
  return [MathUtils.radToDeg(euler.x), MathUtils.radToDeg(euler.y), MathUtils.radToDeg(euler.z)];
}

/** A fixed, non-trivial PreRotation per bone (degrees), like Mixamo's joint orients but less tidy. */
function preRotationOf(index: number): [number, number, number] {
  return [((index * 37) % 90) - 45, ((index * 53) % 120) - 60, ((index * 71) % 160) - 80];
}

/** A known animation: per Mixamo bone, the expected normalized (VRM) rotation at each frame. */
export interface SyntheticTakeSpec {
  name: string;
  frameRate: number;
  frameCount: number;
  /** Expected normalized-bone rotation of a Mixamo bone at a frame. */
  rotations: Record<string, (frame: number) => Quaternion>;
  /** Hips world position (cm) at a frame; the rest hips height is 100 cm. */
  hipsPath?: (frame: number) => [number, number, number];
}

/**
 * Writes a Mixamo-rig ASCII FBX whose keys produce exactly the given normalized rotations:
 * key = restWorld⁻¹ · expected · restWorld, the inverse of the baker's retarget.
 *
 * @param prefix Bone-name prefix, e.g. `mixamorig:` or `mixamorig1:`.
 * @param emptyFirstTake Adds an empty "Take 001" stack before the others (as Samba_Dancing.fbx has).
 * @param timeMode The file's declared `TimeMode` (default 6 = 30 fps; `null` declares none).
 */
export function writeSyntheticMixamoFbx(
  takes: readonly SyntheticTakeSpec[],
  options: {
    prefix?: string;
    emptyFirstTake?: boolean;
    timeMode?: number | null;
    customFrameRate?: number;
    /** Parents the rig under an `Armature` node with this rotation and uniform scale, as Blender exports do. */
    armature?: { preRotationDegrees: [number, number, number]; scale: number };
    /** Lowers both arms of the rest pose by this many degrees (an A-pose rig). */
    restArmsDownDegrees?: number;
  } = {},
): string {
  const joints = lowerArms(JOINTS, options.restArmsDownDegrees ?? 0);
  const prefix = options.prefix ?? 'mixamorig:';
  const armatureRotation = options.armature
    ? quaternionFromFbxEuler(options.armature.preRotationDegrees)
    : new Quaternion();
  const armatureScale = options.armature?.scale ?? 1;
  const restWorld = new Map<string, Quaternion>();
  const bones: FbxBone[] = joints.map((joint, index) => {
    const pre = preRotationOf(index);
    const parentWorld = joint.parent ? restWorld.get(joint.parent)! : armatureRotation;
    restWorld.set(joint.name, parentWorld.clone().multiply(quaternionFromFbxEuler(pre)));
    const parentJoint = joints.find((candidate) => candidate.name === joint.parent);
    const offset = new Vector3(...joint.world);
    if (parentJoint) offset.sub(new Vector3(...parentJoint.world));
    offset.applyQuaternion(parentWorld.clone().invert()).divideScalar(armatureScale);
    return {
      name: prefix + joint.name,
      parent: joint.parent ? prefix + joint.parent : options.armature ? 'Armature' : null,
      translation: [offset.x, offset.y, offset.z],
      preRotationDegrees: pre,
    };
  });
  if (options.armature) {
    bones.unshift({
      name: 'Armature',
      parent: null,
      translation: [0, 0, 0],
      preRotationDegrees: options.armature.preRotationDegrees,
      scaling: armatureScale,
    });
  }
  // Hips keys are local to the hips' parent: world path → armature space.
  const toHipsParent = (world: [number, number, number]): [number, number, number] => {
    const local = new Vector3(...world)
      .applyQuaternion(armatureRotation.clone().invert())
      .divideScalar(armatureScale);
    return [local.x, local.y, local.z];
  };

  const fbxTakes: FbxTake[] = takes.map((take) => {
    const frames = Array.from({ length: take.frameCount }, (_, frame) => frame);
    const timesSeconds = frames.map((frame) => frame / take.frameRate);
    const curves: FbxCurve[] = Object.entries(take.rotations).map(([bone, expected]) => {
      const rest = restWorld.get(bone);
      if (!rest) throw new Error(`synthetic rig has no bone ${bone}`);
      return {
        bone: prefix + bone,
        property: 'rotation',
        timesSeconds,
        values: frames.map((frame) =>
          fbxEulerFromQuaternion(rest.clone().invert().multiply(expected(frame)).multiply(rest)),
        ),
      };
    });
    const hipsPath = take.hipsPath;
    if (hipsPath) {
      curves.push({
        bone: `${prefix}Hips`,
        property: 'translation',
        timesSeconds,
        values: frames.map((frame) => toHipsParent(hipsPath(frame))),
      });
    }
    return { name: take.name, curves };
  });
  if (options.emptyFirstTake) fbxTakes.unshift({ name: 'Take 001', curves: [] });
  return writeAsciiFbx({
    bones,
    takes: fbxTakes,
    ...(options.timeMode === undefined ? {} : { timeMode: options.timeMode }),
    ...(options.customFrameRate === undefined ? {} : { customFrameRate: options.customFrameRate }),
  });
}

/** The joints with both arms (upper arm onwards) turned down about the shoulder by `degrees`. */
function lowerArms(joints: typeof JOINTS, degrees: number): typeof JOINTS {
  if (degrees === 0) return joints;
  const pivots: Record<string, string> = { Left: 'LeftArm', Right: 'RightArm' };
  return joints.map((joint) => {
    const side = /^(Left|Right)(ForeArm|Hand)$/.exec(joint.name)?.[1];
    if (!side) return joint;
    const pivot = new Vector3(...joints.find((candidate) => candidate.name === pivots[side])!.world);
    const turn = rotationAbout('z', side === 'Left' ? -degrees : degrees);
    const world = new Vector3(...joint.world).sub(pivot).applyQuaternion(turn).add(pivot);
    return { ...joint, world: [world.x, world.y, world.z] };
  });
}

/** Writes an FBX whose bones follow no known naming (for the unsupported-rig error). */
export function writeUnknownRigFbx(): string {
  const bones: FbxBone[] = [
    { name: 'Bone001', parent: null, translation: [0, 100, 0], preRotationDegrees: [0, 0, 0] },
    { name: 'Bone002', parent: 'Bone001', translation: [0, 10, 0], preRotationDegrees: [0, 0, 0] },
  ];
  const timesSeconds = [0, 1 / 30];
  return writeAsciiFbx({
    bones,
    takes: [
      {
        name: 'Take 001',
        curves: [
          {
            bone: 'Bone001',
            property: 'rotation',
            timesSeconds,
            values: [
              [0, 0, 0],
              [10, 0, 0],
            ],
          },
          {
            bone: 'Bone002',
            property: 'rotation',
            timesSeconds,
            values: [
              [0, 0, 0],
              [0, 10, 0],
            ],
          },
        ],
      },
    ],
  });
}

/** Axis-angle rotation with the angle in degrees. */
export function rotationAbout(axis: 'x' | 'y' | 'z', degrees: number): Quaternion {
  const vector = new Vector3(axis === 'x' ? 1 : 0, axis === 'y' ? 1 : 0, axis === 'z' ? 1 : 0);
  return new Quaternion().setFromAxisAngle(vector, MathUtils.degToRad(degrees));
}
