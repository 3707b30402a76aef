/** What went wrong, as a stable code (never match on the message). */
export type RenderErrorCode =
  | 'browser-not-found'
  | 'browser-launch-failed'
  | 'browser-crashed'
  | 'webgl-unavailable'
  | 'page-bundle-missing'
  | 'invalid-avatar'
  | 'invalid-request'
  | 'invalid-camera'
  | 'expression-missing'
  | 'blank-render'
  | 'aborted'
  | 'closed';

/** An error of the renderer; `message` says what happened and how to fix it. */
export class RenderError extends Error {
  /** Stable code for programmatic handling. */
  readonly code: RenderErrorCode;

  constructor(code: RenderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RenderError';
    this.code = code;
  }
}
