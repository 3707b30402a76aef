import type {
  Renderer,
  RenderMapsRequest,
  RenderMapsResult,
  RenderShotRequest,
  RenderShotResult,
} from '@vrm-lora/renderer';
import { findBrowser } from '@vrm-lora/renderer/facts';

/** What a lazy renderer reports: its browser starting, and a page loading an avatar. */
export interface LazyRendererListener {
  onStart?: (info: { executablePath: string; source: string }) => void;
  onAvatarLoad?: (info: { key: string; durationMs: number }) => void;
  /** A shot or maps were asked of the renderer (its browser works for the listener's run). */
  onRender?: () => void;
  /** A line of the renderer's log: blocked requests, page errors and console messages, crashes, relaunches. */
  onLog?: (line: string, level: 'notice' | 'chatter') => void;
}

/** A renderer that starts the browser on the first shot that needs it, so an all-cached run starts none. */
export interface LazyRenderer {
  renderShot(request: RenderShotRequest, signal?: AbortSignal): Promise<RenderShotResult>;
  /** Depth / normal maps of a rendered shot (see the renderer's `renderMaps`). */
  renderMaps(request: RenderMapsRequest, signal?: AbortSignal): Promise<RenderMapsResult>;
  /**
   * Starts the browser and loads `avatar` into a page in the background (e.g. while poses bake), so the
   * first shot costs one render. Resolves once the browser is up (the avatar keeps loading after); never
   * rejects: a failure surfaces from the next `renderShot`.
   */
  prepare(avatar: RenderShotRequest['avatar']): Promise<void>;
  /** The GL backend and renderer string of the started renderer; null when it never started. */
  facts(): Promise<RendererFacts | null>;
  /** Closes the browser (if started); calling it again returns the same promise. */
  close(): Promise<void>;
  /** Adds a listener (e.g. for one run of a resident renderer); returns the function that removes it. */
  listen(listener: LazyRendererListener): () => void;
  /** How many times the browser started and pages loaded an avatar since the renderer was made. */
  stats(): { browserStarts: number; avatarLoads: number };
}

/** What renders, as the run output and report.json say it. */
export interface RendererFacts {
  glBackend: string;
  glRenderer: string;
  glBackendReason: string;
}

export interface LazyRendererOptions {
  browser?: { executablePath?: string; glBackend?: string };
  pages?: number;
  onStart?: (info: { executablePath: string; source: string }) => void;
  /** The renderer is up: its GL backend and WebGL renderer string. */
  onReady?: (facts: RendererFacts) => void;
  /** Why `browser.glBackend` (e.g. what `auto` became and why), reported instead of the renderer's "requested". */
  glBackendReason?: string;
}

export function createLazyRenderer(options: LazyRendererOptions): LazyRenderer {
  let starting: Promise<Renderer> | null = null;
  let closing: Promise<void> | null = null;
  const listeners = new Set<LazyRendererListener>();
  if (options.onStart) listeners.add({ onStart: options.onStart });
  const counts = { browserStarts: 0, avatarLoads: 0 };
  const start = () => {
    if (starting) return starting;
    if (closing) return Promise.reject(new Error('the renderer has been closed'));
    const started = (async () => {
      const found = findBrowser({ executablePath: options.browser?.executablePath });
      counts.browserStarts++;
      for (const l of listeners) l.onStart?.({ executablePath: found.executablePath, source: found.source });
      // Playwright and sharp load only when a shot must really be rendered.
      const { createRenderer } = await import('@vrm-lora/renderer');
      const renderer = await createRenderer({
        browser: { ...options.browser, executablePath: found.executablePath } as never,
        pages: options.pages ?? 1,
        onLog: (line, level) => {
          for (const l of listeners) l.onLog?.(line, level);
        },
        onAvatarLoad: (info) => {
          counts.avatarLoads++;
          for (const l of listeners) l.onAvatarLoad?.(info);
        },
      });
      facts = renderer.runtimeFacts().then(({ glBackend, glRenderer, glBackendReason }) => {
        const described = {
          glBackend,
          glRenderer,
          glBackendReason: options.glBackendReason ?? glBackendReason,
        };
        options.onReady?.(described);
        return described;
      });
      facts.catch(() => {});
      return renderer;
    })();
    starting = started;
    // A failed start is not kept: a resident renderer (vrm-lora watch) tries again on the next shot.
    started.catch(() => {
      if (starting === started) starting = null;
    });
    return started;
  };
  let facts: Promise<RendererFacts> | null = null;
  return {
    async renderShot(request, signal) {
      for (const l of listeners) l.onRender?.();
      const renderer = await start();
      return renderer.renderShot(request, signal ? { signal } : {});
    },
    async renderMaps(request, signal) {
      for (const l of listeners) l.onRender?.();
      const renderer = await start();
      return renderer.renderMaps(request, signal ? { signal } : {});
    },
    async prepare(avatar) {
      const launched = start();
      launched.then((renderer) => renderer.prepare(avatar)).catch(() => {});
      await launched.catch(() => {});
    },
    async facts() {
      if (!starting) return null;
      await starting.catch(() => null);
      return facts ? facts.catch(() => null) : null;
    },
    close() {
      closing ??= (async () => {
        if (starting) await (await starting.catch(() => null))?.close();
      })();
      return closing;
    },
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stats: () => ({ ...counts }),
  };
}
