// Everything the page keeps between calls, in one object that the page's functions are given: the WebGL
// renderer (made on first use), the scene with its camera and lights, and the loaded avatar.
import type { VRM } from '@pixiv/three-vrm';
import * as THREE from 'three';
import type {
  PageAvatarInfo,
  PageFailure,
  PageFailureCode,
  PageInitResult,
  PageResult,
} from '../protocol.js';
import type { CpuMorphMesh } from './cpu-morphs.js';
import type { FaceRig } from './face-rig.js';

declare const __THREE_VRM_VERSION__: string;

/** An avatar loaded into the page's scene. */
export interface LoadedAvatar {
  info: PageAvatarInfo;
  vrm: VRM;
  /** Rest position of the normalized hips node (model space). */
  restHipsPosition: THREE.Vector3;
  /** Meshes whose morph targets are blended on the CPU (see cpu-morphs.ts). */
  cpuMorphs: CpuMorphMesh[];
  /** The face landmarks' vertices, chosen at load (see face-rig.ts); null without a head. */
  faceRig: FaceRig | null;
}

/** The page's state (one per page). */
export interface PageState {
  /** Null until {@link initWebGl} succeeds. */
  renderer: THREE.WebGLRenderer | null;
  canvas: HTMLCanvasElement | null;
  /** The avatar in {@link scene}, if any. */
  avatar: LoadedAvatar | null;
  readonly scene: THREE.Scene;
  readonly camera: THREE.PerspectiveCamera;
  /** Placed at the camera for each shot (see `placeLights`). */
  readonly keyLight: THREE.DirectionalLight;
  readonly ambientLight: THREE.AmbientLight;
}

/** A page state with an empty scene (camera and lights added) and no WebGL yet. */
export function createPageState(): PageState {
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(30, 1, 0.05, 200);
  const keyLight = new THREE.DirectionalLight(0xffffff, Math.PI);
  const ambientLight = new THREE.AmbientLight(0xffffff, 0.8);
  scene.add(camera, keyLight, keyLight.target, ambientLight);
  return { renderer: null, canvas: null, avatar: null, scene, camera, keyLight, ambientLight };
}

/** A failure of a page call. */
export function fail(code: PageFailureCode, message: string): PageFailure {
  return { ok: false, code, message };
}

/** Starts WebGL on a canvas of the page (once; later calls describe the running renderer). */
export function initWebGl(state: PageState): PageResult<PageInitResult> {
  if (state.renderer) return { ok: true, ...describeGl(state.renderer) };
  const canvas = document.createElement('canvas');
  state.canvas = canvas;
  canvas.width = 16;
  canvas.height = 16;
  document.body.appendChild(canvas);
  let renderer: THREE.WebGLRenderer;
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
  state.renderer = renderer;
  renderer.setPixelRatio(1);
  renderer.setClearColor(0x000000, 0);
  renderer.outputColorSpace = THREE.SRGBColorSpace;
  return { ok: true, ...describeGl(renderer) };
}

/** The page's renderer and loaded avatar, starting WebGL first if needed; a failure when either is missing. */
export function readyToDraw(
  state: PageState,
): PageFailure | { renderer: THREE.WebGLRenderer; loaded: LoadedAvatar } {
  if (!state.renderer || !state.canvas) {
    const started = initWebGl(state);
    if (!started.ok) return started;
  }
  const { renderer, avatar: loaded } = state;
  if (!loaded) return fail('no-avatar-loaded', 'no avatar is loaded in this page');
  if (!renderer) return fail('webgl-unavailable', 'WebGL has not started in this page');
  return { renderer, loaded };
}

function describeGl(r: THREE.WebGLRenderer): PageInitResult {
  const gl = r.getContext();
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const glRenderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const glVendor = String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  return { glRenderer, glVendor, threeVersion: THREE.REVISION, threeVrmVersion: __THREE_VRM_VERSION__ };
}
