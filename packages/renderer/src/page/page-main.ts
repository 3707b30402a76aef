// The page side of the renderer: bundled by esbuild (scripts/build-page.mjs) with three and three-vrm
// inside, loaded into headless Chromium from memory. Installs `window.vrmLora` (see ../protocol.ts).
import { type VRM, VRMLoaderPlugin } from '@pixiv/three-vrm';
import * as THREE from 'three';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import {
  BLOCKED_REQUEST_CONSOLE_PREFIX,
  type MapKind,
  type PageApi,
  type PageAvatarInfo,
  type PageFailure,
  type PageFailureCode,
  type PageInitResult,
  type PageMapsInput,
  type PageMapsOutput,
  type PageResult,
  type PageShotInput,
  type PageShotOutput,
  type PixelBounds,
  type ReadbackMethod,
  type Vec3,
} from '../protocol.js';
import { applyCpuMorphs, type CpuMorphMesh, moveMorphsToCpu } from './cpu-morphs.js';
import { drawMaps } from './draw-maps.js';
import { type FitTargets, fitCamera, makeFitTargets } from './fit-camera.js';
import { packSpans } from './pack-spans.js';
import { projectKeypoints } from './project-keypoints.js';
import { type RegionPixels, renderRegion } from './render-region.js';
import { boxSize, fullFrameBox, projectSubjectBox, reachesInnerEdge } from './subject-box.js';

declare const __THREE_VRM_VERSION__: string;

/** VRM 0.x expression names → VRM 1.0 names (three-vrm already stores presets under 1.0 names). */
const VRM0_EXPRESSION_NAMES: Record<string, string> = {
  joy: 'happy',
  sorrow: 'sad',
  fun: 'relaxed',
  a: 'aa',
  i: 'ih',
  u: 'ou',
  e: 'ee',
  o: 'oh',
  blink_l: 'blinkLeft',
  blink_r: 'blinkRight',
  lookup: 'lookUp',
  lookdown: 'lookDown',
  lookleft: 'lookLeft',
  lookright: 'lookRight',
};

// The server's Content-Security-Policy lets the page reach its own origin only; whatever it blocks (e.g. a
// texture URL inside a VRM) is told to Node, which logs it.
document.addEventListener('securitypolicyviolation', (event) => {
  console.warn(`${BLOCKED_REQUEST_CONSOLE_PREFIX}${event.blockedURI}`);
});

function fail(code: PageFailureCode, message: string): PageFailure {
  return { ok: false, code, message };
}

interface LoadedAvatar {
  info: PageAvatarInfo;
  vrm: VRM;
  /** Rest position of the normalized hips node (model space). */
  restHipsPosition: THREE.Vector3;
  /** Meshes whose morph targets are blended on the CPU (see cpu-morphs.ts). */
  cpuMorphs: CpuMorphMesh[];
}

let renderer: THREE.WebGLRenderer | null = null;
let canvas: HTMLCanvasElement | null = null;
let avatar: LoadedAvatar | null = null;
/** The full image size of the last shot drawn (its last draw may have covered the subject's box only). */
let lastShotSize: { width: number; height: number } | null = null;
const scene = new THREE.Scene();
const camera = new THREE.PerspectiveCamera(30, 1, 0.05, 200);
const keyLight = new THREE.DirectionalLight(0xffffff, Math.PI);
const ambientLight = new THREE.AmbientLight(0xffffff, 0.8);
scene.add(camera, keyLight, keyLight.target, ambientLight);

function init(): PageResult<PageInitResult> {
  if (renderer) return { ok: true, ...describeGl(renderer) };
  canvas = document.createElement('canvas');
  canvas.width = 16;
  canvas.height = 16;
  document.body.appendChild(canvas);
  try {
    renderer = new THREE.WebGLRenderer({
      canvas,
      alpha: true,
      antialias: true,
      premultipliedAlpha: true,
      preserveDrawingBuffer: false,
      powerPreference: 'high-performance',
    });
  } catch (error) {
    return fail('webgl-unavailable', String((error as Error)?.message ?? error));
  }
  renderer.setPixelRatio(1);
  renderer.setClearColor(0x000000, 0);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  return { ok: true, ...describeGl(renderer) };
}

function describeGl(r: THREE.WebGLRenderer): PageInitResult {
  const gl = r.getContext();
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const glRenderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const glVendor = String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  return { glRenderer, glVendor, threeVersion: THREE.REVISION, threeVrmVersion: __THREE_VRM_VERSION__ };
}

async function loadAvatar(key: string, url: string): Promise<PageResult<{ avatar: PageAvatarInfo }>> {
  if (avatar?.info.key === key) return { ok: true, avatar: avatar.info };
  const started = performance.now();
  if (avatar) {
    scene.remove(avatar.vrm.scene);
    disposeObject(avatar.vrm.scene);
    avatar = null;
  }
  const response = await fetch(url);
  const bytes = await response.arrayBuffer();
  const fetched = performance.now();
  const loader = new GLTFLoader();
  loader.register((parser) => new VRMLoaderPlugin(parser));
  let vrm: VRM | undefined;
  try {
    const gltf = await loader.parseAsync(bytes, `${location.origin}/avatar-resources/`);
    vrm = gltf.userData.vrm as VRM | undefined;
  } catch (error) {
    return fail(
      'invalid-avatar',
      `not a readable glTF/VRM file: ${String((error as Error)?.message ?? error)}`,
    );
  }
  if (!vrm) return fail('invalid-avatar', 'the file is glTF but has no VRM extension (VRMC_vrm or VRM)');
  if (!vrm.humanoid) return fail('invalid-avatar', 'the VRM has no humanoid');
  const isVrm0 = vrm.meta?.metaVersion === '0';
  // VRM 0.x faces -Z; this is the one place where it is turned to face +Z like VRM 1.0 (what three-vrm's
  // VRMUtils.rotateVRM0 does). Pose rotations are converted to match in `toModelSpace`.
  if (isVrm0) vrm.scene.rotation.y = Math.PI;
  vrm.scene.traverse((object: THREE.Object3D) => {
    object.frustumCulled = false;
  });
  scene.add(vrm.scene);
  vrm.humanoid.resetNormalizedPose();
  vrm.humanoid.update();
  vrm.scene.updateMatrixWorld(true);
  const hips = vrm.humanoid.getNormalizedBoneNode('hips');
  if (!hips) return fail('invalid-avatar', 'the VRM humanoid has no hips bone');
  const restHipsPosition = hips.position.clone();
  const hipsWorld = hips.getWorldPosition(new THREE.Vector3());
  let vertexCount = 0;
  vrm.scene.traverse((object: THREE.Object3D) => {
    const mesh = object as THREE.Mesh;
    if (mesh.isMesh) vertexCount += mesh.geometry.getAttribute('position')?.count ?? 0;
  });
  if (vrm.lookAt) vrm.lookAt.autoUpdate = false;
  const cpuMorphs = moveMorphsToCpu(vrm.scene);
  const info: PageAvatarInfo = {
    key,
    specVersion: isVrm0 ? '0.x' : '1.0',
    expressionNames: vrm.expressionManager ? Object.keys(vrm.expressionManager.expressionMap) : [],
    hipsHeightMetres: hipsWorld.y,
    lookAtType: vrm.lookAt ? (vrm.lookAt.applier.type as 'bone' | 'expression') : null,
    springJointCount: vrm.springBoneManager?.joints.size ?? 0,
    vertexCount,
    cpuMorphMeshes: cpuMorphs.length,
    loadMs: 0,
    loadPhasesMs: { fetch: fetched - started, parse: performance.now() - fetched, warmUp: 0 },
  };
  avatar = { info, vrm, restHipsPosition, cpuMorphs };
  const warmUpStarted = performance.now();
  warmUp();
  info.loadPhasesMs.warmUp = performance.now() - warmUpStarted;
  info.loadMs = performance.now() - started;
  return { ok: true, avatar: info };
}

/**
 * Compiles the avatar's shader programs and uploads its textures with one tiny draw, so the first shot does
 * not pay for them (and a renderer warmed up while poses bake has them done). Every shot sets its own size,
 * pose and camera, so this draw leaves nothing behind that a shot could see.
 */
function warmUp(): void {
  if (!renderer) return;
  renderer.setSize(16, 16, false);
  camera.position.set(0, 1, 4);
  camera.lookAt(0, 1, 0);
  camera.updateMatrixWorld(true);
  renderer.render(scene, camera);
  // One pixel read waits for the GPU process, so the avatar counts as loaded only once it is drawable.
  const gl = renderer.getContext();
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
}

/** Resolves a requested expression name against the model's names (VRM 0.x names mapped, then case-insensitive). */
function resolveExpression(requested: string, names: string[]): string | null {
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
    const message =
      `expression "${input.expression}" is not in this avatar; it has: ${names.length ? names.join(', ') : '(no expressions)'}` +
      ' — pick one of those in the manifest `expression` field';
    if (input.strict) return fail('expression-missing', message);
    warnings.push(message);
    return null;
  }
  manager.setValue(resolved, 1);
  return resolved;
}

/** Sets yaw/pitch (or aims at the camera) and pushes them through the model's own look-at applier. */
function applyLookAt(loaded: LoadedAvatar, input: PageShotInput): PageShotOutput['lookAt'] {
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

/** CPU-skins every visible mesh of the avatar (morphs included) into world-space positions. */
function collectWorldVertices(vrm: VRM): Float32Array {
  const meshes: THREE.Mesh[] = [];
  let count = 0;
  vrm.scene.traverseVisible((object: THREE.Object3D) => {
    const mesh = object as THREE.Mesh;
    if (mesh.isMesh && mesh.geometry.getAttribute('position')) {
      meshes.push(mesh);
      count += mesh.geometry.getAttribute('position').count;
    }
  });
  const out = new Float32Array(count * 3);
  const v = new THREE.Vector3();
  let o = 0;
  for (const mesh of meshes) {
    const n = mesh.geometry.getAttribute('position').count;
    for (let i = 0; i < n; i++) {
      mesh.getVertexPosition(i, v);
      v.applyMatrix4(mesh.matrixWorld);
      out[o++] = v.x;
      out[o++] = v.y;
      out[o++] = v.z;
    }
  }
  return out;
}

function boneWorld(vrm: VRM, name: string): THREE.Vector3 | null {
  const node = vrm.humanoid.getRawBoneNode(name as Parameters<typeof vrm.humanoid.getRawBoneNode>[0]);
  return node ? node.getWorldPosition(new THREE.Vector3()) : null;
}

/** The world point whose image row is the bottom edge of a partial shot, from the posed bones. */
function cutPoint(vrm: VRM, frame: PageShotInput['frame']): THREE.Vector3 | null {
  const b = (name: string) => boneWorld(vrm, name);
  const spine = b('spine');
  const neck = b('neck') ?? b('head');
  switch (frame) {
    case 'fullShot':
      return null;
    case 'cowboyShot': {
      const l0 = b('leftUpperLeg');
      const l1 = b('leftLowerLeg');
      const r0 = b('rightUpperLeg');
      const r1 = b('rightLowerLeg');
      if (!l0 || !l1 || !r0 || !r1) return null;
      return l0.add(l1).add(r0).add(r1).multiplyScalar(0.25);
    }
    case 'mediumShot':
      return spine;
    case 'mediumCloseUp':
      return spine && neck ? spine.lerp(neck, 0.5) : null;
    case 'closeUp':
      return spine && neck ? spine.lerp(neck, 0.78) : null;
  }
}

function setCameraOrientation(direction: THREE.Vector3): THREE.Vector3 {
  const up = new THREE.Vector3(0, 1, 0);
  const horizontal = Math.hypot(direction.x, direction.z);
  // Straight above / below: keep the continuity with a camera coming from the front.
  if (horizontal < 1e-6 * direction.length()) up.set(0, 0, direction.y > 0 ? -1 : 1);
  camera.up.copy(up);
  camera.position.set(0, 0, 0);
  camera.lookAt(direction.clone().negate());
  camera.updateMatrixWorld(true);
  return up;
}

function measureAlpha(rgba: Uint8Array, width: number, height: number): PixelBounds | null {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    let rowLeft = -1;
    let rowRight = -1;
    for (let x = 0; x < width; x++) {
      if (rgba[row + x * 4 + 3]! > 0) {
        rowLeft = x;
        break;
      }
    }
    if (rowLeft < 0) continue;
    for (let x = width - 1; x >= rowLeft; x--) {
      if (rgba[row + x * 4 + 3]! > 0) {
        rowRight = x;
        break;
      }
    }
    if (top < 0) top = y;
    bottom = y;
    if (rowLeft < left) left = rowLeft;
    if (rowRight > right) right = rowRight;
  }
  return top < 0 ? null : { left, top, right, bottom };
}

/**
 * Draws the shot and reads back the pixels that can hold the subject: the box of its CPU-skinned vertices
 * (`subject-box.ts`), or the whole frame with `rasterRegion: 'full-frame'`, when the box cannot be projected,
 * or when the subject's pixels reach an inner edge of the box (then it is drawn again over the whole frame,
 * so the image never depends on the box). Bounds are in full-image pixels.
 */
function drawShot(
  input: PageShotInput,
  vertices: Float32Array,
): { shot: RegionPixels; bounds: PixelBounds | null; fullFrameRedraw: boolean } {
  const { width, height } = input;
  // The weights may have changed since the framing (an expression-type look-at).
  if (avatar) applyCpuMorphs(avatar.cpuMorphs);
  const full = fullFrameBox(width, height);
  camera.updateMatrixWorld(true);
  lastShotSize = { width, height };
  const box =
    input.rasterRegion === 'subject' ? (projectSubjectBox(vertices, camera, width, height) ?? full) : full;
  let shot = renderRegion(renderer!, scene, camera, width, height, box);
  let bounds = measureRegionAlpha(shot);
  if (bounds && box !== full && reachesInnerEdge(bounds, box, width, height)) {
    const first = shot;
    shot = renderRegion(renderer!, scene, camera, width, height, full);
    shot.renderMs += first.renderMs;
    shot.readbackMs += first.readbackMs;
    bounds = measureRegionAlpha(shot);
    return { shot, bounds, fullFrameRedraw: true };
  }
  return { shot, bounds, fullFrameRedraw: false };
}

/** The alpha bounds of a drawn region, in full-image pixels. */
function measureRegionAlpha(region: RegionPixels): PixelBounds | null {
  const { width, height } = boxSize(region.box);
  const b = measureAlpha(region.rgba, width, height);
  if (!b) return null;
  const { left, top } = region.box;
  return { left: b.left + left, top: b.top + top, right: b.right + left, bottom: b.bottom + top };
}

/**
 * Base64 of `bytes`: the native `Uint8Array.prototype.toBase64` where the browser has it (Chromium 140+;
 * 0.4 ms for a 2 MB crop, measured) instead of building a binary string for `btoa` (53 ms), which was most of
 * the page's own CPU per shot.
 */
function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return btoa(binary);
}

/** Alpha corrections of the framing at most (each re-renders the shot). */
const MAX_ALPHA_CORRECTIONS = 4;
/** The image edges a subject's pixels touch. */
function edgesTouched(b: PixelBounds, width: number, height: number): string[] {
  const edges: string[] = [];
  if (b.top <= 0) edges.push('top');
  if (b.bottom >= height - 1) edges.push('bottom');
  if (b.left <= 0) edges.push('left');
  if (b.right >= width - 1) edges.push('right');
  return edges;
}

interface WantedBounds {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** How far (px) the measured alpha bounds are from where the framing mode puts them. */
function framingError(
  bounds: PixelBounds,
  want: WantedBounds,
  mode: 'height' | 'width' | 'cut',
  height: number,
): { worstPx: number } {
  if (mode === 'width') {
    const centre = (bounds.top + bounds.bottom) / 2;
    return {
      worstPx: Math.max(
        Math.abs(bounds.left - want.left),
        Math.abs(bounds.right - want.right),
        Math.abs(centre - (height - 1) / 2),
      ),
    };
  }
  const top = Math.abs(bounds.top - want.top);
  return { worstPx: mode === 'height' ? Math.max(top, Math.abs(bounds.bottom - want.bottom)) : top };
}

/** Moves the fitting targets by the measured error (a fixed-point step: target += wanted − measured). */
function correctTargets(
  targets: FitTargets,
  bounds: PixelBounds,
  want: WantedBounds,
  mode: 'height' | 'width' | 'cut',
  height: number,
): FitTargets {
  const next: FitTargets = { ...targets };
  if (mode === 'width') {
    next.leftX += want.left - bounds.left;
    next.rightX += want.right - bounds.right;
    next.centreY = (targets.centreY ?? height / 2) + ((height - 1) / 2 - (bounds.top + bounds.bottom) / 2);
  } else {
    next.topY += want.top - bounds.top;
    if (mode === 'height') next.bottomY += want.bottom - bounds.bottom;
  }
  return next;
}

/**
 * Poses the avatar for a shot: pose, expressions (morph weights now, so the framing measures this shot's face),
 * then spring bones reset to the rest shape of this pose and settled by a fixed number of fixed steps. Returns
 * the applied expression, null, or a failure.
 */
function poseForShot(
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

/** Conditioning maps of a shot rendered before: the same pose seen from its exact camera (see draw-maps.ts). */
function renderMaps(input: PageMapsInput): PageResult<{ maps: PageMapsOutput }> {
  if (!renderer || !canvas) {
    const initResult = init();
    if (!initResult.ok) return initResult;
  }
  const loaded = avatar;
  if (!loaded) return fail('no-avatar-loaded', 'no avatar is loaded in this page');
  const warnings: string[] = [];
  const posed = poseForShot(loaded, input.shot, warnings);
  if ('ok' in posed) return posed;
  camera.position.set(...input.camera.position);
  camera.quaternion.set(...input.camera.quaternion);
  camera.fov = input.camera.fovDegrees;
  camera.aspect = input.shot.width / input.shot.height;
  camera.updateProjectionMatrix();
  camera.updateMatrixWorld(true);
  applyLookAt(loaded, input.shot);
  applyCpuMorphs(loaded.cpuMorphs);
  renderer!.setSize(input.shot.width, input.shot.height, false);
  const { maps, depthRange } = drawMaps({
    renderer: renderer!,
    scene,
    camera,
    vertices: collectWorldVertices(loaded.vrm),
    kinds: input.kinds,
    width: input.shot.width,
    height: input.shot.height,
    beforeDraw: () => applyCpuMorphs(loaded.cpuMorphs),
  });
  const encoded: PageMapsOutput['maps'] = {};
  for (const [kind, rgba] of Object.entries(maps)) encoded[kind as MapKind] = toBase64(rgba);
  return { ok: true, maps: { maps: encoded, depthRange, warnings } };
}

function renderShot(input: PageShotInput): PageResult<{ shot: PageShotOutput }> {
  if (!renderer || !canvas) {
    const initResult = init();
    if (!initResult.ok) return initResult;
  }
  const loaded = avatar;
  if (!loaded) return fail('no-avatar-loaded', 'no avatar is loaded in this page');
  const { vrm } = loaded;
  const warnings: string[] = [];
  const { width, height } = input;
  const t0 = performance.now();

  // 1. Pose, expressions (morphs count for framing), neutral look-at; 2. spring bones.
  const posed = poseForShot(loaded, input, warnings);
  if ('ok' in posed) return posed;
  const { expression } = posed;
  const t1 = posed.springsStartedAt;
  const t2 = performance.now();

  // 3. Framing on the posed, skinned mesh.
  const direction = new THREE.Vector3(...input.cameraDirection);
  if (!(direction.lengthSq() > 1e-12)) {
    return fail(
      'invalid-camera',
      'cameraPosition [0, 0, 0] has no direction; give a non-zero vector or a name',
    );
  }
  direction.normalize();
  const up = setCameraOrientation(direction);
  camera.fov = input.fovDegrees;
  camera.aspect = width / height;
  applyCpuMorphs(loaded.cpuMorphs);
  const vertices = collectWorldVertices(vrm);
  let cut = cutPoint(vrm, input.frame);
  if (input.frame !== 'fullShot' && !cut) {
    warnings.push(`${input.frame}: the avatar lacks the bones for its cut line; framed as fullShot`);
  }
  const sideOffsetPx = (input.topFrameOffsetPixels + input.bottomFrameOffsetPixels) / 2;
  const baseTargets = makeFitTargets(
    width,
    height,
    input.topFrameOffsetPixels,
    input.bottomFrameOffsetPixels,
    sideOffsetPx,
  );
  const head = boneWorld(vrm, 'head');
  const fitCut = () => (cut && head ? { point: cut, axisTop: head } : null);
  let fit = fitCamera(vertices, fitCut(), camera, baseTargets);
  if (fit.fallbackToFull) {
    warnings.push(
      `${input.frame}: from this camera direction the cut line does not lie below the head; framed as fullShot`,
    );
    cut = null;
  }
  const offset = new THREE.Vector3(...input.localOffsetMetres);
  const cameraUp = new THREE.Vector3();
  const applyOffset = () => {
    camera.position.add(offset.clone().applyQuaternion(camera.quaternion));
    camera.updateMatrixWorld(true);
  };
  const placeLight = () => {
    const distance = camera.position.distanceTo(fit.target);
    cameraUp.set(0, 1, 0).applyQuaternion(camera.quaternion);
    keyLight.position.copy(camera.position).addScaledVector(cameraUp, distance * input.lighting.keyElevation);
    keyLight.target.position.copy(fit.target);
    keyLight.intensity = input.lighting.keyIntensity;
    keyLight.target.updateMatrixWorld(true);
    keyLight.updateMatrixWorld(true);
    ambientLight.intensity = input.lighting.ambientIntensity;
  };
  const t3 = performance.now();

  // 4. Eyes, then render without the offset; check the alpha and correct the framing from it, a
  // bounded number of times (outlines, antialiasing and transparent texels are not in the mesh, and a
  // subject cut at the image edge under-reports its error, so one correction is not always enough).
  const want = {
    top: input.topFrameOffsetPixels,
    bottom: height - 1 - input.bottomFrameOffsetPixels,
    left: Math.round(sideOffsetPx),
    right: width - 1 - Math.round(sideOffsetPx),
  };
  let lookAtResult = applyLookAt(loaded, input);
  placeLight();
  let drawn = drawShot(input, vertices);
  let { shot, bounds } = drawn;
  let drawMs = shot.renderMs;
  let readPixelsMs = shot.readbackMs;
  let draws = 1;
  let fullFrameRedraws = drawn.fullFrameRedraw ? 1 : 0;
  let drawnPixels = boxSize(shot.box).width * boxSize(shot.box).height;
  let alphaCorrected = false;
  let targets: FitTargets = { ...baseTargets };
  const rerender = () => {
    lookAtResult = applyLookAt(loaded, input);
    placeLight();
    drawn = drawShot(input, vertices);
    ({ shot, bounds } = drawn);
    drawMs += shot.renderMs;
    readPixelsMs += shot.readbackMs;
    draws++;
    if (drawn.fullFrameRedraw) fullFrameRedraws++;
    drawnPixels += boxSize(shot.box).width * boxSize(shot.box).height;
  };
  const refit = (to: FitTargets) => {
    fit = fitCamera(vertices, fitCut(), camera, to, fit.mode === 'cut' ? undefined : fit.mode);
    rerender();
    alphaCorrected = true;
  };
  // The best targets seen so far: the iteration can overshoot when the extreme vertex changes.
  let best = { targets, worstPx: Number.POSITIVE_INFINITY };
  for (let round = 0; round <= MAX_ALPHA_CORRECTIONS && bounds; round++) {
    const { worstPx } = framingError(bounds, want, fit.mode, height);
    if (worstPx < best.worstPx) best = { targets, worstPx };
    if (worstPx <= 1) break;
    if (round === MAX_ALPHA_CORRECTIONS) {
      if (best.targets !== targets) refit(best.targets);
      break;
    }
    targets = correctTargets(targets, bounds, want, fit.mode, height);
    refit(targets);
  }
  // A correction that left nothing in view falls back to the best framing measured.
  if (!bounds && Number.isFinite(best.worstPx)) refit(best.targets);
  // The offset moves the camera after framing, exactly as written (the field's meaning). A subject it
  // pushes past an image edge is kept as asked, and said: the shot is cut there.
  if (bounds && offset.lengthSq() > 0) {
    // Edges the framing itself touches (a cut line, a zero offset) are not the offset's doing.
    const framedEdges = edgesTouched(bounds, width, height);
    applyOffset();
    rerender();
    const cut = bounds ? edgesTouched(bounds, width, height).filter((e) => !framedEdges.includes(e)) : [];
    if (cut.length > 0) {
      warnings.push(
        `cameraLocalOffset [${offset.x}, ${offset.y}, ${offset.z}] m moves the subject past the ${cut.join(' and ')} ` +
          'edge of the image (it is cut there); use a smaller offset to keep it whole',
      );
    }
  }
  if (!bounds) {
    return fail(
      'blank-render',
      'the rendered image is fully transparent: the avatar is outside the view (check cameraLocalOffset) or has no visible mesh',
    );
  }
  const t4 = performance.now();

  // 5. Metadata: bone positions in the image.
  const bones: PageShotOutput['bones'] = {};
  const projected = new THREE.Vector3();
  const inCamera = new THREE.Vector3();
  const viewMatrix = camera.matrixWorldInverse;
  for (const name of Object.keys(vrm.humanoid.humanBones)) {
    const world = boneWorld(vrm, name);
    if (!world) continue;
    inCamera.copy(world).applyMatrix4(viewMatrix);
    projected.copy(world).project(camera);
    bones[name] = {
      x: round3(((projected.x + 1) / 2) * width),
      y: round3(((1 - projected.y) / 2) * height),
      depth: round3(-inCamera.z),
    };
  }
  // Only the subject's pixel runs travel to Node (everything else is transparent zeros).
  const packed = packSpans(shot.rgba, shot.box, bounds);
  const output: PageShotOutput = {
    spansBase64: toBase64(new Uint8Array(packed.spans.buffer)),
    pixelsBase64: toBase64(packed.pixels),
    bounds,
    framing: {
      mode: fit.mode,
      cutLineWorld: cut ? vec(cut) : null,
      iterations: fit.iterations,
      alphaCorrected,
    },
    camera: {
      position: vec(camera.position),
      target: vec(fit.target.clone().add(offset.clone().applyQuaternion(camera.quaternion))),
      up: vec(up),
      fovDegrees: camera.fov,
      near: camera.near,
      far: camera.far,
    },
    expression: { requested: input.expression, applied: typeof expression === 'string' ? expression : null },
    lookAt: lookAtResult,
    bones,
    keypoints: projectKeypoints(vrm, camera, width, height, loaded.info.hipsHeightMetres),
    exactCamera: {
      position: [camera.position.x, camera.position.y, camera.position.z],
      quaternion: [camera.quaternion.x, camera.quaternion.y, camera.quaternion.z, camera.quaternion.w],
      fovDegrees: camera.fov,
    },
    warnings,
    timings: {
      poseMs: t1 - t0,
      springMs: t2 - t1,
      framingMs: t3 - t2,
      drawMs,
      readPixelsMs,
      encodeMs: performance.now() - t4,
      pageTotalMs: performance.now() - t0,
      draws,
      fullFrameRedraws,
      drawnMegapixels: drawnPixels / 1e6,
    },
  };
  return { ok: true, shot: output };
}

function disposeObject(root: THREE.Object3D): void {
  root.traverse((object: THREE.Object3D) => {
    const mesh = object as THREE.Mesh;
    if (!mesh.isMesh) return;
    mesh.geometry.dispose();
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    for (const material of materials) {
      for (const value of Object.values(material)) {
        if (value instanceof THREE.Texture) value.dispose();
      }
      material.dispose();
    }
    const skinned = mesh as THREE.SkinnedMesh;
    if (skinned.isSkinnedMesh) skinned.skeleton.dispose();
  });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
function vec(v: THREE.Vector3): Vec3 {
  return [round3(v.x), round3(v.y), round3(v.z)];
}

async function benchDraw(
  method: ReadbackMethod,
  repeats: number,
): Promise<PageResult<{ ms: number[]; bytes: number }>> {
  if (!renderer || !canvas) return fail('webgl-unavailable', 'benchDraw before init');
  if (!avatar) return fail('no-avatar-loaded', 'benchDraw before loadAvatar and renderShot');
  const r = renderer;
  const gl = r.getContext();
  // The floor draws the whole frame, whatever region the shot's last draw covered.
  const width = lastShotSize?.width ?? gl.drawingBufferWidth;
  const height = lastShotSize?.height ?? gl.drawingBufferHeight;
  r.setSize(width, height, false);
  const raw = new Uint8Array(width * height * 4);
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    r.render(scene, camera);
    if (method === 'render') {
      gl.finish();
      // One pixel forces the rasteriser to finish (finish() alone does not wait in Chromium).
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, raw);
      bytes = 0;
    } else if (method === 'readPixels') {
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, raw);
      bytes = raw.length;
    } else if (method === 'toDataURL') {
      bytes = canvas.toDataURL('image/png').length;
    } else {
      const blob = await new Promise<Blob | null>((resolve) => canvas!.toBlob(resolve, 'image/png'));
      bytes = blob ? (await blob.arrayBuffer()).byteLength : 0;
    }
    ms.push(performance.now() - t0);
  }
  return { ok: true, ms, bytes };
}

const api: PageApi = { init, loadAvatar, renderShot, renderMaps, benchDraw };
(window as unknown as { vrmLora: PageApi }).vrmLora = api;
