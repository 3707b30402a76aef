import type { Command } from 'commander';
import { registerBake } from './bake.js';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerInit } from './init.js';
import { registerRun } from './run.js';
import { registerSchema } from './schema.js';
import { registerShot } from './shot.js';
import { registerStageCommands } from './stages.js';
import { registerValidate } from './validate.js';
import { registerWatch } from './watch.js';
import { registerWorker } from './worker.js';

/** Every command, one file each. */
export function registerCommands(program: Command): void {
  registerDemo(program);
  registerRun(program);
  registerWatch(program);
  registerBake(program);
  registerStageCommands(program);
  registerShot(program);
  registerExplain(program);
  registerValidate(program);
  registerSchema(program);
  registerInit(program);
  registerWorker(program);
}
