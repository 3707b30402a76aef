import path from 'node:path';
import type { Command } from 'commander';
import { loadPipeline } from '../load-pipeline.js';
import { addPipelineOptions, type PipelineFlags, runPipelineCommand } from './pipeline-options.js';

export function registerDemo(program: Command): void {
  addPipelineOptions(
    program
      .command('demo')
      .description('the main job on the built-in mannequin avatar and built-in poses: a full kohya dataset'),
  ).action(async (flags: PipelineFlags) => {
    const out = path.resolve(flags.out === 'vrm-lora-out' ? 'vrm-lora-demo' : flags.out);
    const { prepareDemo } = await loadPipeline();
    const { manifestFile, vrmFile } = await prepareDemo(out);
    if (!flags.json) {
      process.stderr.write(
        `demo inputs: ${path.relative(process.cwd(), manifestFile)} + ${path.relative(process.cwd(), vrmFile)}\n`,
      );
    }
    await runPipelineCommand(manifestFile, { ...flags, out, vrm: flags.vrm ?? [vrmFile] }, 'dataset');
  });
}
