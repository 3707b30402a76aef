import { CAPTIONER_VERSION, captionLinesForShot } from '@vrm-lora/captioner';
import type { ResolvedPlan, ResolvedShot } from '@vrm-lora/manifest';
import { sha256 } from '@vrm-lora/manifest/hash';
import { BAKER_VERSION } from '@vrm-lora/pose-baker/version';
import { POST_VERSION, SHARP_VERSION } from '@vrm-lora/post';
import type { CacheKeyInputs } from './cache-store.js';
import { postExpectation } from './post-margins.js';

// Every stage's cache key is declared here, in one place: stage name and version, resolved parameters,
// input file contents, upstream keys and runtime facts. The work each key stands for: bake
// (run-bake-stage.ts, clip-loader.ts), render (run-render-stage.ts, runtime facts in
// resolve-render-runtime.ts), post (run-post-stage.ts, run-post.ts, margins in post-margins.ts), caption
// (run-caption-stage.ts). test/stage-keys.test.ts pins what each key contains.

/** The bake key's animation input: the file's bytes, or a built-in pose's name (its data is in BAKER_VERSION). */
export function animationSha256(
  shot: ResolvedShot,
  hashFile: (file: string) => Promise<string>,
): Promise<string> {
  return shot.animation.kind === 'file'
    ? hashFile(shot.animation.path)
    : Promise.resolve(sha256(`builtin:${shot.animation.name}`));
}

export function bakeKeyInputs(shot: ResolvedShot, animationSha256: string): CacheKeyInputs {
  return {
    stage: 'bake',
    stageVersion: BAKER_VERSION,
    params: {
      animation: shot.animation.kind === 'builtin' ? `builtin:${shot.animation.name}` : 'file',
      take: shot.animation.kind === 'file' ? (shot.animation.take ?? null) : null,
      sample: shot.sample,
      wrap: shot.wrap,
    },
    inputs: { animation: animationSha256 },
    upstream: {},
    runtime: {},
  };
}

/** Runtime facts that change rendered pixels. Found without starting a browser. */
export interface RenderRuntime {
  rendererVersion: string;
  /** The renderer's fixed parameters (field of view, spring steps, lighting) as canonical JSON. */
  renderParameters: string;
  pageBundleSha256: string;
  threeVersion: string;
  threeVrmVersion: string;
  chromiumVersion: string;
  /** The backend that renders (what `auto` became on this machine). */
  glBackend: string;
  /** A GPU backend's WebGL renderer string (another GPU, other pixels); '' for swiftshader or unknown. */
  glDevice: string;
  /** Why this backend (not in the key: it describes, the two fields above decide). */
  glBackendReason: string;
}

/**
 * Everything of a shot the renderer is given besides the avatar and the pose: the render key's `params`, and
 * the only source the render request is built from (so nothing can reach the renderer without being in the key).
 */
export function renderParams(shot: ResolvedShot, strict: boolean | undefined) {
  return {
    expression: shot.expression,
    lookAtCamera: shot.lookAtCamera,
    camera: shot.camera.position,
    frame: shot.camera.frame,
    localOffset: shot.camera.localOffset,
    width: shot.width,
    height: shot.height,
    topFrameOffsetPixels: shot.topFrameOffsetPixels,
    bottomFrameOffsetPixels: shot.bottomFrameOffsetPixels,
    strict: strict ?? false,
  };
}

export function renderKeyInputs(
  shot: ResolvedShot,
  avatarSha256: string,
  bakeKey: string,
  runtime: RenderRuntime,
  strict: boolean | undefined,
): CacheKeyInputs {
  const { rendererVersion, glBackendReason: _describesOnly, ...facts } = runtime;
  return {
    stage: 'render',
    stageVersion: rendererVersion,
    params: renderParams(shot, strict),
    inputs: { avatar: avatarSha256 },
    upstream: { bake: bakeKey },
    runtime: facts,
  };
}

/**
 * The post key. `backgroundSha256`: the bytes' hash of an image background (`backgrounds.imagesDirectory`), so
 * replacing the picture re-runs post-processing (see {@link backgroundImageSha256}).
 */
export function postKeyInputs(
  plan: ResolvedPlan,
  shot: ResolvedShot,
  renderKey: string,
  backgroundSha256: string | null,
): CacheKeyInputs {
  return {
    stage: 'post',
    stageVersion: POST_VERSION,
    params: {
      background: shot.background,
      format: plan.image.format,
      quality: plan.image.quality,
      alphaMask: plan.image.alphaMask,
      expected: postExpectation(shot),
    },
    inputs: backgroundSha256 !== null ? { background: backgroundSha256 } : {},
    upstream: { render: renderKey },
    runtime: { sharp: SHARP_VERSION },
  };
}

/** The sha256 of a shot's background image, or null when its background is not an image. */
export function backgroundImageSha256(
  shot: ResolvedShot,
  hashFile: (file: string) => Promise<string>,
): Promise<string | null> {
  return shot.background.kind === 'image' ? hashFile(shot.background.path) : Promise.resolve(null);
}

export function captionKeyInputs(plan: ResolvedPlan, shot: ResolvedShot, trigger: string): CacheKeyInputs {
  return {
    stage: 'caption',
    stageVersion: CAPTIONER_VERSION,
    params: { text: captionText(plan, shot, trigger) },
    inputs: {},
    upstream: {},
    runtime: {},
  };
}

/** The caption file's text: the main caption, then one line per caption variant (none by default). */
export function captionText(plan: ResolvedPlan, shot: ResolvedShot, trigger: string): string {
  return captionLinesForShot(shot, { ...plan, trigger }).join('\n');
}
