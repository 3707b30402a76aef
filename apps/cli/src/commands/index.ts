import type { Command } from 'commander';
import { registerInit } from './init.js';
import { registerSchema } from './schema.js';
import { registerValidate } from './validate.js';

/** Every command, one file each. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerSchema(program);
  registerInit(program);
}
