import { createRequire } from 'node:module';
import os from 'node:os';
import type { PoseFile, RenderMeta } from '@vrm-lora/manifest';
import { RENDER_META_FORMAT, RENDER_META_VERSION } from '@vrm-lora/manifest/formats';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chooseGlBackend, type GpuProbe, isSoftwareGlRenderer, probeGpu } from './choose-gl-backend.js';
import { findBrowser } from './find-browser.js';
import { readPageBundle } from './page-bundle.js';
import { type PageServer, startPageServer } from './page-server.js';
import {
  BLOCKED_REQUEST_CONSOLE_PREFIX,
  CAMERA_FRAMES,
  type CameraFrame,
  type ExactCamera,
  type Lighting,
  type MapKind,
  type PageApi,
  type PageAvatarInfo,
  type PageFailure,
  type PageInitResult,
  type PageMapsInput,
  type PageMapsOutput,
  type PageShotInput,
  type Vec3,
} from './protocol.js';
import { RenderError } from './render-error.js';
import {
  type ConcreteGlBackend,
  DEFAULT_RENDER_PARAMETERS,
  type GlBackend,
  type RenderParameters,
} from './render-parameters.js';
import { unpackSpans } from './unpack-spans.js';

/** Named GL backends; each maps to Chromium flags (see {@link glBackendFlags}). */

export interface BrowserOptions {
  /** Chromium/Chrome to drive; default: {@link findBrowser}. */
  executablePath?: string;
  /**
   * GL backend. Default `auto`: the GPU where the machine shows one (`chooseGlBackend`), kept only when WebGL
   * starts on it with a hardware renderer, else `swiftshader` (CPU, works without a GPU);
   * {@link RuntimeFacts} says which.
   */
  glBackend?: GlBackend;
  /** What `auto` decides from; default: this machine's devices ({@link probeGpu}). */
  gpuProbe?: GpuProbe;
  /** Extra Chromium command-line flags. */
  extraArgs?: string[];
}

/** Chromium flags of a GL backend. */
export function glBackendFlags(backend: ConcreteGlBackend): string[] {
  switch (backend) {
    case 'swiftshader':
      return ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
    case 'angle-default':
      return [];
    case 'angle-gl':
      return ['--use-angle=gl'];
    case 'angle-vulkan':
      return ['--use-angle=vulkan', '--enable-features=Vulkan'];
    case 'egl':
      return ['--use-gl=egl'];
  }
}

/** Flags always given to Chromium (besides the GL backend's). */
export const BASE_BROWSER_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--mute-audio',
  '--hide-scrollbars',
];

/** One shot to render. */
export interface RenderShotRequest {
  /** The avatar: `key` (e.g. a content hash) lets a page reuse an avatar it has loaded. */
  avatar: { key: string; bytes: Uint8Array };
  pose: PoseFile;
  /** Expression name (VRM 1.0 preset, VRM 0.x name, or custom), or null for neutral. */
  expression: string | null;
  /** Eyes look at the camera through the model's own look-at (bone or expression type). */
  lookAtCamera: boolean;
  camera: {
    /** CharacterStudio direction subject → camera; y is halved here, as CharacterStudio does. */
    position: Vec3;
    frame: CameraFrame;
    /** Metres in the camera's own axes (x right, y up, z backward), applied after framing. */
    localOffset: Vec3;
  };
  width: number;
  height: number;
  topFrameOffsetPixels: number;
  bottomFrameOffsetPixels: number;
  /** Missing expression → error instead of warning. */
  strict?: boolean;
}

/** A rendered shot. */
export interface RenderShotResult {
  /** RGBA PNG, transparent background, width × height. */
  png: Buffer;
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

export interface CreateRendererOptions {
  browser?: BrowserOptions;
  /** Pages rendering in parallel. Default: half the cores, at least 1, at most 4. */
  pages?: number;
  /** Diagnostics (blocked requests, page console, relaunches); the library never prints. */
  onLog?: (line: string) => void;
  /** Override the defaults of {@link DEFAULT_RENDER_PARAMETERS}. */
  parameters?: Partial<Omit<RenderParameters, 'lighting'>> & { lighting?: Partial<Lighting> };
  /** PNG zlib level 0–9. Default 2 (half the CPU of 6 on a 1024² render, files about 20 % larger). */
  pngCompressionLevel?: number;
  /** Called each time a page has loaded an avatar (parsed, shaders compiled, textures uploaded). */
  onAvatarLoad?: (info: { key: string; durationMs: number }) => void;
}

interface Slot {
  page: Page | null;
  avatarKey: string | null;
  /** What the page reported when it loaded `avatarKey`. */
  avatarInfo: PageAvatarInfo | null;
  busy: boolean;
}

/** Starts Chromium and returns a renderer with a pool of pages. */
export async function createRenderer(options: CreateRendererOptions = {}): Promise<Renderer> {
  const log = options.onLog ?? (() => {});
  const bundle = readPageBundle();
  const found = findBrowser(
    options.browser?.executablePath !== undefined ? { executablePath: options.browser.executablePath } : {},
  );
  const requested = options.browser?.glBackend ?? 'auto';
  const choice =
    requested === 'auto'
      ? chooseGlBackend(options.browser?.gpuProbe ?? probeGpu())
      : { backend: requested, reason: 'requested' };
  let glBackend: ConcreteGlBackend = choice.backend;
  let glBackendReason = requested === 'auto' ? `auto: ${choice.reason}` : 'requested';
  const argsFor = (backend: ConcreteGlBackend) => [
    ...BASE_BROWSER_FLAGS,
    ...glBackendFlags(backend),
    ...(options.browser?.extraArgs ?? []),
  ];
  let args = argsFor(glBackend);
  const parameters: RenderParameters = {
    ...DEFAULT_RENDER_PARAMETERS,
    ...options.parameters,
    lighting: { ...DEFAULT_RENDER_PARAMETERS.lighting, ...options.parameters?.lighting },
  };
  const pngLevel = options.pngCompressionLevel ?? 2;
  const poolSize = Math.max(
    1,
    Math.floor(options.pages ?? Math.min(4, Math.max(1, os.availableParallelism() / 2))),
  );

  let browser: Browser | null = null;
  let context: BrowserContext | null = null;
  let launching: Promise<BrowserContext> | null = null;
  let closed = false;
  let gl: PageInitResult | null = null;
  let server: PageServer | null = null;

  const pageServer = (): PageServer => {
    if (!server) throw new RenderError('closed', 'the renderer has been closed');
    return server;
  };

  const launch = async (): Promise<BrowserContext> => {
    let launched: Browser;
    try {
      // Playwright's own SIGINT/SIGTERM handlers would exit the process (130) before the caller's abort
      // handling can finish the run cleanly; the caller owns signals.
      const { chromium } = await loadPlaywright();
      launched = await chromium.launch({
        executablePath: found.executablePath,
        headless: true,
        args,
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      throw new RenderError(
        'browser-launch-failed',
        `could not start ${found.executablePath} (found via ${found.source}): ${String((error as Error)?.message ?? error).split('\n')[0]}`,
        { cause: error },
      );
    }
    launched.on('disconnected', () => {
      if (browser === launched) {
        browser = null;
        context = null;
        for (const slot of slots) {
          slot.page = null;
          slot.avatarKey = null;
        }
        if (!closed) log('browser disconnected; it will be relaunched for the next shot');
      }
    });
    const ctx = await launched.newContext({ viewport: { width: 64, height: 64 }, deviceScaleFactor: 1 });
    browser = launched;
    context = ctx;
    return ctx;
  };

  const ensureContext = async (): Promise<BrowserContext> => {
    if (closed) throw new RenderError('closed', 'the renderer has been closed');
    if (context) return context;
    if (!launching) {
      launching = launch().finally(() => {
        launching = null;
      });
    }
    return launching;
  };

  const openPage = async (slot: Slot): Promise<Page> => {
    const ctx = await ensureContext();
    const page = await ctx.newPage();
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith(BLOCKED_REQUEST_CONSOLE_PREFIX)) {
        const url = text.slice(BLOCKED_REQUEST_CONSOLE_PREFIX.length);
        log(`blocked request from the render page: ${url.length > 200 ? `${url.slice(0, 200)}…` : url}`);
      } else log(`page console ${message.type()}: ${text}`);
    });
    page.on('pageerror', (error) => log(`page error: ${error.message}`));
    page.on('crash', () => {
      log('render page crashed; it will be replaced');
      if (slot.page === page) {
        slot.page = null;
        slot.avatarKey = null;
      }
    });
    await page.goto(pageServer().pageUrl);
    await page.waitForFunction(() => 'vrmLora' in window);
    const init = await page.evaluate(() => (window as unknown as { vrmLora: PageApi }).vrmLora.init());
    if (!init.ok) {
      await page.close().catch(() => {});
      throw new RenderError(
        'webgl-unavailable',
        `WebGL did not start in ${found.executablePath} with GL backend "${glBackend}" (flags: ${glBackendFlags(glBackend).join(' ') || '(none)'}): ${init.message}. ` +
          'Pick another backend with the glBackend option (--gl-backend): auto (default: the GPU if there is one, else swiftshader), swiftshader (CPU), angle-default, angle-gl, angle-vulkan or egl; ' +
          'or pass your own flags with extraArgs.',
      );
    }
    gl = {
      glRenderer: init.glRenderer,
      glVendor: init.glVendor,
      threeVersion: init.threeVersion,
      threeVrmVersion: init.threeVrmVersion,
    };
    slot.page = page;
    slot.avatarKey = null;
    return page;
  };

  /**
   * Opens the first page; with a GPU backend that `auto` chose, returns why it cannot be kept (WebGL did not
   * start, or its renderer is software) instead of failing, so the caller falls back to SwiftShader.
   */
  const openFirstPage = async (slot: Slot): Promise<string | null> => {
    const fallible = requested === 'auto' && glBackend !== 'swiftshader';
    try {
      await openPage(slot);
    } catch (error) {
      if (!fallible || !(error instanceof RenderError)) throw error;
      if (error.code !== 'webgl-unavailable' && error.code !== 'browser-launch-failed') throw error;
      return `${error.code}: ${error.message.split('\n')[0]}`;
    }
    if (fallible && gl && isSoftwareGlRenderer(gl.glRenderer)) return `a software renderer, ${gl.glRenderer}`;
    return null;
  };

  const slots: Slot[] = Array.from({ length: poolSize }, () => ({
    page: null,
    avatarKey: null,
    avatarInfo: null,
    busy: false,
  }));
  const waiters: Array<() => void> = [];

  const acquire = async (avatarKey: string, signal?: AbortSignal): Promise<Slot> => {
    for (;;) {
      if (closed) throw new RenderError('closed', 'the renderer has been closed');
      if (signal?.aborted) throw new RenderError('aborted', 'the shot was aborted');
      const free = slots.filter((slot) => !slot.busy);
      const chosen =
        free.find((slot) => slot.avatarKey === avatarKey) ??
        free.find((slot) => slot.page === null) ??
        free[0];
      if (chosen) {
        chosen.busy = true;
        return chosen;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const release = (slot: Slot) => {
    slot.busy = false;
    waiters.shift()?.();
  };

  const failureToError = (failure: PageFailure): RenderError => {
    switch (failure.code) {
      case 'webgl-unavailable':
        return new RenderError('webgl-unavailable', failure.message);
      case 'invalid-avatar':
        return new RenderError('invalid-avatar', `avatar could not be loaded: ${failure.message}`);
      case 'expression-missing':
        return new RenderError('expression-missing', failure.message);
      case 'blank-render':
        return new RenderError('blank-render', failure.message);
      case 'invalid-camera':
        return new RenderError('invalid-camera', failure.message);
      case 'no-avatar-loaded':
        return new RenderError('browser-crashed', failure.message);
    }
  };

  const renderOnce = async (slot: Slot, request: RenderShotRequest, input: PageShotInput) => {
    const { page, avatarInfo } = await loadAvatarInto(slot, request.avatar);
    const started = performance.now();
    const result = await page.evaluate(
      (shotInput) => (window as unknown as { vrmLora: PageApi }).vrmLora.renderShot(shotInput),
      input,
    );
    const pageMs = performance.now() - started;
    if (!result.ok) throw failureToError(result);
    return { shot: result.shot, avatarInfo, pageMs };
  };

  /** Opens the slot's page if needed and makes `avatar` the page's loaded avatar (once per page). */
  const loadAvatarInto = async (
    slot: Slot,
    avatar: RenderShotRequest['avatar'],
  ): Promise<{ page: Page; avatarInfo: PageAvatarInfo }> => {
    const page = slot.page ?? (await openPage(slot));
    // Known in Node once loaded: later shots on this page skip a round trip to the page.
    if (slot.avatarKey === avatar.key && slot.avatarInfo) return { page, avatarInfo: slot.avatarInfo };
    const loadStarted = performance.now();
    pageServer().setAvatar(avatar.key, avatar.bytes);
    const url = pageServer().avatarUrl(avatar.key);
    const loaded = await page.evaluate(
      ([key, avatarUrl]) => (window as unknown as { vrmLora: PageApi }).vrmLora.loadAvatar(key, avatarUrl),
      [avatar.key, url] as const,
    );
    if (!loaded.ok) throw failureToError(loaded);
    slot.avatarKey = avatar.key;
    slot.avatarInfo = loaded.avatar;
    options.onAvatarLoad?.({ key: avatar.key, durationMs: performance.now() - loadStarted });
    const avatarInfo = loaded.avatar;
    return { page, avatarInfo };
  };

  const renderShot = async (
    request: RenderShotRequest,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<RenderShotResult> => {
    const input = validateRequest(request, parameters);
    const signal = callOptions.signal;
    let attempt = 0;
    for (;;) {
      const slot = await acquire(request.avatar.key, signal);
      const started = performance.now();
      // Removed when the shot ends, so a long run's signal does not collect one listener per shot.
      const abort: { listener?: () => void } = {};
      let released = false;
      // The page is handed back as soon as its pixels are in Node: it can draw the next shot (of another
      // call in flight) while this one's PNG is encoded here.
      const releaseSlot = () => {
        if (released) return;
        released = true;
        if (abort.listener) signal?.removeEventListener('abort', abort.listener);
        release(slot);
      };
      try {
        const abortPromise = new Promise<never>((_, reject) => {
          if (!signal) return;
          const onAbort = () => {
            const page = slot.page;
            slot.page = null;
            slot.avatarKey = null;
            page?.close().catch(() => {});
            reject(new RenderError('aborted', 'the shot was aborted'));
          };
          abort.listener = onAbort;
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        });
        abortPromise.catch(() => {});
        const { shot, avatarInfo, pageMs } = await Promise.race([
          renderOnce(slot, request, input),
          abortPromise,
        ]);
        releaseSlot();
        if (signal?.aborted) throw new RenderError('aborted', 'the shot was aborted');
        const encodeStarted = performance.now();
        // A copy: a small decoded Buffer sits at any offset of Node's pool, a Uint16Array needs an even one.
        const spans = new Uint16Array(Uint8Array.from(Buffer.from(shot.spansBase64, 'base64')).buffer);
        const rgba = unpackSpans(
          spans,
          Buffer.from(shot.pixelsBase64, 'base64'),
          request.width,
          request.height,
        );
        const sharp = await loadSharp();
        const png = await sharp(rgba, { raw: { width: request.width, height: request.height, channels: 4 } })
          .png({ compressionLevel: pngLevel, adaptiveFiltering: false, palette: false })
          .toBuffer();
        const encodeMs = performance.now() - encodeStarted;
        const meta: RenderMeta = {
          format: RENDER_META_FORMAT,
          version: RENDER_META_VERSION,
          width: request.width,
          height: request.height,
          bounds: shot.bounds,
          request: {
            frame: request.camera.frame,
            cameraPosition: request.camera.position,
            cameraDirection: input.cameraDirection,
            localOffset: request.camera.localOffset,
            topFrameOffsetPixels: request.topFrameOffsetPixels,
            bottomFrameOffsetPixels: request.bottomFrameOffsetPixels,
          },
          camera: shot.camera,
          framing: shot.framing,
          avatar: {
            key: request.avatar.key,
            specVersion: avatarInfo.specVersion,
            hipsHeightMetres: avatarInfo.hipsHeightMetres,
            expressionNames: avatarInfo.expressionNames,
            lookAtType: avatarInfo.lookAtType,
            springJointCount: avatarInfo.springJointCount,
            cpuMorphMeshes: avatarInfo.cpuMorphMeshes,
          },
          expression: shot.expression,
          lookAt: shot.lookAt,
          bones: shot.bones,
          keypoints: shot.keypoints,
          exactCamera: shot.exactCamera,
          warnings: shot.warnings,
          timings: {
            ...shot.timings,
            transferMs: pageMs - shot.timings.pageTotalMs,
            pngMs: encodeMs,
            totalMs: performance.now() - started,
          },
        };
        return { png, meta, warnings: shot.warnings };
      } catch (error) {
        if (error instanceof RenderError && error.code !== 'browser-crashed') throw error;
        // After the page was handed back the failure is Node's own (decoding, PNG): the slot may already
        // serve another shot, so it is not inspected or closed.
        if (closed || released) throw error;
        // A crash is known from state, not from the error's text: the page or the browser is gone
        // (their events may arrive just after the failed call, hence the short wait).
        await new Promise((resolve) => setTimeout(resolve, 100));
        const page = slot.page;
        const died =
          (error instanceof RenderError && error.code === 'browser-crashed') ||
          page === null ||
          page.isClosed() ||
          !(browser as Browser | null)?.isConnected();
        if (!died) throw error;
        slot.page = null;
        slot.avatarKey = null;
        await page?.close().catch(() => {});
        if (attempt >= 1) {
          throw new RenderError(
            'browser-crashed',
            `the render page crashed twice on this shot: ${String((error as Error)?.message ?? error).split('\n')[0]}`,
            { cause: error },
          );
        }
        attempt++;
        log(
          `render page crashed (${String((error as Error)?.message ?? error).split('\n')[0]}); retrying the shot once`,
        );
      } finally {
        releaseSlot();
      }
    }
  };

  // Start the page server, the browser and one page now, so launch and WebGL errors surface from createRenderer.
  server = await startPageServer({ script: bundle.script, onLog: log });
  const first = slots[0]!;
  first.busy = true;
  try {
    const why = await openFirstPage(first);
    // `auto` chose a GPU that is not there (no WebGL, or a software renderer behind it): SwiftShader.
    if (why) {
      log(`GL backend ${glBackend} not used (${why}); falling back to swiftshader`);
      const current = browser as Browser | null;
      browser = null;
      context = null;
      first.page = null;
      await current?.close().catch(() => {});
      glBackendReason = `${glBackendReason}; ${glBackend} gave ${why}, fell back to swiftshader`;
      glBackend = 'swiftshader';
      args = argsFor(glBackend);
      await openPage(first);
    }
  } catch (error) {
    await (browser as Browser | null)?.close().catch(() => {});
    await server.close();
    throw error;
  } finally {
    release(first);
  }

  const renderMaps = async (
    request: RenderMapsRequest,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<RenderMapsResult> => {
    const input: PageMapsInput = {
      shot: validateRequest(request.shot, parameters),
      camera: request.camera,
      kinds: request.kinds,
    };
    const slot = await acquire(request.shot.avatar.key, callOptions.signal);
    try {
      const { page } = await loadAvatarInto(slot, request.shot.avatar);
      const result = await page.evaluate(
        (mapsInput) => (window as unknown as { vrmLora: PageApi }).vrmLora.renderMaps(mapsInput),
        input,
      );
      if (!result.ok) throw failureToError(result);
      const maps: RenderMapsResult['maps'] = {};
      for (const [kind, base64] of Object.entries(result.maps.maps))
        maps[kind as MapKind] = Buffer.from(base64, 'base64');
      return { maps, depthRange: result.maps.depthRange, warnings: result.maps.warnings };
    } finally {
      release(slot);
    }
  };

  return {
    renderShot,
    renderMaps,
    async prepare(avatar) {
      const slot = await acquire(avatar.key);
      try {
        await loadAvatarInto(slot, avatar);
      } finally {
        release(slot);
      }
    },
    async runtimeFacts() {
      if (!gl) {
        const slot = await acquire('', undefined);
        try {
          if (!slot.page) await openPage(slot);
        } finally {
          release(slot);
        }
      }
      await ensureContext();
      const current = browser as Browser | null;
      return {
        chromiumVersion: current?.version() ?? 'unknown',
        glRenderer: gl?.glRenderer ?? 'unknown',
        glBackend,
        glBackendReason,
        pageBundleSha256: bundle.sha256,
        threeVersion: gl?.threeVersion ?? 'unknown',
        threeVrmVersion: gl?.threeVrmVersion ?? 'unknown',
        renderParameters: parameters,
      };
    },
    async close() {
      closed = true;
      const current = browser as Browser | null;
      browser = null;
      context = null;
      await current?.close().catch(() => {});
      await server?.close();
      for (const waiter of waiters.splice(0)) waiter();
    },
  };
}

// Playwright and sharp load on first use (about 0.5 s of imports together), so importing this package, e.g.
// for `RenderError`, costs a run that renders nothing (a no-op re-run) almost nothing.
// playwright-core is CommonJS: `require` skips the export scan an ESM `import()` does over its 3.6 MB bundle
// (230 vs 330 ms, measured), and this is on the way to the browser's start.
let playwrightModule: typeof import('playwright-core') | null = null;
async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  playwrightModule ??= createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
  return playwrightModule;
}
type Sharp = typeof import('sharp')['default'];
let sharpModule: Promise<Sharp> | null = null;
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}

/** Checks a request and turns it into the page's input (y of the direction halved here). */
export function validateRequest(request: RenderShotRequest, parameters: RenderParameters): PageShotInput {
  const problems: string[] = [];
  const { width, height } = request;
  if (!Number.isInteger(width) || width < 8 || width > 8192)
    problems.push(`width ${width} must be an integer 8–8192`);
  if (!Number.isInteger(height) || height < 8 || height > 8192) {
    problems.push(`height ${height} must be an integer 8–8192`);
  }
  const top = request.topFrameOffsetPixels;
  const bottom = request.bottomFrameOffsetPixels;
  if (!Number.isInteger(top) || top < 0)
    problems.push(`topFrameOffsetPixels ${top} must be a whole number ≥ 0`);
  if (!Number.isInteger(bottom) || bottom < 0) {
    problems.push(`bottomFrameOffsetPixels ${bottom} must be a whole number ≥ 0`);
  }
  if (Number.isFinite(top) && Number.isFinite(bottom) && top + bottom > height - 8) {
    problems.push(
      `topFrameOffsetPixels + bottomFrameOffsetPixels (${top + bottom}) leaves no room in height ${height}`,
    );
  }
  if (!CAMERA_FRAMES.includes(request.camera.frame)) {
    problems.push(`camera.frame "${request.camera.frame}" must be one of ${CAMERA_FRAMES.join(', ')}`);
  }
  const [x, y, z] = request.camera.position;
  if (![x, y, z].every(Number.isFinite)) problems.push('camera.position must be three finite numbers');
  else if (x === 0 && y === 0 && z === 0) {
    throw new RenderError(
      'invalid-camera',
      'cameraPosition [0, 0, 0] has no direction: give a non-zero vector such as [0, 0, 1] or a name such as "front"',
    );
  }
  if (!request.camera.localOffset.every(Number.isFinite))
    problems.push('camera.localOffset must be three finite numbers');
  if (!(request.avatar.bytes instanceof Uint8Array) || request.avatar.bytes.length < 12) {
    problems.push('avatar.bytes must hold a VRM file');
  }
  if (problems.length)
    throw new RenderError('invalid-request', `invalid shot request: ${problems.join('; ')}`);
  return {
    pose: request.pose,
    expression: request.expression,
    strict: request.strict ?? false,
    lookAtCamera: request.lookAtCamera,
    cameraDirection: [x, y * 0.5, z],
    frame: request.camera.frame,
    localOffsetMetres: request.camera.localOffset,
    width,
    height,
    topFrameOffsetPixels: top,
    bottomFrameOffsetPixels: bottom,
    fovDegrees: parameters.fovDegrees,
    springSteps: parameters.springSteps,
    springStepSeconds: parameters.springStepSeconds,
    lighting: parameters.lighting,
    rasterRegion: parameters.rasterRegion,
  };
}
