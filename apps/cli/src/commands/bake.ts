import fs from 'node:fs';
import type { PipelineEvent } from '@vrm-lora/pipeline';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { describeError } from '../format-errors.js';
import { loadPipeline } from '../load-pipeline.js';
import { addPipelineOptions, type PipelineFlags, runPipelineCommand } from './pipeline-options.js';

interface BakeFlags extends PipelineFlags {
  animation?: string;
  frame?: string;
  time?: string;
  take?: string;
  wrap?: boolean;
}

export function registerBake(program: Command): void {
  addPipelineOptions(
    program
      .command('bake')
      .description("bake every entry's animation frame into a pose file (each distinct file parsed once)")
      .argument('[manifest]', 'manifest JSON (or use --animation for one pose)')
      .option('--animation <file>', 'bake one pose from this FBX/VRMA file or builtin:<name> and print it')
      .option('--frame <n>', "with --animation: frame index at the clip's own rate")
      .option('--time <seconds>', 'with --animation: time in seconds')
      .option('--take <name>', 'with --animation: the animation take to sample')
      .option('--wrap', 'with --animation: wrap past the clip end as CharacterStudio does'),
  ).action(async (manifest: string | undefined, flags: BakeFlags) => {
    if (flags.animation) {
      try {
        const { bakeSinglePose } = await loadPipeline();
        const pose = await bakeSinglePose({
          animation: flags.animation,
          ...(flags.frame !== undefined ? { frame: Number(flags.frame) } : {}),
          ...(flags.time !== undefined ? { timeSeconds: Number(flags.time) } : {}),
          ...(flags.take ? { take: flags.take } : {}),
          wrap: flags.wrap ?? false,
        });
        if (flags.json) process.stdout.write(`${JSON.stringify(pose, null, 2)}\n`);
        else {
          const s = pose.source;
          process.stdout.write(
            `${s.name} take "${s.take}" at ${s.timeSeconds.toFixed(3)} s (clip ${s.frameCount} frames, ` +
              `${s.durationSeconds.toFixed(3)} s @ ${s.frameRate} fps): ${Object.keys(pose.bones).length} bones\n`,
          );
        }
      } catch (error) {
        process.stderr.write(`vrm-lora: ${describeError(error)}\n`);
        process.exitCode = exitCodes.invalidInput;
      }
      return;
    }
    if (!manifest) {
      process.stderr.write('vrm-lora bake: give a manifest, or --animation <file> --frame <n>\n');
      process.exitCode = exitCodes.invalidInput;
      return;
    }
    const events: PipelineEvent[] = [];
    const result = await runPipelineCommand(manifest, flags, 'bake', {}, (e) => events.push(e));
    if (result && !flags.json) process.stdout.write(`${bakeTable(result.items, events)}\n`);
  });
}

/** Table rows for `bake`: entry, animation, frame, clip length, cached or baked. */
export function bakeTable(
  items: { number: number; poseFile?: string; error?: string }[],
  events: PipelineEvent[],
): string {
  const status = new Map<number, string>();
  for (const e of events)
    if (e.type === 'item' && e.stage === 'bake')
      status.set(e.number, e.status === 'done' ? 'baked' : e.status);
  const rows = [['entry', 'animation', 'time', 'clip length', 'status']];
  for (const item of items) {
    if (!item.poseFile) {
      rows.push([String(item.number), '', '', '', `failed: ${item.error ?? ''}`]);
      continue;
    }
    const pose = JSON.parse(fs.readFileSync(item.poseFile, 'utf8'));
    const s = pose.source;
    rows.push([
      String(item.number),
      s.take ? `${s.name} (${s.take})` : s.name,
      `${s.timeSeconds.toFixed(3)} s (frame ${Math.round(s.timeSeconds * s.frameRate)})`,
      `${s.frameCount} frames / ${s.durationSeconds.toFixed(2)} s`,
      status.get(item.number) ?? '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
