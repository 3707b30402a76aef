import { trainerSupportProblem } from '@vrm-lora/dataset';
import type { ResolvedPlan } from '@vrm-lora/manifest';

/**
 * The error message for a trainer the plan asks for (manifest `trainers` or `--trainers`) that cannot read the
 * dataset it describes (layout, caption extension, caption variants), or `null`. Checked before anything renders.
 */
export function checkTrainers(plan: ResolvedPlan): string | null {
  if (!plan.trainers) return null;
  const facts = {
    layout: plan.layout,
    captionExtension: plan.caption.extension,
    multiLineCaptions: plan.caption.variants.length > 0,
  };
  for (const trainer of plan.trainers) {
    const problem = trainerSupportProblem(trainer, facts);
    if (problem) return `Cannot write the ${trainer} setup for this dataset: ${problem}`;
  }
  return null;
}
