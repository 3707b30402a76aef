import type { CacheItem } from './cache-store.js';
import type { EntryState, PostValue, RenderValue } from './entry-state.js';
import type { RunContext } from './run-context.js';
import { runPost } from './run-post.js';
import { postKeyInputs } from './stages.js';

/** The post stage of one avatar, fed shot by shot while its render stage runs. */
export interface PostStage {
  /** Post-processes one rendered entry in Node, in the background, while the browser renders the next shot. */
  add(entry: EntryState, render: CacheItem<RenderValue>): void;
  /** Resolves when every entry added is done; rejects when one was aborted. */
  settled(): Promise<void>;
  /** The stage's end event (after the render stage's, which waits for `settled`). */
  end(): void;
}

/** Starts one avatar's post stage (its start event) for the render stage to feed. */
export function startPostStage(run: RunContext, avatarName: string, states: EntryState[]): PostStage {
  run.startStage('post', avatarName, states.length);
  const running: Promise<void>[] = [];
  return {
    add(entry, render) {
      const post = (async () => {
        entry.post = await run.serveItem<PostValue>(
          'post',
          avatarName,
          entry,
          postKeyInputs(run.plan, entry.shot, render.key),
          () =>
            runPost(run.plan, entry.shot, {
              png: render.files['render.png']!,
              meta: render.files['meta.json']!,
            }),
          (value) => value.warnings,
        );
      })();
      post.catch(() => {}); // awaited in `settled` with the others; this only keeps it from being "unhandled"
      running.push(post);
    },
    async settled() {
      await Promise.all(running);
    },
    end() {
      run.endStage('post', avatarName, states);
    },
  };
}
