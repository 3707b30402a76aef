import type { Command } from 'commander';

/** Every command, one file each. */
export function registerCommands(_program: Command): void {}
