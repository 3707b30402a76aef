// `createRenderer`: one browser (browser-host.ts), a pool of pages (page-pool.ts), each page opened once
// (open-render-page.ts) and fed shot after shot under the abort and crash policy of render-with-retry.ts;
// the PNG (encode-shot-png.ts) and meta.json (build-render-meta.ts) are made after the page is given back.
import type { Page } from 'playwright-core';
import { BrowserHost, type BrowserOptions } from './browser-host.js';
import { buildRenderMeta } from './build-render-meta.js';
import { isSoftwareGlRenderer } from './choose-gl-backend.js';
import { encodeShotPng, unpackShotPixels } from './encode-shot-png.js';
import { openRenderPage } from './open-render-page.js';
import { type PageBundle, readPageBundle } from './page-bundle.js';
import { pageFailureToError } from './page-failure-to-error.js';
import { forgetPage, PagePool, type PageSlot, pagePoolSize } from './page-pool.js';
import { type PageServer, startPageServer } from './page-server.js';
import type {
  Lighting,
  MapKind,
  PageApi,
  PageAvatarInfo,
  PageInitResult,
  PageShotInput,
} from './protocol.js';
import { RenderError } from './render-error.js';
import { DEFAULT_RENDER_PARAMETERS, type RenderParameters } from './render-parameters.js';
import { type RetryHost, renderWithRetry } from './render-with-retry.js';
import type {
  Renderer,
  RenderMapsRequest,
  RenderMapsResult,
  RenderShotRequest,
  RenderShotResult,
  RuntimeFacts,
} from './renderer.js';
import { validateRequest } from './validate-request.js';

export interface CreateRendererOptions {
  browser?: BrowserOptions;
  /** Pages rendering in parallel. Default: half the cores, at least 1, at most 4. */
  pages?: number;
  /**
   * Diagnostics (blocked requests, page errors, crashes, relaunches: `notice`; the page's console below error
   * level, e.g. SwiftShader's performance warnings: `chatter`); the library never prints.
   */
  onLog?: (line: string, level: RendererLogLevel) => void;
  /** Override the defaults of {@link DEFAULT_RENDER_PARAMETERS}. */
  parameters?: Partial<Omit<RenderParameters, 'lighting'>> & { lighting?: Partial<Lighting> };
  /** PNG zlib level 0–9. Default 2 (half the CPU of 6 on a 1024² render, files about 20 % larger). */
  pngCompressionLevel?: number;
  /** Called each time a page has loaded an avatar (parsed, shaders compiled, textures uploaded). */
  onAvatarLoad?: (info: { key: string; durationMs: number }) => void;
}

/** How much a renderer log line matters: `notice` says something went wrong or changed; `chatter` is the page's console noise. */
export type RendererLogLevel = 'notice' | 'chatter';
/** Starts Chromium and returns a renderer with a pool of pages. */
export async function createRenderer(options: CreateRendererOptions = {}): Promise<Renderer> {
  const renderer = new PooledRenderer(options);
  await renderer.start();
  return {
    renderShot: (request, callOptions) => renderer.renderShot(request, callOptions),
    renderMaps: (request, callOptions) => renderer.renderMaps(request, callOptions),
    prepare: (avatar) => renderer.prepare(avatar),
    runtimeFacts: () => renderer.runtimeFacts(),
    close: () => renderer.close(),
  };
}

/** The renderer's state: its browser, pages, page server and parameters. */
class PooledRenderer {
  private readonly options: CreateRendererOptions;
  private readonly log: (line: string, level?: RendererLogLevel) => void;
  private readonly bundle: PageBundle;
  private readonly host: BrowserHost;
  private readonly pool: PagePool;
  private readonly retryHost: RetryHost;
  private readonly parameters: RenderParameters;
  private server: PageServer | null = null;
  /** What the last page opened reported of WebGL. */
  private gl: PageInitResult | null = null;

  constructor(options: CreateRendererOptions) {
    this.options = options;
    this.log = (line, level = 'notice') => options.onLog?.(line, level);
    this.bundle = readPageBundle();
    this.host = new BrowserHost(options.browser ?? {}, () => {
      this.pool.forgetAll();
      if (!this.host.closed) this.log('browser disconnected; it will be relaunched for the next shot');
    });
    this.parameters = {
      ...DEFAULT_RENDER_PARAMETERS,
      ...options.parameters,
      lighting: { ...DEFAULT_RENDER_PARAMETERS.lighting, ...options.parameters?.lighting },
    };
    this.pool = new PagePool(pagePoolSize(options.pages), () => this.host.closed);
    this.retryHost = {
      pool: this.pool,
      isClosed: () => this.host.closed,
      isBrowserConnected: () => this.host.isConnected(),
      log: this.log,
    };
  }

  /** Starts the page server, the browser and one page, so launch and WebGL errors surface from createRenderer. */
  async start(): Promise<void> {
    const server = await startPageServer({ script: this.bundle.script, onLog: this.log });
    this.server = server;
    const first = this.pool.slots[0]!;
    first.busy = true;
    try {
      const why = await this.openFirstPage(first);
      // `auto` chose a GPU that is not there (no WebGL, or a software renderer behind it): SwiftShader.
      if (why) {
        this.log(`GL backend ${this.host.glBackend} not used (${why}); falling back to swiftshader`);
        first.page = null;
        await this.host.fallBackToSwiftShader(why);
        await this.openPage(first);
      }
    } catch (error) {
      await this.host.close();
      await server.close();
      throw error;
    } finally {
      this.pool.release(first);
    }
  }

  async renderShot(
    request: RenderShotRequest,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<RenderShotResult> {
    const input = validateRequest(request, this.parameters);
    const { signal } = callOptions;
    const { value, startedMs } = await renderWithRetry(this.retryHost, request.avatar.key, signal, (slot) =>
      this.drawShot(slot, request, input),
    );
    if (signal?.aborted) throw new RenderError('aborted', 'the shot was aborted');
    const { shot, avatarInfo, pageMs } = value;
    const encodeStarted = performance.now();
    const { width, height } = request;
    const rgba = unpackShotPixels(shot, width, height);
    const png = await encodeShotPng(rgba, width, height, this.options.pngCompressionLevel ?? 2);
    const pngMs = performance.now() - encodeStarted;
    const nodeTimings = { pageMs, pngMs, totalMs: performance.now() - startedMs };
    const meta = buildRenderMeta({ request, input, shot, avatarInfo, nodeTimings });
    return { png, pixels: { data: rgba, width, height, channels: 4 }, meta, warnings: shot.warnings };
  }

  async renderMaps(
    request: RenderMapsRequest,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<RenderMapsResult> {
    const input = {
      shot: validateRequest(request.shot, this.parameters),
      camera: request.camera,
      kinds: request.kinds,
    };
    const slot = await this.pool.acquire(request.shot.avatar.key, callOptions.signal);
    try {
      const { page } = await this.loadAvatarInto(slot, request.shot.avatar);
      const result = await page.evaluate(
        (mapsInput) => (window as unknown as { vrmLora: PageApi }).vrmLora.renderMaps(mapsInput),
        input,
      );
      if (!result.ok) throw pageFailureToError(result);
      const maps: RenderMapsResult['maps'] = {};
      for (const [kind, base64] of Object.entries(result.maps.maps))
        maps[kind as MapKind] = Buffer.from(base64, 'base64');
      return { maps, depthRange: result.maps.depthRange, warnings: result.maps.warnings };
    } finally {
      this.pool.release(slot);
    }
  }

  async prepare(avatar: RenderShotRequest['avatar']): Promise<void> {
    const slot = await this.pool.acquire(avatar.key);
    try {
      await this.loadAvatarInto(slot, avatar);
    } finally {
      this.pool.release(slot);
    }
  }

  async runtimeFacts(): Promise<RuntimeFacts> {
    if (!this.gl) {
      const slot = await this.pool.acquire('', undefined);
      try {
        if (!slot.page) await this.openPage(slot);
      } finally {
        this.pool.release(slot);
      }
    }
    await this.host.context();
    return {
      chromiumVersion: this.host.version(),
      glRenderer: this.gl?.glRenderer ?? 'unknown',
      glBackend: this.host.glBackend,
      glBackendReason: this.host.glBackendReason,
      pageBundleSha256: this.bundle.sha256,
      threeVersion: this.gl?.threeVersion ?? 'unknown',
      threeVrmVersion: this.gl?.threeVrmVersion ?? 'unknown',
      renderParameters: this.parameters,
    };
  }

  async close(): Promise<void> {
    await this.host.close();
    await this.server?.close();
    this.pool.wakeAll();
  }

  private pageServer(): PageServer {
    if (!this.server) throw new RenderError('closed', 'the renderer has been closed');
    return this.server;
  }

  /** Opens a page in the slot (launching the browser if none runs); its avatar is loaded later. */
  private async openPage(slot: PageSlot): Promise<Page> {
    const { page, init } = await openRenderPage({
      context: await this.host.context(),
      pageUrl: this.pageServer().pageUrl,
      log: this.log,
      onCrash: (crashed) => {
        if (slot.page === crashed) forgetPage(slot);
      },
      webglUnavailableMessage: (message) => this.host.webglUnavailableMessage(message),
    });
    this.gl = init;
    slot.page = page;
    slot.avatarKey = null;
    return page;
  }

  /**
   * Opens the first page; with a GPU backend that `auto` chose, returns why it cannot be kept (WebGL did not
   * start, or its renderer is software) instead of failing, so the caller falls back to SwiftShader.
   */
  private async openFirstPage(slot: PageSlot): Promise<string | null> {
    const fallible = this.host.mayFallBack;
    try {
      await this.openPage(slot);
    } catch (error) {
      if (!fallible || !(error instanceof RenderError)) throw error;
      if (error.code !== 'webgl-unavailable' && error.code !== 'browser-launch-failed') throw error;
      return `${error.code}: ${error.message.split('\n')[0]}`;
    }
    if (fallible && this.gl && isSoftwareGlRenderer(this.gl.glRenderer))
      return `a software renderer, ${this.gl.glRenderer}`;
    return null;
  }

  /** Opens the slot's page if needed and makes `avatar` the page's loaded avatar (once per page). */
  private async loadAvatarInto(
    slot: PageSlot,
    avatar: RenderShotRequest['avatar'],
  ): Promise<{ page: Page; avatarInfo: PageAvatarInfo }> {
    const page = slot.page ?? (await this.openPage(slot));
    // Known in Node once loaded: later shots on this page skip a round trip to the page.
    if (slot.avatarKey === avatar.key && slot.avatarInfo) return { page, avatarInfo: slot.avatarInfo };
    const loadStarted = performance.now();
    this.pageServer().setAvatar(avatar.key, avatar.bytes);
    const url = this.pageServer().avatarUrl(avatar.key);
    const loaded = await page.evaluate(
      ([key, avatarUrl]) => (window as unknown as { vrmLora: PageApi }).vrmLora.loadAvatar(key, avatarUrl),
      [avatar.key, url] as const,
    );
    if (!loaded.ok) throw pageFailureToError(loaded);
    slot.avatarKey = avatar.key;
    slot.avatarInfo = loaded.avatar;
    this.options.onAvatarLoad?.({ key: avatar.key, durationMs: performance.now() - loadStarted });
    return { page, avatarInfo: loaded.avatar };
  }

  /** The page's part of a shot: avatar loaded, shot drawn and its pixels in Node. */
  private async drawShot(slot: PageSlot, request: RenderShotRequest, input: PageShotInput) {
    const { page, avatarInfo } = await this.loadAvatarInto(slot, request.avatar);
    const started = performance.now();
    const result = await page.evaluate(
      (shotInput) => (window as unknown as { vrmLora: PageApi }).vrmLora.renderShot(shotInput),
      input,
    );
    const pageMs = performance.now() - started;
    if (!result.ok) throw pageFailureToError(result);
    return { shot: result.shot, avatarInfo, pageMs };
  }
}
