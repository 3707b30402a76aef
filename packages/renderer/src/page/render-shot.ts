// One shot in the page, as named steps over one explicit state (`ShotInProgress`): pose → frame → draw and
// correct the framing from the alpha → camera offset → describe. Only `redraw` and `refit` change the
// state's drawing fields; each step says what it reads.
import { frameCutsBottom, sideMarginPx } from '@vrm-lora/manifest/formats';
import * as THREE from 'three';
import type {
  PageFailure,
  PageResult,
  PageShotInput,
  PageShotOutput,
  PixelBounds,
  Vec3,
} from '../protocol.js';
import { boneWorld, collectWorldVertices, cutPoint } from './avatar-geometry.js';
import { applyCpuMorphs } from './cpu-morphs.js';
import { type DrawnShot, drawShot } from './draw-shot.js';
import { type FitResult, type FitTargets, fitCamera, makeFitTargets } from './fit-camera.js';
import {
  correctTargets,
  framingError,
  MAX_ALPHA_CORRECTIONS,
  type WantedBounds,
} from './framing-correction.js';
import { edgesTouched } from './measure-alpha.js';
import { packSpans } from './pack-spans.js';
import { fail, type LoadedAvatar, type PageState, readyToDraw } from './page-state.js';
import { applyLookAt, poseForShot } from './pose-avatar.js';
import { projectKeypoints } from './project-keypoints.js';
import { boxSize } from './subject-box.js';
import { toBase64 } from './to-base64.js';

/** Draw costs summed over a shot's draws (see `PageShotOutput.timings`). */
interface DrawTally {
  drawMs: number;
  readPixelsMs: number;
  draws: number;
  fullFrameRedraws: number;
  drawnPixels: number;
}

/** A shot being drawn: what framing fixed, and what each draw changes. */
interface ShotInProgress {
  readonly state: PageState;
  readonly renderer: THREE.WebGLRenderer;
  readonly loaded: LoadedAvatar;
  readonly input: PageShotInput;
  /** The posed avatar's world vertices (xyz triplets), measured once before framing. */
  readonly vertices: Float32Array;
  /** World position of the head bone: the top of the axis a cut is measured along. */
  readonly head: THREE.Vector3 | null;
  /** The camera's up vector chosen from its direction. */
  readonly up: THREE.Vector3;
  /** `cameraLocalOffset`, metres in the camera's axes. */
  readonly offset: THREE.Vector3;
  /** The world point on the image's bottom edge of a partial shot; null for a fullShot (or framed as one). */
  cut: THREE.Vector3 | null;
  fit: FitResult;
  /** The last draw; null before the first. */
  drawn: DrawnShot | null;
  lookAt: PageShotOutput['lookAt'];
  alphaCorrected: boolean;
  tally: DrawTally;
}

/** Renders a shot of the loaded avatar (see `PageApi.renderShot`). */
export function renderShot(state: PageState, input: PageShotInput): PageResult<{ shot: PageShotOutput }> {
  const ready = readyToDraw(state);
  if ('ok' in ready) return ready;
  const warnings: string[] = [];
  const t0 = performance.now();
  // 1. Pose, expressions (morphs count for framing), neutral look-at; 2. spring bones.
  const posed = poseForShot(ready.loaded, input, warnings);
  if ('ok' in posed) return posed;
  const t1 = posed.springsStartedAt;
  const t2 = performance.now();
  // 3. Framing on the posed, skinned mesh.
  const shot = frameShot(state, ready.renderer, ready.loaded, input, warnings);
  if ('ok' in shot) return shot;
  const t3 = performance.now();
  // 4. Draw, correct the framing from the alpha, then move the camera by the offset.
  correctFramingFromAlpha(shot);
  drawWithOffset(shot, warnings);
  const drawn = shot.drawn;
  if (!drawn?.bounds) {
    return fail(
      'blank-render',
      'the rendered image is fully transparent: the avatar is outside the view (check cameraLocalOffset) or has no visible mesh',
    );
  }
  const t4 = performance.now();
  // 5. What the shot shows, and its pixels.
  const described = describeShot(shot, drawn, drawn.bounds, posed.expression, warnings);
  const timings: PageShotOutput['timings'] = {
    poseMs: t1 - t0,
    springMs: t2 - t1,
    framingMs: t3 - t2,
    drawMs: shot.tally.drawMs,
    readPixelsMs: shot.tally.readPixelsMs,
    encodeMs: performance.now() - t4,
    pageTotalMs: performance.now() - t0,
    draws: shot.tally.draws,
    fullFrameRedraws: shot.tally.fullFrameRedraws,
    drawnMegapixels: shot.tally.drawnPixels / 1e6,
  };
  return { ok: true, shot: { ...described, timings } };
}

/** Points the camera along the direction and fits it to the posed mesh (and its cut point); nothing drawn yet. */
function frameShot(
  state: PageState,
  renderer: THREE.WebGLRenderer,
  loaded: LoadedAvatar,
  input: PageShotInput,
  warnings: string[],
): PageFailure | ShotInProgress {
  const { camera } = state;
  const { vrm } = loaded;
  const direction = new THREE.Vector3(...input.cameraDirection);
  if (!(direction.lengthSq() > 1e-12)) {
    return fail(
      'invalid-camera',
      'cameraPosition [0, 0, 0] has no direction; give a non-zero vector or a name',
    );
  }
  direction.normalize();
  const up = setCameraOrientation(camera, direction);
  camera.fov = input.fovDegrees;
  camera.aspect = input.width / input.height;
  applyCpuMorphs(loaded.cpuMorphs);
  const vertices = collectWorldVertices(vrm);
  let cut = cutPoint(vrm, input.frame);
  if (frameCutsBottom(input.frame) && !cut) {
    warnings.push(`${input.frame}: the avatar lacks the bones for its cut line; framed as fullShot`);
  }
  const head = boneWorld(vrm, 'head');
  const fit = fitCamera(vertices, cutAxis(cut, head), camera, baseTargets(input));
  if (fit.fallbackToFull) {
    warnings.push(
      `${input.frame}: from this camera direction the cut line does not lie below the head; framed as fullShot`,
    );
    cut = null;
  }
  const offset = new THREE.Vector3(...input.localOffsetMetres);
  const lookAt: PageShotOutput['lookAt'] = { mode: 'ahead', yawDegrees: 0, pitchDegrees: 0 };
  const tally = { drawMs: 0, readPixelsMs: 0, draws: 0, fullFrameRedraws: 0, drawnPixels: 0 };
  return {
    state,
    renderer,
    loaded,
    input,
    vertices,
    head,
    up,
    offset,
    cut,
    fit,
    drawn: null,
    lookAt,
    alphaCorrected: false,
    tally,
  };
}

/** The fitting targets of the requested offsets; a too-wide subject keeps the mean of top and bottom at its sides. */
function baseTargets(input: PageShotInput): FitTargets {
  const sideOffsetPx = sideMarginPx(input.topFrameOffsetPixels, input.bottomFrameOffsetPixels);
  return makeFitTargets(
    input.width,
    input.height,
    input.topFrameOffsetPixels,
    input.bottomFrameOffsetPixels,
    sideOffsetPx,
  );
}

/** Where the subject's outermost pixels should land (whole pixels). */
function wantedBounds(input: PageShotInput): WantedBounds {
  const sideOffsetPx = sideMarginPx(input.topFrameOffsetPixels, input.bottomFrameOffsetPixels);
  return {
    top: input.topFrameOffsetPixels,
    bottom: input.height - 1 - input.bottomFrameOffsetPixels,
    left: Math.round(sideOffsetPx),
    right: input.width - 1 - Math.round(sideOffsetPx),
  };
}

function cutAxis(cut: THREE.Vector3 | null, head: THREE.Vector3 | null) {
  return cut && head ? { point: cut, axisTop: head } : null;
}

/** Aims the camera from the origin along −direction; returns the up vector used. */
function setCameraOrientation(camera: THREE.PerspectiveCamera, direction: THREE.Vector3): THREE.Vector3 {
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

/** The key light at the camera, raised by `keyElevation` × the camera distance, aimed at the fit's target. */
function placeLights({ state, input, fit }: ShotInProgress): void {
  const { camera, keyLight, ambientLight } = state;
  const distance = camera.position.distanceTo(fit.target);
  const cameraUp = new THREE.Vector3(0, 1, 0).applyQuaternion(camera.quaternion);
  keyLight.position.copy(camera.position).addScaledVector(cameraUp, distance * input.lighting.keyElevation);
  keyLight.target.position.copy(fit.target);
  keyLight.intensity = input.lighting.keyIntensity;
  keyLight.target.updateMatrixWorld(true);
  keyLight.updateMatrixWorld(true);
  ambientLight.intensity = input.lighting.ambientIntensity;
}

/** Eyes, lights, one draw; the draw becomes `shot.drawn` and its costs are added to the tally. */
function redraw(shot: ShotInProgress): void {
  const { state, loaded, input, tally } = shot;
  shot.lookAt = applyLookAt(loaded, input, state.camera);
  placeLights(shot);
  const drawn = drawShot(
    { renderer: shot.renderer, scene: state.scene, camera: state.camera },
    loaded,
    input,
    shot.vertices,
  );
  shot.drawn = drawn;
  tally.drawMs += drawn.region.renderMs;
  tally.readPixelsMs += drawn.region.readbackMs;
  tally.draws++;
  if (drawn.fullFrameRedraw) tally.fullFrameRedraws++;
  const size = boxSize(drawn.region.box);
  tally.drawnPixels += size.width * size.height;
}

/** Fits the camera to `targets` again (keeping a height/width mode) and redraws. */
function refit(shot: ShotInProgress, targets: FitTargets): void {
  const forceMode = shot.fit.mode === 'cut' ? undefined : shot.fit.mode;
  shot.fit = fitCamera(shot.vertices, cutAxis(shot.cut, shot.head), shot.state.camera, targets, forceMode);
  redraw(shot);
  shot.alphaCorrected = true;
}

/**
 * Draws without the offset, then checks the alpha and corrects the framing from it, a bounded number of
 * times (outlines, antialiasing and transparent texels are not in the mesh, and a subject cut at the image
 * edge under-reports its error, so one correction is not always enough).
 */
function correctFramingFromAlpha(shot: ShotInProgress): void {
  const { input } = shot;
  const want = wantedBounds(input);
  redraw(shot);
  let targets: FitTargets = { ...baseTargets(input) };
  // The best targets seen so far: the iteration can overshoot when the extreme vertex changes.
  let best = { targets, worstPx: Number.POSITIVE_INFINITY };
  for (let round = 0; round <= MAX_ALPHA_CORRECTIONS; round++) {
    const bounds = shot.drawn?.bounds;
    if (!bounds) break;
    const { worstPx } = framingError(bounds, want, shot.fit.mode, input.height);
    if (worstPx < best.worstPx) best = { targets, worstPx };
    if (worstPx <= 1) break;
    if (round === MAX_ALPHA_CORRECTIONS) {
      if (best.targets !== targets) refit(shot, best.targets);
      break;
    }
    targets = correctTargets(targets, bounds, want, shot.fit.mode, input.height);
    refit(shot, targets);
  }
  // A correction that left nothing in view falls back to the best framing measured.
  if (!shot.drawn?.bounds && Number.isFinite(best.worstPx)) refit(shot, best.targets);
}

/**
 * The offset moves the camera after framing, exactly as written (the field's meaning). A subject it pushes
 * past an image edge is kept as asked, and said: the shot is cut there.
 */
function drawWithOffset(shot: ShotInProgress, warnings: string[]): void {
  const { offset, input, state } = shot;
  const bounds = shot.drawn?.bounds;
  if (!bounds || !(offset.lengthSq() > 0)) return;
  // Edges the framing itself touches (a cut line, a zero offset) are not the offset's doing.
  const framedEdges = edgesTouched(bounds, input.width, input.height);
  state.camera.position.add(offset.clone().applyQuaternion(state.camera.quaternion));
  state.camera.updateMatrixWorld(true);
  redraw(shot);
  const moved = shot.drawn?.bounds;
  const cut = moved
    ? edgesTouched(moved, input.width, input.height).filter((e) => !framedEdges.includes(e))
    : [];
  if (cut.length > 0) {
    warnings.push(
      `cameraLocalOffset [${offset.x}, ${offset.y}, ${offset.z}] m moves the subject past the ${cut.join(' and ')} ` +
        'edge of the image (it is cut there); use a smaller offset to keep it whole',
    );
  }
}

/** The shot's output but its timings: pixels as runs, framing, camera, bones and keypoints in the image. */
function describeShot(
  shot: ShotInProgress,
  drawn: DrawnShot,
  bounds: PixelBounds,
  expression: string | null,
  warnings: string[],
): Omit<PageShotOutput, 'timings'> {
  const { state, loaded, input, fit, offset } = shot;
  const { camera } = state;
  const bones = projectBones(loaded, camera, input.width, input.height);
  // Only the subject's pixel runs travel to Node (everything else is transparent zeros).
  const packed = packSpans(drawn.region.rgba, drawn.region.box, bounds);
  return {
    spansBase64: toBase64(new Uint8Array(packed.spans.buffer)),
    pixelsBase64: toBase64(packed.pixels),
    bounds,
    framing: {
      mode: fit.mode,
      cutLineWorld: shot.cut ? vec(shot.cut) : null,
      iterations: fit.iterations,
      alphaCorrected: shot.alphaCorrected,
    },
    camera: {
      position: vec(camera.position),
      target: vec(fit.target.clone().add(offset.clone().applyQuaternion(camera.quaternion))),
      up: vec(shot.up),
      fovDegrees: camera.fov,
      near: camera.near,
      far: camera.far,
    },
    expression: { requested: input.expression, applied: expression },
    lookAt: shot.lookAt,
    bones,
    keypoints: projectKeypoints(loaded.vrm, camera, input.width, input.height, loaded.info.hipsHeightMetres, {
      rig: loaded.faceRig,
      vertices: shot.vertices,
    }),
    exactCamera: {
      position: [camera.position.x, camera.position.y, camera.position.z],
      quaternion: [camera.quaternion.x, camera.quaternion.y, camera.quaternion.z, camera.quaternion.w],
      fovDegrees: camera.fov,
    },
    warnings,
  };
}

/** Image positions of the humanoid bones (pixels, y down) and their depth from the camera (metres). */
function projectBones(
  loaded: LoadedAvatar,
  camera: THREE.PerspectiveCamera,
  width: number,
  height: number,
): PageShotOutput['bones'] {
  const { vrm } = loaded;
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
  return bones;
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
function vec(v: THREE.Vector3): Vec3 {
  return [round3(v.x), round3(v.y), round3(v.z)];
}
