import type { Finding } from '@vrm-lora/manifest';

/** Invalid input found before anything ran (the CLI's exit code 2). Carries every finding. */
export class PipelineInputError extends Error {
  constructor(
    message: string,
    readonly findings: Finding[] = [],
  ) {
    super(message);
    this.name = 'PipelineInputError';
  }
}
