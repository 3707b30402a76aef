// The abort and crash policy of a shot: take a page from the pool, run the page's work racing the caller's
// AbortSignal, give the page back as soon as the page's part is done, and run it once more on a fresh page
// when the page or its browser died under it.
import type { Page } from 'playwright-core';
import { forgetPage, type PagePool, type PageSlot } from './page-pool.js';
import { RenderError } from './render-error.js';

/** What the loop needs to know of the renderer around it. */
export interface RetryHost {
  pool: PagePool;
  /** The renderer has been closed (a failure then is not retried). */
  isClosed(): boolean;
  /** The browser is running and connected. */
  isBrowserConnected(): boolean;
  log(line: string): void;
}

/**
 * Runs `onPage` on a slot of the pool, retried once on a fresh page when the page or browser crashes.
 * Aborting `signal` closes the slot's page and fails with `aborted`. The slot is released before this
 * resolves, so the caller's work after the page's (PNG encoding) overlaps the next shot's drawing.
 * `startedMs` is when the successful attempt got its slot (`performance.now()`).
 */
export async function renderWithRetry<T>(
  host: RetryHost,
  avatarKey: string,
  signal: AbortSignal | undefined,
  onPage: (slot: PageSlot) => Promise<T>,
): Promise<{ value: T; startedMs: number }> {
  for (let attempt = 0; ; attempt++) {
    const slot = await host.pool.acquire(avatarKey, signal);
    const startedMs = performance.now();
    const abort = abortOnSignal(slot, signal);
    try {
      const value = await Promise.race([onPage(slot), abort.aborted]);
      return { value, startedMs };
    } catch (error) {
      if (error instanceof RenderError && error.code !== 'browser-crashed') throw error;
      if (host.isClosed()) throw error;
      // Their events may arrive just after the failed call, hence the short wait.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const page = slot.page;
      if (!pageDied(host, page, error)) throw error;
      forgetPage(slot);
      await page?.close().catch(() => {});
      if (attempt >= 1) {
        throw new RenderError(
          'browser-crashed',
          `the render page crashed twice on this shot: ${firstLine(error)}`,
          { cause: error },
        );
      }
      host.log(`render page crashed (${firstLine(error)}); retrying the shot once`);
    } finally {
      abort.dispose();
      host.pool.release(slot);
    }
  }
}

/**
 * A promise that rejects with `aborted` when `signal` aborts, after closing the slot's page; `dispose`
 * removes the listener, so a long run's signal does not collect one listener per shot.
 */
function abortOnSignal(
  slot: PageSlot,
  signal: AbortSignal | undefined,
): { aborted: Promise<never>; dispose(): void } {
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!signal) return;
    listener = () => {
      const page = slot.page;
      forgetPage(slot);
      page?.close().catch(() => {});
      reject(new RenderError('aborted', 'the shot was aborted'));
    };
    if (signal.aborted) listener();
    else signal.addEventListener('abort', listener, { once: true });
  });
  aborted.catch(() => {});
  return {
    aborted,
    dispose() {
      if (listener) signal?.removeEventListener('abort', listener);
    },
  };
}

/** Whether `error` came from a dead page or browser: known from state (page or browser gone), not from its text. */
function pageDied(host: RetryHost, page: Page | null, error: unknown): boolean {
  return (
    (error instanceof RenderError && error.code === 'browser-crashed') ||
    page === null ||
    page.isClosed() ||
    !host.isBrowserConnected()
  );
}

function firstLine(error: unknown): string | undefined {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
