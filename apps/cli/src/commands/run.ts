import type { Command } from 'commander';
import { addPipelineOptions, type PipelineFlags, runPipelineCommand } from './pipeline-options.js';
import { addQueueOptions, positiveIntOption } from './queue-options.js';
import { type CollectionFlags, runCollectionCommand } from './run-collection-command.js';

export function registerRun(program: Command): void {
  const cmd = addPipelineOptions(
    program
      .command('run')
      .description('the whole flow: bake, render, post-process, caption, write the dataset')
      .argument('<manifest>', 'manifest JSON (CharacterStudio format + vrm-lora fields)')
      .option(
        '--vrm-dir <folder|glob|list>',
        'a collection: the .vrm files of a folder, a glob, or a list file; one dataset per avatar in <out>/<trigger>/',
      ),
  );
  addQueueOptions(
    cmd,
    'render on a farm: queue one job per avatar on this Redis (redis://host:6379, rediss:// for TLS) for `vrm-lora worker`s',
  )
    .option('--run-id <id>', "this run's id on the queue (default random); its jobs' ids start with it")
    .addOption(
      positiveIntOption('--job-attempts <n>', 'tries per job before it fails (a bad avatar: one)', 3),
    )
    .action(async (manifest: string, flags: PipelineFlags & CollectionFlags) => {
      if (flags.vrmDir || flags.queue) await runCollectionCommand(manifest, flags);
      else await runPipelineCommand(manifest, flags, 'dataset');
    });
}
