import {
  REPORT_FORMAT,
  REPORT_VERSION,
  type Report,
  type ReportEntry,
  type ResolvedPlan,
  STAGE_NAMES,
} from '@vrm-lora/manifest';
import { countOutcomes, type EntryState } from './entry-state.js';

/**
 * One avatar's `report.json` from its entries' states. Timings, `browserStarted` and the dataset's outputs are
 * filled in by whoever writes it.
 */
export function buildReport(plan: ResolvedPlan, avatar: Report['avatar'], states: EntryState[]): Report {
  const entries: ReportEntry[] = states.map((e) => ({
    id: e.shot.id,
    number: e.shot.number,
    jsonPath: e.shot.jsonPath,
    description: e.shot.description,
    status: e.error ? 'failed' : 'written',
    ...(e.error ? { error: e.error } : {}),
    warnings: [...new Set(e.warnings)],
    stages: e.stages,
    ...(e.caption ? { caption: e.caption.value } : {}),
    ...(e.bake?.value?.wrapped ? { wrapped: e.bake.value.wrapped } : {}),
    ...(e.post ? { measured: e.post.value.measured } : {}),
  }));
  const stages = Object.fromEntries(
    STAGE_NAMES.map((s) => [s, countOutcomes(states, s)]),
  ) as Report['summary']['stages'];
  return {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    manifest: plan.manifestFile,
    avatar,
    layout: plan.layout,
    summary: {
      entries: entries.length,
      written: entries.filter((e) => e.status === 'written').length,
      failed: entries.filter((e) => e.status === 'failed').length,
      warnings: entries.reduce((n, e) => n + e.warnings.length, 0),
      durationMs: 0,
      browserStarted: false,
      stages,
    },
    entries,
  };
}
