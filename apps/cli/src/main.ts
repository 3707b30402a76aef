#!/usr/bin/env node
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';
import { exitCodes } from './exit-codes.js';
import { escapeControlCharacters } from './format-errors.js';

const program = new Command()
  .name('vrm-lora')
  .description('Turn a VRM avatar into LoRA training data: pose, render, frame, caption.')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const e = error as { code?: string; exitCode?: number; message?: string };
  if (typeof e.code === 'string' && e.code.startsWith('commander.')) {
    // Help and version exit 0; usage errors are invalid input.
    process.exitCode = e.exitCode === 0 ? 0 : exitCodes.invalidInput;
  } else if ((error as Error).name === 'DatasetError') {
    // The output folder is in a state the tool will not write over (files it did not write, a damaged index):
    // the message says what to do; it is not a bug.
    process.stderr.write(`vrm-lora: ${escapeControlCharacters(e.message ?? String(error))}\n`);
    process.exitCode = exitCodes.failed;
  } else {
    process.stderr.write(`vrm-lora: internal error: ${e.message ?? String(error)}\n`);
    if (process.env.VRM_LORA_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = exitCodes.failed;
  }
}
