import path from 'node:path';
import type { Command } from 'commander';
import { loadPipeline } from '../load-pipeline.js';
import { printRunError } from './pipeline-options.js';

interface ExplainFlags {
  vrm?: string[];
  animations?: string;
  out: string;
  cacheDir?: string;
  strict?: boolean;
  skipMissingAnimations?: boolean;
  json?: boolean;
  chromium?: string;
  glBackend?: string;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('say whether each stage of one entry is cached, and for a miss which key input changed')
    .argument('<manifest>', 'manifest JSON')
    .argument('<entry>', 'entry number (1-based) or a description substring')
    .option('--vrm <file>', 'VRM avatar (repeatable)', (v: string, p: string[] | undefined) => [
      ...(p ?? []),
      v,
    ])
    .option('--animations <dir>', "folder of animation files (overrides the manifest's)")
    .option('-o, --out <dir>', 'output folder of the earlier run', 'vrm-lora-out')
    .option('--cache-dir <dir>', 'cache folder (default <out>/.vrm-lora-cache)')
    .option('--strict', 'as given to run')
    .option('--skip-missing-animations', 'as given to run')
    .option('--chromium <path>', 'browser executable, as given to run')
    .option('--gl-backend <backend>', 'GL backend, as given to run')
    .option('--json', 'print JSON')
    .action(async (manifest: string, entry: string, flags: ExplainFlags) => {
      const { explainEntry, PipelineInputError } = await loadPipeline();
      try {
        const result = await explainEntry({
          manifestFile: path.resolve(manifest),
          entry,
          ...(flags.vrm ? { vrmPaths: flags.vrm.map((v) => path.resolve(v)) } : {}),
          ...(flags.animations ? { animationsDir: path.resolve(flags.animations) } : {}),
          outDir: path.resolve(flags.out),
          ...(flags.cacheDir ? { cacheDir: path.resolve(flags.cacheDir) } : {}),
          strict: flags.strict ?? false,
          ...(flags.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
          browser: {
            ...(flags.chromium ? { executablePath: flags.chromium } : {}),
            ...(flags.glBackend ? { glBackend: flags.glBackend } : {}),
          },
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        for (const e of result) {
          process.stdout.write(
            `entry ${e.number} (${e.description})${e.avatar ? ` on ${path.basename(e.avatar)}` : ''}\n`,
          );
          for (const s of e.stages) {
            process.stdout.write(
              `  ${s.stage.padEnd(8)} ${s.cached ? 'cached' : 'will run'}${s.note ? `: ${s.note}` : ''}\n`,
            );
            for (const c of s.changes) {
              process.stdout.write(
                `           ${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}\n`,
              );
            }
          }
        }
      } catch (error) {
        printRunError(error, false, PipelineInputError);
      }
    });
}
