import { loadManifest, summarizePlan } from '@vrm-lora/manifest';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { formatFindings, formatPlanSummary } from '../format-findings.js';

interface ValidateFlags {
  vrm?: string[];
  animations?: string;
  skipMissingAnimations?: boolean;
  json?: boolean;
}

/** `vrm-lora validate <manifest>`: every problem in one pass, or a summary of the valid plan. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a manifest (and that its animation and VRM files exist) without rendering anything')
    .argument('<manifest>', 'manifest JSON (CharacterStudio format + vrm-lora fields)')
    .option('--vrm <file>', 'avatar VRM file; repeat for several (replaces the manifest’s "avatar")', collect)
    .option(
      '--animations <dir>',
      'folder of the animation files (replaces assetsLocation + animationsDirectory)',
    )
    .option(
      '--skip-missing-animations',
      'as given to run: entries whose animation files are missing are skipped (warnings), not errors',
    )
    .option('--json', 'print the findings (and summary) as JSON')
    .action(async (manifest: string, flags: ValidateFlags) => {
      const { plan, findings, hint } = await loadManifest(manifest, {
        ...(flags.animations !== undefined ? { animationsDir: flags.animations } : {}),
        ...(flags.vrm !== undefined ? { vrmPaths: flags.vrm } : {}),
        ...(flags.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
      });
      if (flags.json) {
        const out = {
          valid: plan !== null,
          findings,
          ...(hint ? { hint } : {}),
          summary: plan ? summarizePlan(plan) : null,
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        process.stdout.write(plan ? formatPlanSummary(plan, findings, hint) : formatFindings(findings, hint));
      }
      process.exitCode = plan ? exitCodes.ok : exitCodes.invalidInput;
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
