import path from 'node:path';
import { manifestJsonSchema, writeFileAtomic } from '@vrm-lora/manifest';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { outputFileProblem } from '../output-file.js';

/** The manifest JSON Schema as the text `vrm-lora schema` prints and `vrm-lora init` writes. */
export function formatManifestJsonSchema(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

/** `vrm-lora schema [-o file]`: the manifest's JSON Schema, for editors. */
export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(
      'print the manifest JSON Schema (point a manifest’s "$schema" at it for completion and checks)',
    )
    .option('-o, --output <file>', 'write it to this file instead of printing it')
    .action(async (flags: { output?: string }) => {
      const text = formatManifestJsonSchema();
      if (flags.output === undefined) {
        process.stdout.write(text);
        return;
      }
      const file = path.resolve(flags.output);
      const problem = await outputFileProblem(file);
      if (problem) {
        process.stderr.write(`vrm-lora schema: -o ${file} ${problem}\n`);
        process.exitCode = exitCodes.invalidInput;
        return;
      }
      await writeFileAtomic(file, text);
      process.stdout.write(`wrote ${file}\n`);
    });
}
