/** Post-processing input that cannot be honoured; the message names the entry and the fix. */
export class PostProcessError extends Error {
  override name = 'PostProcessError';
}
