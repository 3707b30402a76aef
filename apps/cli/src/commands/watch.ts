import path from 'node:path';
import type { WatchEvent } from '@vrm-lora/watch';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { escapeControlCharacters, formatFindingsText } from '../format-errors.js';
import { addPipelineOptions, type PipelineFlags, runOptionsFromFlags } from './pipeline-options.js';

interface WatchFlags extends PipelineFlags {
  port: number;
  debounce: number;
}

export function registerWatch(program: Command): void {
  addPipelineOptions(
    program
      .command('watch')
      .description(
        'keep the browser and the avatar loaded, re-run whenever the manifest, an avatar or an animation changes, and serve a live preview page',
      )
      .argument('<manifest>', 'manifest JSON (CharacterStudio format + vrm-lora fields)'),
  )
    .addOption(
      new Option('--port <n>', 'preview page port on 127.0.0.1 (0: any free port)')
        .argParser(port)
        .default(0),
    )
    .addOption(
      new Option('--debounce <ms>', 'quiet time after a change before re-running')
        .argParser(port)
        .default(30),
    )
    .action(async (manifest: string, flags: WatchFlags) => {
      await watchCommand(manifest, flags);
    });
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('expected a whole number 0-65535');
  return n;
}

async function watchCommand(manifestFile: string, flags: WatchFlags): Promise<void> {
  if (flags.force !== undefined) {
    process.stderr.write(
      'vrm-lora: --force is not available in watch (it would redo everything on every save); run `vrm-lora run --force` once, then watch\n',
    );
    process.exitCode = exitCodes.invalidInput;
    return;
  }
  const { watchManifest, startPreviewServer } = await import('@vrm-lora/watch');
  const { PipelineInputError } = await import('@vrm-lora/pipeline');
  const print = flags.json
    ? (event: WatchEvent) => process.stdout.write(`${JSON.stringify(event)}\n`)
    : createWatchPrinter();
  let watcher: Awaited<ReturnType<typeof watchManifest>>;
  try {
    watcher = await watchManifest({
      ...runOptionsFromFlags(manifestFile, flags, undefined),
      debounceMs: flags.debounce,
      onEvent: print,
    });
  } catch (error) {
    if (!(error instanceof PipelineInputError)) throw error;
    process.stderr.write(`vrm-lora: ${escapeControlCharacters(error.message)}\n`);
    process.exitCode = exitCodes.invalidInput;
    return;
  }
  const server = await startPreviewServer({ watcher, port: flags.port }).catch(async (error: Error) => {
    await watcher.close();
    throw error;
  });
  if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'preview', url: server.url })}\n`);
  process.stderr.write(`vrm-lora watch: preview at ${server.url} (Ctrl-C stops)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('\nvrm-lora watch: stopping…\n');
      // A second Ctrl-C while stopping is the user insisting.
      process.once('SIGINT', () => process.exit(130));
      Promise.all([server.close(), watcher.close()]).then(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  if (flags.json) process.stdout.write(`${JSON.stringify({ type: 'stopped' })}\n`);
  else
    process.stderr.write('vrm-lora watch: stopped; the browser is closed and the output folder unlocked\n');
  process.exitCode = exitCodes.ok;
}

/**
 * One or a few lines per cycle, on stderr. The run's own warnings (the manifest's: entries skipped for missing
 * animation files, a transparent background, …) are printed when a cycle first has them, not on every save.
 */
function createWatchPrinter(): (event: WatchEvent) => void {
  let lastCycleWarnings = new Set<string>();
  let cycleWarnings = new Set<string>();
  return (event) => {
    if (event.type === 'cycle-start') [lastCycleWarnings, cycleWarnings] = [cycleWarnings, new Set()];
    if (event.type === 'pipeline' && event.event.type === 'warning' && !event.event.entryId) {
      const { message } = event.event;
      if (!lastCycleWarnings.has(message) && !cycleWarnings.has(message))
        process.stderr.write(`  ! ${escapeControlCharacters(message)}\n`);
      cycleWarnings.add(message);
    }
    printWatchEvent(event);
  };
}

function printWatchEvent(event: WatchEvent): void {
  const err = (line: string) => process.stderr.write(`${escapeControlCharacters(line)}\n`);
  switch (event.type) {
    case 'watching':
      err(`watching ${event.files.length} file(s) and folder(s)`);
      break;
    case 'cycle-start':
      if (event.changed.length > 0)
        err(`cycle ${event.cycle}: ${event.changed.map((f) => path.basename(f)).join(', ')} changed`);
      else err(`cycle ${event.cycle}: first run`);
      break;
    case 'pipeline': {
      const e = event.event;
      if (e.type === 'item' && e.status === 'failed')
        err(`  ✗ entry ${e.number} (${e.jsonPath}): ${e.error}`);
      if (e.type === 'item') for (const w of e.warnings) err(`  ! entry ${e.number} (${e.jsonPath}): ${w}`);
      if (e.type === 'browser-start') err(`  starting browser ${e.executablePath} (${e.source})`);
      break;
    }
    case 'cycle-end': {
      const c = event.summary.counts;
      err(
        `cycle ${event.cycle}: ${event.renders} rendered, ${c.render.cached} cached, ${event.summary.failed} failed in ${(event.durationMs / 1000).toFixed(2)} s` +
          `${event.browserStarts > 0 ? ' (browser started)' : ''}${event.avatarLoads > 0 ? ` (${event.avatarLoads} avatar load(s))` : ''}`,
      );
      break;
    }
    case 'cycle-error':
      process.stderr.write(
        `cycle ${event.cycle}: invalid input; the last good images stay. Fix and save again:\n${
          event.error.findings.length > 0
            ? formatFindingsText(event.error.findings)
            : event.error.message
                .split('\n')
                .map((l) => `vrm-lora: ${escapeControlCharacters(l)}`)
                .join('\n')
        }\n${event.error.hint ? `${escapeControlCharacters(event.error.hint)}\n` : ''}`,
      );
      break;
    case 'cycle-failed':
      err(`cycle ${event.cycle} failed: ${event.message}`);
      break;
  }
}
