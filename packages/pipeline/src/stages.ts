import fs from 'node:fs/promises';
import path from 'node:path';
import { CAPTIONER_VERSION, captionForShot } from '@vrm-lora/captioner';
import {
  type PoseFile,
  type ResolvedPlan,
  type ResolvedShot,
  renderMetaSchema,
  writeFileAtomic,
} from '@vrm-lora/manifest';
import type { LoadedClip } from '@vrm-lora/pose-baker';
import { BAKER_VERSION } from '@vrm-lora/pose-baker/version';
import { POST_VERSION, postProcess, SHARP_VERSION } from '@vrm-lora/post';
import {
  DEFAULT_RENDER_PARAMETERS,
  findBrowser,
  GL_BACKENDS,
  pageLibraryVersions,
  RENDERER_VERSION,
  RenderError,
  readPageBundle,
} from '@vrm-lora/renderer/facts';
import { execa } from 'execa';
import type { CacheKeyInputs } from './cache-store.js';
import type { PostValue } from './entry-state.js';
import { canonicalJson, sha256 } from './hash.js';
import { PipelineInputError } from './pipeline-error.js';

// Every stage's cache key is declared here, in one place: stage name and version, resolved parameters,
// input file contents, upstream keys and runtime facts.

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
  glBackend: string;
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
  const { rendererVersion, ...facts } = runtime;
  return {
    stage: 'render',
    stageVersion: rendererVersion,
    params: renderParams(shot, strict),
    inputs: { avatar: avatarSha256 },
    upstream: { bake: bakeKey },
    runtime: facts,
  };
}

export function postKeyInputs(plan: ResolvedPlan, shot: ResolvedShot, renderKey: string): CacheKeyInputs {
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
    inputs: {},
    upstream: { render: renderKey },
    runtime: { sharp: SHARP_VERSION },
  };
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

export function captionText(plan: ResolvedPlan, shot: ResolvedShot, trigger: string): string {
  return captionForShot(shot, { ...plan, trigger });
}

function cutsBottom(shot: ResolvedShot): boolean {
  return shot.camera.frame !== 'fullShot';
}

function postExpectation(shot: ResolvedShot): { topPx: number | null; bottomPx: number | null } {
  // A vertical or depth camera offset moves the subject's rows on purpose: nothing to check.
  const [, dy, dz] = shot.camera.localOffset;
  if (dy !== 0 || dz !== 0) return { topPx: null, bottomPx: null };
  return {
    topPx: shot.topFrameOffsetPixels,
    bottomPx: cutsBottom(shot) ? null : shot.bottomFrameOffsetPixels,
  };
}

export async function runPost(
  plan: ResolvedPlan,
  shot: ResolvedShot,
  render: { png: string; meta: string },
): Promise<{ value: PostValue; files: Record<string, Uint8Array>; warnings: string[] }> {
  // The framing the renderer chose (its meta is part of the upstream render item) decides which margins to check.
  const meta = renderMetaSchema
    .pick({ framing: true, bounds: true, width: true, height: true })
    .parse(JSON.parse(await fs.readFile(render.meta, 'utf8')));
  const side = Math.round((shot.topFrameOffsetPixels + shot.bottomFrameOffsetPixels) / 2);
  // A camera offset that pushed the subject past an image edge (the renderer warned) leaves nothing to check.
  const b = meta.bounds;
  const offsetCut =
    shot.camera.localOffset.some((v) => v !== 0) &&
    (b.left <= 0 ||
      b.top <= 0 ||
      b.right >= meta.width - 1 ||
      (b.bottom >= meta.height - 1 && !cutsBottom(shot)));
  const expected = offsetCut
    ? undefined
    : meta.framing.mode === 'width'
      ? {
          topPx: null,
          bottomPx: null,
          leftPx: shot.camera.localOffset[0] === 0 ? side : null,
          rightPx: shot.camera.localOffset[0] === 0 ? side : null,
        }
      : postExpectation(shot);
  const result = await postProcess({
    png: await fs.readFile(render.png),
    background: shot.background,
    format: plan.image.format,
    quality: plan.image.quality,
    alphaMask: plan.image.alphaMask,
    ...(expected ? { expected } : {}),
    entryLabel: `${shot.jsonPath} (entry ${shot.number})`,
  });
  const files: Record<string, Uint8Array> = { [`image.${result.extension}`]: result.image };
  if (result.mask) files['mask.png'] = result.mask;
  return {
    value: {
      extension: result.extension,
      measured: result.measured,
      warnings: result.warnings,
      hasMask: !!result.mask,
    },
    files,
    warnings: result.warnings,
  };
}

/** Parses each animation file once per run, however many entries sample it. */
export interface ClipLoader {
  bake(shot: ResolvedShot, animationSha256: string): Promise<PoseFile>;
}

export function createClipLoader(): ClipLoader {
  const clips = new Map<string, Promise<LoadedClip>>();
  return {
    async bake(shot, sha) {
      const take = shot.animation.kind === 'file' ? shot.animation.take : undefined;
      const id = `${sha}:${take ?? ''}`;
      let clip = clips.get(id);
      if (!clip) {
        const anim = shot.animation;
        // The baker (three.js and its loaders) is imported only when a pose must really be baked.
        const loading = import('@vrm-lora/pose-baker').then(async ({ loadClip }) =>
          anim.kind === 'builtin'
            ? loadClip({ builtin: anim.name })
            : loadClip({ name: anim.name, bytes: await fs.readFile(anim.path) }, take ? { take } : {}),
        );
        clips.set(id, loading);
        clip = loading;
      }
      const at =
        shot.sample.kind === 'frame' ? { frame: shot.sample.frame } : { timeSeconds: shot.sample.seconds };
      const { sampleClip } = await import('@vrm-lora/pose-baker');
      return sampleClip(await clip, at, { wrap: shot.wrap });
    },
  };
}

/**
 * The renderer's runtime facts without launching it: the page bundle's hash and the versions of the libraries
 * inside it, the browser's version from `--version` (memoised per executable size and time in the cache).
 */
export async function resolveRenderRuntime(
  browser: { executablePath?: string; glBackend?: string } | undefined,
  cacheRoot: string,
): Promise<RenderRuntime> {
  const glBackend = browser?.glBackend ?? 'swiftshader';
  if (!(GL_BACKENDS as readonly string[]).includes(glBackend)) {
    throw new PipelineInputError(`unknown GL backend "${glBackend}": use one of ${GL_BACKENDS.join(', ')}`);
  }
  let found: ReturnType<typeof findBrowser>;
  try {
    found = findBrowser(browser?.executablePath ? { executablePath: browser.executablePath } : {});
  } catch (error) {
    // No browser is a set-up problem the user fixes before anything can render.
    if (error instanceof RenderError && error.code === 'browser-not-found')
      throw new PipelineInputError(error.message);
    throw error;
  }
  const libraries = pageLibraryVersions();
  return {
    rendererVersion: RENDERER_VERSION,
    renderParameters: canonicalJson(DEFAULT_RENDER_PARAMETERS),
    pageBundleSha256: readPageBundle().sha256,
    threeVersion: libraries.three,
    threeVrmVersion: libraries.threeVrm,
    chromiumVersion: await browserVersion(found.executablePath, cacheRoot),
    glBackend,
  };
}

async function browserVersion(executablePath: string, cacheRoot: string): Promise<string> {
  const stat = await fs.stat(executablePath);
  const memoFile = path.join(cacheRoot, 'runtime', 'browser-versions.json');
  const id = `${executablePath}|${stat.size}|${stat.mtimeMs}`;
  let memo: Record<string, string> = {};
  try {
    memo = JSON.parse(await fs.readFile(memoFile, 'utf8'));
  } catch {}
  if (memo[id]) return memo[id];
  const { stdout } = await execa(executablePath, ['--version'], { timeout: 20_000 });
  const version = stdout.trim();
  memo[id] = version;
  await writeFileAtomic(memoFile, JSON.stringify(memo, null, 2));
  return version;
}
