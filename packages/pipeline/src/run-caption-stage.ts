import type { EntryState } from './entry-state.js';
import type { RunContext } from './run-context.js';
import { captionKeyInputs, captionText } from './stages.js';

/** The caption stage for one avatar (`null`: a caption-only run without one): one `caption.txt` per entry. */
export async function runCaptionStage(
  run: RunContext,
  states: EntryState[],
  avatar: string | null,
  trigger: string,
): Promise<void> {
  run.startStage('caption', avatar, states.length);
  for (const entry of states) {
    entry.caption = await run.serveItem<string>(
      'caption',
      avatar,
      entry,
      captionKeyInputs(run.plan, entry.shot, trigger),
      async () => {
        const text = captionText(run.plan, entry.shot, trigger);
        return { value: text, files: { 'caption.txt': Buffer.from(text) } };
      },
    );
  }
  run.endStage('caption', avatar, states);
}
