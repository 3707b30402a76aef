import path from 'node:path';
import type { WorkerEvent } from '@vrm-lora/farm';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { escapeControlCharacters } from '../format-errors.js';
import { loadFarm } from '../load-farm.js';
import { addQueueOptions, positiveIntOption, type QueueFlags, tlsOf } from './queue-options.js';

interface WorkerFlags extends QueueFlags {
  cacheDir: string;
  inputRoot?: string[];
  pages: number;
  chromium?: string;
  name?: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  json?: boolean;
}

export function registerWorker(program: Command): void {
  addQueueOptions(
    program
      .command('worker')
      .description("take a farm's jobs (`run --queue`) and render them into the shared cache, until stopped")
      .requiredOption(
        '--cache-dir <dir>',
        'the shared cache folder (the same for every worker and the submitter)',
      ),
    "the farm's Redis: redis://[user:password@]host:6379 or rediss:// (TLS); password also $VRM_LORA_REDIS_PASSWORD",
  )
    .option(
      '--input-root <dir>',
      'read job inputs only under this folder (repeat for several); default anywhere',
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    )
    .addOption(positiveIntOption('--pages <n>', 'browser pages (each keeps its last avatar loaded)', 1))
    .option('--chromium <path>', 'Chromium/Chrome executable (else $VRM_LORA_CHROMIUM, Playwright, system)')
    .option('--name <name>', "this worker's name in jobs and logs (default <host>:<pid>)")
    .addOption(
      positiveIntOption(
        '--lock-duration-ms <ms>',
        "a job's lock: a killed worker's job moves on after it",
        30_000,
      ),
    )
    .addOption(
      positiveIntOption('--stalled-interval-ms <ms>', 'how often to look for jobs of killed workers', 30_000),
    )
    .addOption(
      positiveIntOption('--max-stalled-count <n>', 'times a job may lose its worker before it fails', 3),
    )
    .option('--json', 'print events as JSON, one per line')
    .action(async (flags: WorkerFlags) => {
      if (!flags.queue) {
        process.stderr.write('vrm-lora worker: --queue <redis://host:port> is required\n');
        process.exitCode = exitCodes.invalidInput;
        return;
      }
      await runWorkerCommand({ ...flags, queue: flags.queue });
    });
}

async function runWorkerCommand(flags: WorkerFlags & { queue: string }): Promise<void> {
  const { startWorker, queueConnectionOf, redactedQueueUrl } = await loadFarm();
  const { PipelineInputError } = await import('@vrm-lora/pipeline');
  let connection: ReturnType<typeof queueConnectionOf>;
  try {
    connection = queueConnectionOf(flags.queue, tlsOf(flags));
  } catch (error) {
    if (!(error instanceof PipelineInputError)) throw error;
    process.stderr.write(`vrm-lora: ${error.message}\n`);
    process.exitCode = exitCodes.invalidInput;
    return;
  }
  const print = flags.json
    ? (e: WorkerEvent) => process.stdout.write(`${JSON.stringify(e)}\n`)
    : (e: WorkerEvent) => {
        const line = describeWorkerEvent(e);
        if (line) process.stderr.write(`${escapeControlCharacters(line)}\n`);
      };
  const worker = await startWorker({
    connection,
    queueName: flags.queueName,
    cacheDir: path.resolve(flags.cacheDir),
    inputRoots: (flags.inputRoot ?? []).map((r) => path.resolve(r)),
    pages: flags.pages,
    ...(flags.chromium ? { executablePath: flags.chromium } : {}),
    ...(flags.name ? { name: flags.name } : {}),
    lockDurationMs: flags.lockDurationMs,
    stalledIntervalMs: flags.stalledIntervalMs,
    maxStalledCount: flags.maxStalledCount,
    onEvent: print,
  });
  if (!flags.json)
    process.stderr.write(
      `worker ${worker.name} on ${redactedQueueUrl(flags.queue)} (${flags.queueName}); Ctrl-C stops\n`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      // A second signal exits at once; the job in hand goes back to the queue when its lock runs out.
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      if (!flags.json) process.stderr.write('stopping after the job in hand…\n');
      worker.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function describeWorkerEvent(e: WorkerEvent): string | null {
  switch (e.type) {
    case 'job-start':
      return `→ job ${e.jobId}: ${e.avatar}`;
    case 'job-done': {
      const r = e.result;
      return `✓ job ${e.jobId}: ${r.renders.done} rendered, ${r.renders.cached} cached, ${r.failedEntries.length} failed in ${(r.durationMs / 1000).toFixed(1)} s`;
    }
    case 'job-failed':
      return `✗ job ${e.jobId}: ${e.error}`;
    case 'worker-error':
      return `! queue: ${e.message} (retrying)`;
    case 'browser-start':
      return `starting browser ${e.executablePath} (${e.source})`;
    default:
      return null;
  }
}
