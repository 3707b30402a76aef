// The renderer's Chromium: launched on first use, relaunched after it disconnects, and switched to SwiftShader
// once when `auto` chose a GPU backend that does not work. Its state lives on the instance.
import { createRequire } from 'node:module';
import type { Browser, BrowserContext } from 'playwright-core';
import { BASE_BROWSER_FLAGS, glBackendFlags } from './browser-flags.js';
import { chooseGlBackend, type GpuProbe, probeGpu } from './choose-gl-backend.js';
import { type FoundBrowser, findBrowser } from './find-browser.js';
import { RenderError } from './render-error.js';
import type { ConcreteGlBackend, GlBackend } from './render-parameters.js';

/** Which browser to drive and how. */
export interface BrowserOptions {
  /** Chromium/Chrome to drive; default: {@link findBrowser}. */
  executablePath?: string;
  /**
   * GL backend. Default `auto`: the GPU where the machine shows one (`chooseGlBackend`), kept only when WebGL
   * starts on it with a hardware renderer, else `swiftshader` (CPU, works without a GPU);
   * `RuntimeFacts` says which.
   */
  glBackend?: GlBackend;
  /** What `auto` decides from; default: this machine's devices ({@link probeGpu}). */
  gpuProbe?: GpuProbe;
  /** Extra Chromium command-line flags. */
  extraArgs?: string[];
}

/** One Chromium (and its browser context) at a time; see the file comment. */
export class BrowserHost {
  /** The browser found (path and how it was found). */
  readonly found: FoundBrowser;
  private readonly requested: GlBackend;
  private readonly extraArgs: readonly string[];
  private readonly onDisconnected: () => void;
  private backend: ConcreteGlBackend;
  private reason: string;
  private browser: Browser | null = null;
  private browserContext: BrowserContext | null = null;
  private launching: Promise<BrowserContext> | null = null;
  private isClosed = false;

  /**
   * Finds the browser and chooses the GL backend; launches nothing. `onDisconnected` is called when the
   * current browser goes away on its own (a crash), not when it is closed or replaced here.
   */
  constructor(options: BrowserOptions, onDisconnected: () => void) {
    this.found = findBrowser(
      options.executablePath !== undefined ? { executablePath: options.executablePath } : {},
    );
    this.requested = options.glBackend ?? 'auto';
    const choice =
      this.requested === 'auto'
        ? chooseGlBackend(options.gpuProbe ?? probeGpu())
        : { backend: this.requested, reason: 'requested' };
    this.backend = choice.backend;
    this.reason = this.requested === 'auto' ? `auto: ${choice.reason}` : 'requested';
    this.extraArgs = options.extraArgs ?? [];
    this.onDisconnected = onDisconnected;
  }

  /** The backend in use (what `auto` became). */
  get glBackend(): ConcreteGlBackend {
    return this.backend;
  }

  /** Why {@link glBackend}: the `auto` choice and any fallback, or "requested". */
  get glBackendReason(): string {
    return this.reason;
  }

  /** Whether {@link close} has been called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Whether `auto` chose a GPU backend, which is given up (see {@link fallBackToSwiftShader}) if it fails. */
  get mayFallBack(): boolean {
    return this.requested === 'auto' && this.backend !== 'swiftshader';
  }

  /** Whether a browser is running and connected. */
  isConnected(): boolean {
    return this.browser?.isConnected() ?? false;
  }

  /** The running browser's version, or `unknown`. */
  version(): string {
    return this.browser?.version() ?? 'unknown';
  }

  /** The browser context, launching the browser first when none runs (one launch for concurrent callers). */
  async context(): Promise<BrowserContext> {
    if (this.isClosed) throw new RenderError('closed', 'the renderer has been closed');
    if (this.browserContext) return this.browserContext;
    if (!this.launching) {
      this.launching = this.launch().finally(() => {
        this.launching = null;
      });
    }
    return this.launching;
  }

  /** A WebGL start failure's message: the browser, the backend and its flags, and the ways to pick another. */
  webglUnavailableMessage(pageMessage: string): string {
    return (
      `WebGL did not start in ${this.found.executablePath} with GL backend "${this.backend}" (flags: ${glBackendFlags(this.backend).join(' ') || '(none)'}): ${pageMessage}. ` +
      'Pick another backend with the glBackend option (--gl-backend): auto (default: the GPU if there is one, else swiftshader), swiftshader (CPU), angle-default, angle-gl, angle-vulkan or egl; ' +
      'or pass your own flags with extraArgs.'
    );
  }

  /** Closes the running browser and uses SwiftShader from now on; `why` goes into {@link glBackendReason}. */
  async fallBackToSwiftShader(why: string): Promise<void> {
    const current = this.browser;
    this.browser = null;
    this.browserContext = null;
    await current?.close().catch(() => {});
    this.reason = `${this.reason}; ${this.backend} gave ${why}, fell back to swiftshader`;
    this.backend = 'swiftshader';
  }

  /** Closes the browser; later calls to {@link context} fail with `closed`. */
  async close(): Promise<void> {
    this.isClosed = true;
    const current = this.browser;
    this.browser = null;
    this.browserContext = null;
    await current?.close().catch(() => {});
  }

  private async launch(): Promise<BrowserContext> {
    let launched: Browser;
    try {
      // Playwright's own SIGINT/SIGTERM handlers would exit the process (130) before the caller's abort
      // handling can finish the run cleanly; the caller owns signals.
      const { chromium } = await loadPlaywright();
      launched = await chromium.launch({
        executablePath: this.found.executablePath,
        headless: true,
        args: [...BASE_BROWSER_FLAGS, ...glBackendFlags(this.backend), ...this.extraArgs],
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (error) {
      throw new RenderError(
        'browser-launch-failed',
        `could not start ${this.found.executablePath} (found via ${this.found.source}): ${String((error as Error)?.message ?? error).split('\n')[0]}`,
        { cause: error },
      );
    }
    launched.on('disconnected', () => {
      if (this.browser !== launched) return;
      this.browser = null;
      this.browserContext = null;
      this.onDisconnected();
    });
    const context = await launched.newContext({ viewport: { width: 64, height: 64 }, deviceScaleFactor: 1 });
    this.browser = launched;
    this.browserContext = context;
    return context;
  }
}

// Playwright loads on first use (with sharp, about 0.5 s of imports together), so importing this package, e.g.
// for `RenderError`, costs a run that renders nothing (a no-op re-run) almost nothing.
// playwright-core is CommonJS: `require` skips the export scan an ESM `import()` does over its 3.6 MB bundle
// (230 vs 330 ms, measured), and this is on the way to the browser's start.
let playwrightModule: typeof import('playwright-core') | null = null;
async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  playwrightModule ??= createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core');
  return playwrightModule;
}
