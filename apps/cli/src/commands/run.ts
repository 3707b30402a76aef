import type { Command } from 'commander';
import { addPipelineOptions, type PipelineFlags, runPipelineCommand } from './pipeline-options.js';

export function registerRun(program: Command): void {
  addPipelineOptions(
    program
      .command('run')
      .description('the whole flow: bake, render, post-process, caption, write the dataset')
      .argument('<manifest>', 'manifest JSON (CharacterStudio format + vrm-lora fields)'),
  ).action(async (manifest: string, flags: PipelineFlags) => {
    await runPipelineCommand(manifest, flags, 'dataset');
  });
}
