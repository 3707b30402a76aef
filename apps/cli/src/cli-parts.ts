// The CLI's parts, for running many command lines in one process (the fault suite's batch runner): the same
// commander, commands and exit codes main.ts uses. Bundled beside main.js (scripts/bundle-cli.mjs).
export { Command } from 'commander';
export { registerCommands } from './commands/index.js';
export { exitCodes } from './exit-codes.js';
