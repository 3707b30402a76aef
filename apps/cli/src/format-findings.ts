import path from 'node:path';
import { type Finding, formatFinding, type ResolvedPlan, summarizePlan } from '@vrm-lora/manifest';
import { escapeControlCharacters } from './format-errors.js';

/** Shows paths relative to the working folder when they are inside it, so lines stay short. */
function showPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One `file: path: message` line per finding, the check's hint, then a count line. */
export function formatFindings(findings: Finding[], hint?: string, cwd = process.cwd()): string {
  const lines = findings.map((f) =>
    escapeControlCharacters(formatFinding({ ...f, file: showPath(f.file, cwd) })),
  );
  if (hint) lines.push(escapeControlCharacters(hint));
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

/** The summary `vrm-lora validate` prints for a valid plan. */
export function formatPlanSummary(
  plan: ResolvedPlan,
  findings: Finding[],
  hint?: string,
  cwd = process.cwd(),
): string {
  const summary = summarizePlan(plan);
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const warnings = findings.filter((f) => f.severity === 'warning');
  const lines = [
    `${showPath(plan.manifestFile, cwd)}: valid`,
    `  entries:     ${summary.entries}`,
    `  animations:  ${summary.distinctAnimations} distinct${
      plan.shots.some((s) => s.animation.kind === 'file')
        ? `, files from ${showPath(summary.animationsDir, cwd)}`
        : ' (all built-in poses)'
    }`,
    `  frames:      ${counts(summary.shotsPerFrame)}`,
    `  cameras:     ${counts(summary.shotsPerDirection)}`,
    `  image sizes: ${counts(summary.imageSizes)}`,
    `  avatars:     ${
      summary.avatars.length > 0
        ? summary.avatars.map((a) => showPath(a, cwd)).join(', ')
        : 'none yet (pass --vrm <file> or set "avatar" in the manifest)'
    }`,
    `  captions:    trigger "${plan.trigger}", template "${plan.caption.template}", .${plan.caption.extension}`,
    `  warnings:    ${warnings.length}`,
    ...warnings.map(
      (f) => `    ${escapeControlCharacters(formatFinding({ ...f, file: showPath(f.file, cwd) }))}`,
    ),
    ...(hint ? [`  ${escapeControlCharacters(hint)}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
