import type { PageFailure } from './protocol.js';
import { RenderError } from './render-error.js';

/** The `RenderError` of a failure the page reported (a page that lost its avatar counts as crashed). */
export function pageFailureToError(failure: PageFailure): RenderError {
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
}
