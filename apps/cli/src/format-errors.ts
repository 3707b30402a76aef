import { type Finding, formatFinding } from '@vrm-lora/manifest';

/** One line per finding (`file: path: message`, as `validate` prints them), errors before warnings. */
export function formatFindingsText(findings: Finding[]): string {
  const sorted = [...findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return sorted.map((f) => escapeControlCharacters(formatFinding(f))).join('\n');
}

/**
 * A line with its control characters shown as `\u0007` escapes: a path or description from a manifest may hold
 * any of them (NUL, BEL, ESC sequences, carriage returns), and they must not reach the terminal raw.
 */
export function escapeControlCharacters(line: string): string {
  return line.replace(
    /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** An error's message for the terminal: never a stack trace (set VRM_LORA_DEBUG=1 for one). */
export function describeError(error: unknown): string {
  if (process.env.VRM_LORA_DEBUG && error instanceof Error && error.stack) return error.stack;
  return error instanceof Error ? error.message : String(error);
}
