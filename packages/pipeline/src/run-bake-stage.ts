import type { ResolvedShot } from '@vrm-lora/manifest';
import type { SampleWrap } from '@vrm-lora/pose-baker';
import { createClipLoader } from './clip-loader.js';
import type { BakeValue, EntryState } from './entry-state.js';

import type { RunContext } from './run-context.js';
import { bakeKeyInputs } from './stages.js';

/**
 * The bake stage, shared by every avatar: one `pose.json` item per entry, each animation file parsed once
 * however many entries sample it.
 */
export async function runBakeStage(
  run: RunContext,
  states: EntryState[],
  animationSha256: (shot: ResolvedShot) => Promise<string>,
): Promise<void> {
  const clipLoader = createClipLoader();
  run.startStage('bake', null, states.length);
  for (const entry of states) {
    const shot = entry.shot;
    const animationSha = await animationSha256(shot);
    entry.bake = await run.serveItem<BakeValue | null>(
      'bake',
      null,
      entry,
      bakeKeyInputs(shot, animationSha),
      async () => {
        const { pose, wrapped } = await clipLoader.bake(shot, animationSha);
        const warnings = wrapped ? [describeWrap(wrapped)] : [];
        return {
          value: { ...(wrapped ? { wrapped } : {}), warnings },
          files: { 'pose.json': Buffer.from(`${JSON.stringify(pose, null, 2)}\n`) },
          warnings,
        };
      },
      (value) => value?.warnings ?? [],
    );
  }
  run.endStage('bake', null, states);
}

/**
 * The warning of a wrapped sample: the frame asked, the clip's length and the frame used, and how to make it an
 * error instead.
 */
export function describeWrap(w: SampleWrap): string {
  const asked = w.frameAsked !== undefined ? `frame ${w.frameAsked}` : `time ${w.timeAskedSeconds} s`;
  const used = Number.isInteger(w.frameUsed)
    ? `frame ${w.frameUsed}`
    : `frame ${w.frameUsed} (${w.timeUsedSeconds} s)`;
  return (
    `${w.clip}: ${asked} is past the end of take "${w.take}" (${w.frameCount} frame${w.frameCount === 1 ? '' : 's'}, ` +
    `0–${w.frameCount - 1} at ${w.frameRate} fps); wrapped around to ${used}, as CharacterStudio's looping ` +
    'player does. Set "wrapAnimation": false (or run with --strict) to make this an error.'
  );
}
