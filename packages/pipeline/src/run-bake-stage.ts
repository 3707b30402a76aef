import type { ResolvedShot } from '@vrm-lora/manifest';
import { createClipLoader } from './clip-loader.js';
import type { EntryState } from './entry-state.js';
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
    entry.bake = await run.serveItem('bake', null, entry, bakeKeyInputs(shot, animationSha), async () => {
      const pose = await clipLoader.bake(shot, animationSha);
      return { value: null, files: { 'pose.json': Buffer.from(`${JSON.stringify(pose, null, 2)}\n`) } };
    });
  }
  run.endStage('bake', null, states);
}
