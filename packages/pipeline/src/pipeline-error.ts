import type { Finding } from '@vrm-lora/manifest';

/**
 * Invalid input found before anything ran (the CLI's exit code 2). Carries every finding, and a line on what to
 * do next where the manifest's check gave one (e.g. how many entries missing animation files stop).
 */
export class PipelineInputError extends Error {
  constructor(
    message: string,
    readonly findings: Finding[] = [],
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PipelineInputError';
  }
}
