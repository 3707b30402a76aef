import path from 'node:path';
import { FORCE_TARGETS, type ForceTarget, TRAINER_NAMES, type TrainerName } from '@vrm-lora/manifest';
import {
  CONDITIONING_KINDS,
  CONTACT_SHEET_MODES,
  type ConditioningKind,
  type ContactSheetMode,
  parseConditioningList,
} from '@vrm-lora/manifest/formats';
import type { PipelineEvent, RunPipelineOptions, RunPipelineResult, RunUntil } from '@vrm-lora/pipeline';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { escapeControlCharacters, formatFindingsText } from '../format-errors.js';
import { loadPipeline } from '../load-pipeline.js';
import { createProgress, formatSummary, progressModeFor } from '../progress.js';

/** Flags shared by every command that runs stages on a manifest. */
export interface PipelineFlags {
  vrm?: string[];
  animations?: string;
  out: string;
  cacheDir?: string;
  only?: string;
  force?: string | boolean;
  strict?: boolean;
  skipMissingAnimations?: boolean;
  json?: boolean;
  pages?: number;
  chromium?: string;
  glBackend?: string;
  trainers?: TrainerName[];
  conditioning?: ConditioningKind[];
  contactSheet?: ContactSheetMode;
}

export function addPipelineOptions(cmd: Command): Command {
  return cmd
    .option('--vrm <file>', 'VRM avatar (repeat for one dataset per avatar)', collect, undefined)
    .option('--animations <dir>', "folder of animation files (overrides the manifest's)")
    .option('-o, --out <dir>', 'output folder', 'vrm-lora-out')
    .option('--cache-dir <dir>', 'cache folder (default <out>/.vrm-lora-cache); share one between datasets')
    .option(
      '--only <entries>',
      'entries to run: numbers and ranges (3,7-9), entry ids, or a description substring',
    )
    .option(
      '--force [stage]',
      `ignore the cache: all stages and conditioning images, or one of ${FORCE_TARGETS.join(', ')}`,
    )
    .option(
      '--strict',
      'a missing expression, or a frame past its clip’s end, is an error, not a warning (the manifest’s own wrapAnimation still wraps)',
    )
    .option(
      '--skip-missing-animations',
      'run the entries whose animation files are there and skip the others (a warning each), instead of refusing the run',
    )
    .option('--json', 'print progress as JSON events, one per line')
    .addOption(new Option('--pages <n>', 'browser pages rendering at once').argParser(positiveInt).default(1))
    .option('--chromium <path>', 'Chromium/Chrome executable (else $VRM_LORA_CHROMIUM, Playwright, system)')
    .option(
      '--gl-backend <backend>',
      'GL backend: auto (default: the GPU if the machine has one, else swiftshader), swiftshader, angle-default, angle-gl, angle-vulkan, egl',
    )
    .addOption(
      new Option(
        '--trainers <list>',
        `trainer setups to write beside the dataset, comma-separated: ${TRAINER_NAMES.join(', ')}, all or none (default: the manifest's trainers, else every one the dataset suits)`,
      ).argParser(parseTrainers),
    )
    .addOption(
      new Option(
        '--conditioning <kinds>',
        `conditioning images for every entry without its own list: ${CONDITIONING_KINDS.join(',')} (or none)`,
      ).argParser(conditioningList),
    )
    .addOption(
      new Option('--contact-sheet <mode>', 'what contact-sheet.png shows').choices([...CONTACT_SHEET_MODES]),
    );
}

function parseTrainers(value: string): TrainerName[] {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 1 && names[0] === 'all') return [...TRAINER_NAMES];
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((name) => !(TRAINER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(
      `unknown trainer ${unknown.join(', ') || '(none given)'}; expected ${TRAINER_NAMES.join(', ')}, all or none`,
    );
  }
  return names as TrainerName[];
}

function conditioningList(value: string): ConditioningKind[] {
  const parsed = parseConditioningList(value);
  if (typeof parsed === 'string') throw new InvalidArgumentError(parsed);
  return parsed;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number ≥ 1');
  return n;
}

/** `--force` as stage names (undefined: none); null after printing why the flag is wrong. */
export function forceFromFlags(flags: PipelineFlags): ForceTarget[] | undefined | null {
  if (flags.force === true) return [...FORCE_TARGETS];
  if (typeof flags.force !== 'string') return undefined;
  if (!FORCE_TARGETS.includes(flags.force as ForceTarget)) {
    process.stderr.write(`vrm-lora: --force ${flags.force}: expected one of ${FORCE_TARGETS.join(', ')}\n`);
    process.exitCode = exitCodes.invalidInput;
    return null;
  }
  return [flags.force as ForceTarget];
}

/** The pipeline's options from the shared flags, with the `--vrm` avatars (paths made absolute). */
export function runOptionsFromFlags(
  manifestFile: string,
  flags: PipelineFlags,
  force: ForceTarget[] | undefined,
): Omit<RunPipelineOptions, 'until' | 'signal' | 'onEvent'> {
  return {
    ...sharedRunOptions(manifestFile, flags, force),
    ...(flags.vrm ? { vrmPaths: flags.vrm.map((v) => path.resolve(v)) } : {}),
  };
}

/** The run options every avatar of a command shares, from its flags (paths made absolute). */
export function sharedRunOptions(
  manifestFile: string,
  flags: PipelineFlags,
  force: ForceTarget[] | undefined,
): Omit<RunPipelineOptions, 'vrmPaths' | 'until' | 'signal' | 'onEvent'> {
  return {
    manifestFile: path.resolve(manifestFile),
    ...(flags.animations ? { animationsDir: path.resolve(flags.animations) } : {}),
    outDir: path.resolve(flags.out),
    ...(flags.cacheDir ? { cacheDir: path.resolve(flags.cacheDir) } : {}),
    ...(flags.only ? { only: flags.only } : {}),
    ...(flags.conditioning ? { conditioning: flags.conditioning } : {}),
    ...(flags.contactSheet ? { contactSheet: flags.contactSheet } : {}),
    ...(force ? { force } : {}),
    strict: flags.strict ?? false,
    ...(flags.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
    pages: flags.pages ?? 1,
    ...(flags.trainers ? { trainers: flags.trainers } : {}),
    browser: {
      ...(flags.chromium ? { executablePath: flags.chromium } : {}),
      ...(flags.glBackend ? { glBackend: flags.glBackend } : {}),
    },
  };
}

/** Runs the pipeline up to `until`, draws progress, prints the summary and sets the exit code. */
export async function runPipelineCommand(
  manifestFile: string,
  flags: PipelineFlags,
  until: RunUntil,
  extra: Partial<RunPipelineOptions> = {},
  tap?: (event: PipelineEvent) => void,
): Promise<RunPipelineResult | null> {
  const force = forceFromFlags(flags);
  if (force === null) return null;
  const { runPipeline, PipelineInputError } = await loadPipeline();
  const progress = createProgress(progressModeFor(flags.json));
  const interrupt = stopOnInterrupt();
  try {
    const result = await runPipeline({
      ...runOptionsFromFlags(manifestFile, flags, force),
      until,
      signal: interrupt.signal,
      onEvent: (e) => {
        progress.onEvent(e);
        tap?.(e);
      },
      ...extra,
    });
    const { summary } = result;
    progress.stop();
    if (!flags.json) process.stderr.write(`${formatSummary(summary, until)}\n`);
    process.exitCode = summary.failed > 0 ? exitCodes.failed : exitCodes.ok;
    return result;
  } catch (error) {
    progress.stop();
    printRunError(error, interrupt.signal.aborted, PipelineInputError);
    return null;
  } finally {
    interrupt.dispose();
  }
}

/**
 * Prints why a run stopped and sets the exit code: interrupted (130), or invalid input (2, the findings or the
 * message line by line); anything else is thrown on (an internal error).
 */
export function printRunError(
  error: unknown,
  aborted: boolean,
  inputError: typeof import('@vrm-lora/pipeline').PipelineInputError,
): void {
  if (aborted) {
    process.stderr.write('vrm-lora: interrupted; nothing partial was written\n');
    process.exitCode = 130;
  } else if (error instanceof inputError) {
    process.stderr.write(
      `${
        error.findings.length > 0
          ? formatFindingsText(error.findings)
          : error.message
              .split('\n')
              .map((line) => `vrm-lora: ${escapeControlCharacters(line)}`)
              .join('\n')
      }\n${error.hint ? `${escapeControlCharacters(error.hint)}\n` : ''}`,
    );
    process.exitCode = exitCodes.invalidInput;
  } else throw error;
}

/**
 * Ctrl-C or SIGTERM stops the run through `signal` (a second one exits at once, 130); `dispose` removes the
 * handlers. What was cached stays: the next run resumes from it.
 */
export function stopOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping… (the next run resumes from the cache)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
