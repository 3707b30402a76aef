// The renderer's public contract: what a shot request holds, what comes back, and the `Renderer` interface
// that `createRenderer` implements (and that the pipeline's lazy and farm renderers stand in for).
import type { PoseFile, RenderMeta } from '@vrm-lora/manifest';
import type { ShotCamera, ShotSize } from '@vrm-lora/manifest/formats';
import type { ExactCamera, MapKind, PageMapsOutput } from './protocol.js';
import type { ConcreteGlBackend, RenderParameters } from './render-parameters.js';

/** One shot to render: its size and margins ({@link ShotSize}) and what to draw. */
export interface RenderShotRequest extends ShotSize {
  /** The avatar: `key` (e.g. a content hash) lets a page reuse an avatar it has loaded. */
  avatar: { key: string; bytes: Uint8Array };
  pose: PoseFile;
  /** Expression name (VRM 1.0 preset, VRM 0.x name, or custom), or null for neutral. */
  expression: string | null;
  /** Eyes look at the camera through the model's own look-at (bone or expression type). */
  lookAtCamera: boolean;
  /** The position is CharacterStudio's direction subject → camera; its y is halved here, as CharacterStudio does. */
  camera: ShotCamera;
  /** Missing expression → error instead of warning. */
  strict?: boolean;
}

/** Raw 8-bit pixels: `width` × `height`, rows top to bottom, `channels` bytes a pixel. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

/** A rendered shot. */
export interface RenderShotResult {
  /** RGBA PNG, transparent background, width × height. */
  png: Buffer;
  /**
   * The pixels `png` encodes (straight-alpha RGBA), for a caller that works on them next and would otherwise
   * decode `png` again. The caller owns the buffer.
   */
  pixels: RawImage;
  meta: RenderMeta;
  warnings: string[];
}

/** Maps of a shot: the shot as it was rendered, its exact camera, and the kinds wanted. */
export interface RenderMapsRequest {
  shot: RenderShotRequest;
  camera: ExactCamera;
  kinds: MapKind[];
}

/** Raw RGBA maps (rows top to bottom) by kind, and the subject's depth range they were normalised over. */
export interface RenderMapsResult {
  maps: Partial<Record<MapKind, Buffer>>;
  depthRange: PageMapsOutput['depthRange'];
  warnings: string[];
}

/** What a running renderer is: the facts of a render cache key that only a started browser can tell. */
export interface RuntimeFacts {
  chromiumVersion: string;
  /** The WebGL renderer string (`UNMASKED_RENDERER_WEBGL`), e.g. `ANGLE (Google, Vulkan 1.3.0 (SwiftShader …))`. */
  glRenderer: string;
  /** The backend rendering (what `auto` became). */
  glBackend: ConcreteGlBackend;
  /** Why this backend: the `auto` choice and, when a GPU backend was given up, why; or "requested". */
  glBackendReason: string;
  pageBundleSha256: string;
  threeVersion: string;
  threeVrmVersion: string;
  /** Renderer parameters that change pixels (fov, spring steps, lighting). */
  renderParameters: RenderParameters;
}

/** A started renderer: one browser, a pool of pages. */
export interface Renderer {
  /** Renders one shot; retried once on a fresh page when the page or browser crashes. */
  renderShot(request: RenderShotRequest, options?: { signal?: AbortSignal }): Promise<RenderShotResult>;
  /**
   * Conditioning maps (depth, normal) of a shot rendered before, drawn from its exact camera (`meta.exactCamera`):
   * raw RGBA, width × height, alpha 255 where the mesh covers a pixel. Not retried on a crash.
   */
  renderMaps(request: RenderMapsRequest, options?: { signal?: AbortSignal }): Promise<RenderMapsResult>;
  /**
   * Loads `avatar` into a free page ahead of the first shot (shaders compiled, textures uploaded), e.g. while
   * poses bake, so the first shot costs one render. Optional: `renderShot` loads the avatar itself.
   */
  prepare(avatar: RenderShotRequest['avatar']): Promise<void>;
  /** Facts that belong in a cache key (versions, GL renderer, bundle hash). */
  runtimeFacts(): Promise<RuntimeFacts>;
  /** Closes the browser. */
  close(): Promise<void>;
}
