import { sha256File } from '@vrm-lora/manifest/hash';
import type { RawPixels } from '@vrm-lora/post';
import type { CacheItem } from './cache-store.js';
import type { EntryState, PostValue, RenderValue } from './entry-state.js';
import { memoizeAsync } from './memoize-async.js';
import type { RunContext } from './run-context.js';
import { runPost } from './run-post.js';
import { backgroundImageSha256, postKeyInputs } from './stages.js';

/** The post stage of one avatar, fed shot by shot while its render stage runs. */
export interface PostStage {
  /**
   * Post-processes one rendered entry in Node, in the background, while the browser renders the next shot.
   * `pixels`: the render's RGBA when it was made in this process (post then skips decoding its PNG; it owns them).
   */
  add(entry: EntryState, render: CacheItem<RenderValue>, pixels?: RawPixels): void;
  /** Resolves when every entry added is done; rejects when one was aborted. */
  settled(): Promise<void>;
  /** The stage's end event (after the render stage's, which waits for `settled`). */
  end(): void;
}

/** Starts one avatar's post stage (its start event) for the render stage to feed. */
export function startPostStage(run: RunContext, avatarName: string, states: EntryState[]): PostStage {
  run.startStage('post', avatarName, states.length);
  const running: Promise<void>[] = [];
  // Background images are shared by many entries: each is hashed once per stage.
  const hashFile = memoizeAsync(sha256File);
  return {
    add(entry, render, pixels) {
      const post = (async () => {
        let backgroundSha: string | null;
        try {
          backgroundSha = await backgroundImageSha256(entry.shot, hashFile);
        } catch (error) {
          entry.error ??= `post: cannot read the background image: ${(error as Error).message}`;
          entry.stages.post = { status: 'failed', durationMs: 0 };
          return;
        }
        entry.post = await run.serveItem<PostValue>(
          'post',
          avatarName,
          entry,
          postKeyInputs(run.plan, entry.shot, render.key, backgroundSha),
          () =>
            runPost(run.plan, entry.shot, {
              png: render.files['render.png']!,
              meta: render.value.meta,
              ...(pixels ? { pixels } : {}),
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
