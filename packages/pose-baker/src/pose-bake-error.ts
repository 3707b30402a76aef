/** Why a bake failed. Each code comes with a message that names the file and the fix. */
export type PoseBakeErrorCode =
  | 'corrupt-file'
  | 'unsupported-rig'
  | 'frame-out-of-range'
  | 'empty-clip'
  | 'unknown-take'
  | 'unknown-builtin'
  | 'unsupported-format';

/** A bake failure the user can fix; `message` names the input file and says how. */
export class PoseBakeError extends Error {
  /** Machine-readable reason; match on this, never on the message text. */
  readonly code: PoseBakeErrorCode;
  /** The input the error is about (file name or `builtin:<name>`). */
  readonly fileName: string;

  constructor(code: PoseBakeErrorCode, fileName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoseBakeError';
    this.code = code;
    this.fileName = fileName;
  }
}
