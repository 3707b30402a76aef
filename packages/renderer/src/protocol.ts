// The typed protocol between the Node side (`create-renderer.ts` and the modules it composes) and the page (`page/page-main.ts`).
// Both sides import only types from here, plus the constants below; nothing here touches DOM or Node APIs.
import type { PoseFile } from '@vrm-lora/manifest';
import type { CameraFrame, PixelBounds, Vec3 } from '@vrm-lora/manifest/formats';

/**
 * The page reports every request its Content-Security-Policy blocked as a console warning starting with this
 * text, followed by the blocked URL (the renderer logs it as a blocked request).
 */
export const BLOCKED_REQUEST_CONSOLE_PREFIX = 'vrm-lora blocked request: ';

// The five shot sizes of the manifest's `cameraFrame`, vectors and pixel bounds: one home, the manifest's formats.
export { CAMERA_FRAMES, type CameraFrame, type PixelBounds, type Vec3 } from '@vrm-lora/manifest/formats';

/** Codes of failures the page reports (the Node side turns them into `RenderError`s). */
export type PageFailureCode =
  | 'webgl-unavailable'
  | 'invalid-avatar'
  | 'expression-missing'
  | 'blank-render'
  | 'invalid-camera'
  | 'no-avatar-loaded';

export interface PageFailure {
  ok: false;
  code: PageFailureCode;
  message: string;
}
export type PageResult<T> = ({ ok: true } & T) | PageFailure;

export interface PageInitResult {
  glRenderer: string;
  glVendor: string;
  threeVersion: string;
  threeVrmVersion: string;
}

export interface PageAvatarInfo {
  key: string;
  specVersion: '1.0' | '0.x';
  /** Expression names as the model defines them (VRM 0.x presets already mapped to 1.0 names by three-vrm). */
  expressionNames: string[];
  /** Rest height of the hips above the feet origin, metres. */
  hipsHeightMetres: number;
  lookAtType: 'bone' | 'expression' | null;
  springJointCount: number;
  vertexCount: number;
  /** Meshes whose morph targets are blended on the CPU (the rest, if any, keep three.js's GPU morphs). */
  cpuMorphMeshes: number;
  loadMs: number;
  /**
   * Where `loadMs` went: fetching the bytes from the renderer's server, parsing (glTF, VRM, texture decoding),
   * choosing the face landmarks' vertices (`faceRig`, see face-rig.ts), and the warm-up draw (shader compilation,
   * texture upload).
   */
  loadPhasesMs: { fetch: number; parse: number; faceRig: number; warmUp: number };
}

/** Lighting of a shot. Defaults: a key light from the camera's side, slightly above, plus ambient. */
export interface Lighting {
  /** Intensity of the directional key light that sits at the camera (three.js units). Default π. */
  keyIntensity: number;
  /** Height of the key light above the camera, as a fraction of the camera distance. Default 0.5. */
  keyElevation: number;
  /** Ambient light intensity. Default 0.8. */
  ambientIntensity: number;
}

export interface PageShotInput {
  pose: PoseFile;
  /** The expression name as requested (mapping from VRM 0.x names happens in the page, where the model is). */
  expression: string | null;
  strict: boolean;
  lookAtCamera: boolean;
  /** Direction subject → camera, y already halved (CharacterStudio semantics), not normalised. */
  cameraDirection: Vec3;
  frame: CameraFrame;
  localOffsetMetres: Vec3;
  width: number;
  height: number;
  topFrameOffsetPixels: number;
  bottomFrameOffsetPixels: number;
  fovDegrees: number;
  springSteps: number;
  springStepSeconds: number;
  lighting: Lighting;
  /**
   * `subject`: draw and read only the subject's box (its CPU-skinned vertices projected, plus a margin;
   * drawn again over the whole frame when its pixels reach the box's inner edge); `full-frame`: draw the whole
   * image every time. Same pixels either way (tested), the box is faster.
   */
  rasterRegion: RasterRegion;
}

/** Which pixels a shot's draws cover (see `PageShotInput.rasterRegion`). */
export type RasterRegion = 'subject' | 'full-frame';

export interface PageShotOutput {
  /**
   * The subject's pixels as runs (`page/pack-spans.ts`): `spansBase64` holds (row, first column, length)
   * triplets as little-endian uint16, `pixelsBase64` their straight-alpha RGBA in order; every other pixel is
   * transparent black (0, 0, 0, 0). Only these bytes leave the page: a third of the subject's bounding box
   * on the example's shots. (Base64 through `page.evaluate` costs a third of the CPU of a binary POST to the
   * loopback server, measured: 91 vs 273 ms per 2 MB.)
   */
  spansBase64: string;
  pixelsBase64: string;
  bounds: PixelBounds;
  /** How the framing placed the subject. */
  framing: {
    mode: 'height' | 'width' | 'cut';
    /**
     * World point (metres, from the posed bones) whose image row is the bottom edge of a partial shot; null in
     * a fullShot and in a partial shot framed as one.
     */
    cutLineWorld: Vec3 | null;
    iterations: number;
    alphaCorrected: boolean;
  };
  camera: {
    position: Vec3;
    target: Vec3;
    up: Vec3;
    fovDegrees: number;
    near: number;
    far: number;
  };
  expression: { requested: string | null; applied: string | null };
  lookAt: { mode: 'camera' | 'pose' | 'ahead'; yawDegrees: number; pitchDegrees: number };
  /** Image positions of the humanoid bones (raw bones), pixels, y down; `depth` in metres from the camera. */
  bones: Record<string, { x: number; y: number; depth: number }>;
  /** OpenPose keypoints (see `page/project-keypoints.ts`). */
  keypoints: PageKeypoints;
  /** The final camera at full precision (what a conditioning map is drawn from, to the pixel). */
  exactCamera: ExactCamera;
  warnings: string[];
  /**
   * Milliseconds. drawMs: WebGL draw calls (all renders, incl. an alpha correction); readPixelsMs: read-back,
   * which waits for the rasteriser; encodeMs: un-premultiply, bone projection, the crop and base64.
   * draws: draws of the shot (alpha corrections and a camera offset draw again); fullFrameRedraws: draws
   * repeated over the whole frame because the subject reached its box's edge; drawnMegapixels: pixels
   * drawn and read over all draws, millions.
   */
  timings: {
    poseMs: number;
    springMs: number;
    framingMs: number;
    drawMs: number;
    readPixelsMs: number;
    encodeMs: number;
    pageTotalMs: number;
    draws: number;
    fullFrameRedraws: number;
    drawnMegapixels: number;
  };
}

/** One keypoint: x, y in image pixels (y down), COCO visibility (0 out of frame, 1 facing away, 2 visible). */
export type ProjectedKeypoint = [number, number, 0 | 1 | 2];

/** OpenPose keypoints of a shot: 18 body points (null where the avatar lacks the bone), 21 per hand or null. */
export interface PageKeypoints {
  body: (ProjectedKeypoint | null)[];
  leftHand: ProjectedKeypoint[] | null;
  rightHand: ProjectedKeypoint[] | null;
  /** OpenPose's 70 face points (68 iBUG landmarks, right pupil, left pupil), or null without a face rig. */
  face: ProjectedKeypoint[] | null;
}

/** A camera at full precision: world position and orientation, vertical field of view. */
export interface ExactCamera {
  position: Vec3;
  quaternion: [number, number, number, number];
  fovDegrees: number;
}

/** Conditioning maps drawn from the posed mesh. */
export type MapKind = 'depth' | 'normal';

/** Draws maps of a shot already rendered: the same pose, expression and look-at, seen from `camera`. */
export interface PageMapsInput {
  shot: PageShotInput;
  camera: ExactCamera;
  kinds: MapKind[];
}

/**
 * Each map as RGBA rows top to bottom, base64, the shot's full size, without antialiasing: alpha 255 where the
 * mesh covers the pixel, else 0. Depth: grey = normalised inverse depth over the subject (`depthRange`);
 * normal: three.js's view-space `normal * 0.5 + 0.5` (x right, y up, z towards the camera).
 */
export interface PageMapsOutput {
  maps: Partial<Record<MapKind, string>>;
  /** Nearest and farthest view depth of the surface the depth map shows (covered pixels), metres. */
  depthRange: { nearMetres: number; farMetres: number };
  warnings: string[];
}

/** What the page bundle installs on `window.vrmLora`. */
export interface PageApi {
  init(): PageResult<PageInitResult>;
  loadAvatar(key: string, url: string): Promise<PageResult<{ avatar: PageAvatarInfo }>>;
  renderShot(input: PageShotInput): PageResult<{ shot: PageShotOutput }>;
  /** Conditioning maps of a shot (see {@link PageMapsInput}). */
  renderMaps(input: PageMapsInput): PageResult<{ maps: PageMapsOutput }>;
}
