// Poses the loaded avatar for a shot: bone rotations and hips, expressions, spring bones, look-at.
import * as THREE from 'three';
import type { PageFailure, PageShotInput, PageShotOutput } from '../protocol.js';
import { fail, type LoadedAvatar } from './page-state.js';
import { V0_V1_PRESET_NAMES } from './three-vrm-extras.js';

/** three-vrm's own VRM 0.x → 1.0 preset names (three-vrm already stores presets under 1.0 names). */
const VRM0_EXPRESSION_NAMES = V0_V1_PRESET_NAMES;

/** Resolves a requested expression name against the model's names (VRM 0.x names mapped, then case-insensitive). */
export function resolveExpression(requested: string, names: string[]): string | null {
  if (names.includes(requested)) return requested;
  const mapped = VRM0_EXPRESSION_NAMES[requested.toLowerCase()];
  if (mapped && names.includes(mapped)) return mapped;
  const lower = requested.toLowerCase();
  return names.find((name) => name.toLowerCase() === lower) ?? null;
}

/** Turns a pose rotation/position from the pose file's +Z-facing space into the model's normalized space. */
function toModelSpace(v: { x: number; y: number; z: number }, isVrm0: boolean): void {
  // VRM 0.x normalized bones face -Z (the scene is turned by rotateVRM0): a 180° turn about Y negates x and z.
  if (isVrm0) {
    v.x = -v.x;
    v.z = -v.z;
  }
}

/** Optional bones folded into a neighbour when the avatar lacks them: [missing, into, into is its parent or child]. */
const FOLDED_BONES: readonly [string, string, 'parent' | 'child'][] = [
  ['upperChest', 'chest', 'parent'],
  ['chest', 'spine', 'parent'],
  ['neck', 'head', 'child'],
];

function applyPose(loaded: LoadedAvatar, input: PageShotInput): void {
  const { vrm, info } = loaded;
  const isVrm0 = info.specVersion === '0.x';
  const humanoid = vrm.humanoid;
  humanoid.resetNormalizedPose();
  type BoneName = Parameters<typeof humanoid.getNormalizedBoneNode>[0];
  const rotations = new Map<string, THREE.Quaternion>();
  for (const [name, bone] of Object.entries(input.pose.bones)) {
    if (!bone) continue;
    const [x, y, z, w] = bone.rotation;
    rotations.set(name, new THREE.Quaternion(x, y, z, w).normalize());
  }
  // Optional spine bones the avatar lacks: fold their rotation into the next bone on the chain so the
  // bend is kept (chest ← chest · upperChest, spine ← spine · chest, head ← neck · head).
  const has = (name: string) => humanoid.getNormalizedBoneNode(name as BoneName) !== null;
  for (const [missing, into, order] of FOLDED_BONES) {
    const q = rotations.get(missing);
    if (!q || has(missing)) continue;
    const target = rotations.get(into) ?? new THREE.Quaternion();
    rotations.set(into, order === 'parent' ? target.multiply(q) : q.clone().multiply(target));
    rotations.delete(missing);
  }
  for (const [name, q] of rotations) {
    const node = humanoid.getNormalizedBoneNode(name as BoneName);
    if (!node) continue;
    toModelSpace(q, isVrm0);
    node.quaternion.copy(q);
  }
  const hips = humanoid.getNormalizedBoneNode('hips');
  if (hips) {
    if (input.pose.hipsPosition) {
      const [x, y, z] = input.pose.hipsPosition;
      const p = new THREE.Vector3(x, y, z).multiplyScalar(info.hipsHeightMetres);
      toModelSpace(p, isVrm0);
      hips.position.copy(p);
    } else {
      hips.position.copy(loaded.restHipsPosition);
    }
  }
}

function applyExpressions(
  loaded: LoadedAvatar,
  input: PageShotInput,
  warnings: string[],
): PageFailure | string | null {
  const manager = loaded.vrm.expressionManager;
  const names = loaded.info.expressionNames;
  if (manager) for (const name of names) manager.setValue(name, 0);
  for (const [name, weight] of Object.entries(input.pose.expressions ?? {})) {
    const resolved = resolveExpression(name, names);
    if (resolved && manager) manager.setValue(resolved, weight);
    else warnings.push(`pose expression track "${name}" has no matching expression in this avatar; ignored`);
  }
  if (input.expression === null) return null;
  const resolved = resolveExpression(input.expression, names);
  if (!resolved || !manager) {
    const message = names.length
      ? `expression "${input.expression}" is not in this avatar; it has: ${names.join(', ')} — pick one of those in the manifest \`expression\` field`
      : `expression "${input.expression}" is not in this avatar, which has no expressions; drop the manifest \`expression\` field for it`;
    if (input.strict) return fail('expression-missing', message);
    warnings.push(message);
    return null;
  }
  manager.setValue(resolved, 1);
  return resolved;
}

/**
 * Poses the avatar for a shot: pose, expressions (morph weights now, so the framing measures this shot's face),
 * then spring bones reset to the rest shape of this pose and settled by a fixed number of fixed steps. Returns
 * the applied expression (or null) and when the springs started (`performance.now()`), or a failure.
 */
export function poseForShot(
  loaded: LoadedAvatar,
  input: PageShotInput,
  warnings: string[],
): PageFailure | { expression: string | null; springsStartedAt: number } {
  const { vrm } = loaded;
  applyPose(loaded, input);
  const expression = applyExpressions(loaded, input, warnings);
  if (expression !== null && typeof expression === 'object') return expression;
  vrm.expressionManager?.update();
  vrm.humanoid.update();
  vrm.scene.updateMatrixWorld(true);
  vrm.nodeConstraintManager?.update();
  vrm.scene.updateMatrixWorld(true);
  const springsStartedAt = performance.now();
  const springs = vrm.springBoneManager;
  if (springs) {
    springs.reset();
    for (let i = 0; i < input.springSteps; i++) springs.update(input.springStepSeconds);
  }
  vrm.scene.updateMatrixWorld(true);
  return { expression, springsStartedAt };
}

/** Sets yaw/pitch (or aims at `camera`) and pushes them through the model's own look-at applier. */
export function applyLookAt(
  loaded: LoadedAvatar,
  input: PageShotInput,
  camera: THREE.Camera,
): PageShotOutput['lookAt'] {
  const { vrm } = loaded;
  const lookAt = vrm.lookAt;
  let result: PageShotOutput['lookAt'] = { mode: 'ahead', yawDegrees: 0, pitchDegrees: 0 };
  if (lookAt) {
    // three-vrm's pitch is positive downward; the pose file and our metadata use positive upward.
    if (input.lookAtCamera) {
      lookAt.lookAt(camera.getWorldPosition(new THREE.Vector3()));
      result = { mode: 'camera', yawDegrees: lookAt.yaw, pitchDegrees: 0 - lookAt.pitch };
    } else if (input.pose.lookAt) {
      lookAt.yaw = input.pose.lookAt.yawDegrees;
      lookAt.pitch = -input.pose.lookAt.pitchDegrees;
      result = { mode: 'pose', yawDegrees: lookAt.yaw, pitchDegrees: 0 - lookAt.pitch };
    } else {
      lookAt.yaw = 0;
      lookAt.pitch = 0;
    }
    lookAt.update(0);
  }
  vrm.expressionManager?.update();
  vrm.scene.updateMatrixWorld(true);
  return result;
}
