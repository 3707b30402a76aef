import { type Finding, formatFinding } from '@vrm-lora/manifest';

/** One line per finding (`file: path: message`, as `validate` prints them), errors before warnings. */
export function formatFindingsText(findings: Finding[]): string {
  const sorted = [...findings].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return sorted.map(formatFinding).join('\n');
}

/** An error's message for the terminal: never a stack trace (set VRM_LORA_DEBUG=1 for one). */
export function describeError(error: unknown): string {
  if (process.env.VRM_LORA_DEBUG && error instanceof Error && error.stack) return error.stack;
  return error instanceof Error ? error.message : String(error);
}
