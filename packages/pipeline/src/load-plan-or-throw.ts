import { type Finding, type LoadManifestOptions, loadManifest, type ResolvedPlan } from '@vrm-lora/manifest';
import { PipelineInputError } from './pipeline-error.js';

/**
 * Loads and resolves a manifest, or throws one `PipelineInputError` carrying every finding. The warnings of a
 * valid manifest go to `onWarning`.
 */
export async function loadPlanOrThrow(
  file: string,
  options: LoadManifestOptions,
  onWarning: (finding: Finding) => void = () => {},
): Promise<ResolvedPlan> {
  const { plan, findings } = await loadManifest(file, options);
  if (!plan) throw new PipelineInputError('invalid manifest', findings);
  for (const f of findings) if (f.severity === 'warning') onWarning(f);
  return plan;
}
