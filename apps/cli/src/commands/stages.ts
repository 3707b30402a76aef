import type { Command } from 'commander';
import { addPipelineOptions, type PipelineFlags, runPipelineCommand } from './pipeline-options.js';

/** `render`, `post` and `caption`: one stage each, computing what is missing upstream from the cache. */
export function registerStageCommands(program: Command): void {
  const stages = [
    ['render', 'render shots from baked poses (baking what is missing)'],
    ['post', 'post-process rendered shots: background, masks, format (rendering what is missing)'],
    ['caption', 'write captions only (no avatar or browser needed)'],
  ] as const;
  for (const [name, description] of stages) {
    addPipelineOptions(
      program.command(name).description(description).argument('<manifest>', 'manifest JSON'),
    ).action(async (manifest: string, flags: PipelineFlags) => {
      await runPipelineCommand(manifest, flags, name);
    });
  }
}
