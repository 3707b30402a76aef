import { type Finding, type LoadManifestOptions, loadManifest, type ResolvedPlan } from '@vrm-lora/manifest';
import { PipelineInputError } from './pipeline-error.js';

/**
 * Loads and resolves a manifest, or throws one `PipelineInputError` carrying every finding and the check's
 * hint. The warnings of a valid manifest go to `onWarning`, then its hint (e.g. how many entries were skipped
 * for missing animation files) to `onHint`.
 */
export async function loadPlanOrThrow(
  file: string,
  options: LoadManifestOptions,
  onWarning: (finding: Finding) => void = () => {},
  onHint: (hint: string) => void = () => {},
): Promise<ResolvedPlan> {
  const { plan, findings, hint } = await loadManifest(file, options);
  if (!plan) throw new PipelineInputError('invalid manifest', findings, hint);
  for (const f of findings) if (f.severity === 'warning') onWarning(f);
  if (hint) onHint(hint);
  return plan;
}
