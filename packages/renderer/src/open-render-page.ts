import type { BrowserContext, Page } from 'playwright-core';
import type { RendererLogLevel } from './create-renderer.js';
import { BLOCKED_REQUEST_CONSOLE_PREFIX, type PageApi, type PageInitResult } from './protocol.js';
import { RenderError } from './render-error.js';

/** What {@link openRenderPage} needs. */
export interface OpenRenderPageOptions {
  context: BrowserContext;
  /** The render page's URL (the page server's `pageUrl`). */
  pageUrl: string;
  /** Diagnostics: blocked requests, the page's console and errors, crashes. */
  log: (line: string, level?: RendererLogLevel) => void;
  /** Called when the page crashes (after it is logged). */
  onCrash: (page: Page) => void;
  /** The `webgl-unavailable` error's message for the page's own failure message. */
  webglUnavailableMessage: (pageMessage: string) => string;
}

/** Opens the render page in `context`, waits for its API and starts WebGL in it; fails with `webgl-unavailable`. */
export async function openRenderPage(
  options: OpenRenderPageOptions,
): Promise<{ page: Page; init: PageInitResult }> {
  const { log } = options;
  const page = await options.context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith(BLOCKED_REQUEST_CONSOLE_PREFIX)) {
      const url = text.slice(BLOCKED_REQUEST_CONSOLE_PREFIX.length);
      log(`blocked request from the render page: ${url.length > 200 ? `${url.slice(0, 200)}…` : url}`);
    } else log(`page console ${message.type()}: ${text}`, message.type() === 'error' ? 'notice' : 'chatter');
  });
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('crash', () => {
    log('render page crashed; it will be replaced');
    options.onCrash(page);
  });
  await page.goto(options.pageUrl);
  await page.waitForFunction(() => 'vrmLora' in window);
  const init = await page.evaluate(() => (window as unknown as { vrmLora: PageApi }).vrmLora.init());
  if (!init.ok) {
    await page.close().catch(() => {});
    throw new RenderError('webgl-unavailable', options.webglUnavailableMessage(init.message));
  }
  return {
    page,
    init: {
      glRenderer: init.glRenderer,
      glVendor: init.glVendor,
      threeVersion: init.threeVersion,
      threeVrmVersion: init.threeVrmVersion,
    },
  };
}
