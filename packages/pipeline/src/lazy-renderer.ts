import type {
  Renderer,
  RenderMapsRequest,
  RenderMapsResult,
  RenderShotRequest,
  RenderShotResult,
} from '@vrm-lora/renderer';
import { findBrowser } from '@vrm-lora/renderer/facts';

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
  const start = () => {
    starting ??= (async () => {
      const found = findBrowser({ executablePath: options.browser?.executablePath });
      options.onStart?.({ executablePath: found.executablePath, source: found.source });
      // Playwright and sharp load only when a shot must really be rendered.
      const { createRenderer } = await import('@vrm-lora/renderer');
      const renderer = await createRenderer({
        browser: { ...options.browser, executablePath: found.executablePath } as never,
        pages: options.pages ?? 1,
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
    return starting;
  };
  let facts: Promise<RendererFacts> | null = null;
  return {
    async renderShot(request, signal) {
      const renderer = await start();
      return renderer.renderShot(request, signal ? { signal } : {});
    },
    async renderMaps(request, signal) {
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
  };
}
