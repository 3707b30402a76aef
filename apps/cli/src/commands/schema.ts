import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { manifestJsonSchema } from '@vrm-lora/manifest';
import type { Command } from 'commander';

/** The manifest JSON Schema as the text `vrm-lora schema` prints and `vrm-lora init` writes. */
export function formatManifestJsonSchema(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

/** Writes `text` to a temporary file beside `file`, then renames it into place. */
export async function writeTextFileAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, text);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
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
      await writeTextFileAtomic(file, text);
      process.stdout.write(`wrote ${file}\n`);
    });
}
