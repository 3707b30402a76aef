/** Process exit codes, the same for every command. */
export const exitCodes = {
  /** Everything was written / the input is valid. */
  ok: 0,
  /** Some entries failed; the others were still written and reported. */
  failed: 1,
  /** Invalid input: nothing was rendered. */
  invalidInput: 2,
} as const;
