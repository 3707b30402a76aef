import { type LoadManifestOptions, loadManifest, type ResolvedPlan } from '@vrm-lora/manifest';
import { PipelineInputError } from './pipeline-error.js';

/** Loads and resolves a manifest, or throws one `PipelineInputError` carrying every finding. */
export async function loadPlanOrThrow(file: string, options: LoadManifestOptions): Promise<ResolvedPlan> {
  const { plan, findings } = await loadManifest(file, options);
  if (!plan) throw new PipelineInputError('invalid manifest', findings);
  return plan;
}
