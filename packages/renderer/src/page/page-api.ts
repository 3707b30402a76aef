import { BLOCKED_REQUEST_CONSOLE_PREFIX, type PageApi } from '../protocol.js';
import { loadAvatar } from './load-avatar.js';
import { createPageState, initWebGl, type PageState } from './page-state.js';
import { renderMaps } from './render-maps.js';
import { renderShot } from './render-shot.js';

/** The page's API (`window.vrmLora`, see ../protocol.ts) over one page state. */
export function createPageApi(state: PageState): PageApi {
  return {
    init: () => initWebGl(state),
    loadAvatar: (key, url) => loadAvatar(state, key, url),
    renderShot: (input) => renderShot(state, input),
    renderMaps: (input) => renderMaps(state, input),
  };
}

/**
 * Sets the page up: blocked requests reported to Node, a fresh page state, its API on `window.vrmLora`.
 * Returns the state (the bench's bundle reads it; the shipped page keeps it inside the API only).
 */
export function installPage(): PageState {
  // The server's Content-Security-Policy lets the page reach its own origin only; whatever it blocks (e.g. a
  // texture URL inside a VRM) is told to Node, which logs it.
  document.addEventListener('securitypolicyviolation', (event) => {
    console.warn(`${BLOCKED_REQUEST_CONSOLE_PREFIX}${event.blockedURI}`);
  });
  const state = createPageState();
  (window as unknown as { vrmLora: PageApi }).vrmLora = createPageApi(state);
  return state;
}
