import type { Command } from 'commander';
import { addPipelineOptions, type PipelineFlags, runPipelineCommand } from './pipeline-options.js';
import { runCollectionCommand } from './run-collection-command.js';

export function registerRun(program: Command): void {
  addPipelineOptions(
    program
      .command('run')
      .description('the whole flow: bake, render, post-process, caption, write the dataset')
      .argument('<manifest>', 'manifest JSON (CharacterStudio format + vrm-lora fields)')
      .option(
        '--vrm-dir <folder|glob|list>',
        'a collection: the .vrm files of a folder, a glob, or a list file; one dataset per avatar in <out>/<trigger>/',
      ),
  ).action(async (manifest: string, flags: PipelineFlags & { vrmDir?: string }) => {
    if (flags.vrmDir) await runCollectionCommand(manifest, { ...flags, vrmDir: flags.vrmDir });
    else await runPipelineCommand(manifest, flags, 'dataset');
  });
}
