import type { ResolvedShot } from '@vrm-lora/manifest';
import { cacheKeyOf } from './cache-store.js';
import type { RunContext } from './run-context.js';
import type { AvatarInput, RenderSetup } from './run-render-stage.js';
import { bakeKeyInputs, renderKeyInputs } from './stages.js';

/**
 * When some shot's render is not in the cache, starts the browser (resolving once it is up) and loads
 * `avatar` in the background, so the first render costs one render while the poses bake; an all-cached run
 * starts none. Decides cheaply: keys from the animations' hashes, items looked up without checking their files.
 */
export async function warmUpRenderer(
  run: RunContext,
  setup: RenderSetup,
  avatar: Pick<AvatarInput, 'bytes' | 'sha256'>,
  shots: ResolvedShot[],
  animationSha256: (shot: ResolvedShot) => Promise<string>,
): Promise<void> {
  for (const shot of shots) {
    const bakeKey = cacheKeyOf(bakeKeyInputs(shot, await animationSha256(shot)));
    const renderKey = cacheKeyOf(renderKeyInputs(shot, avatar.sha256, bakeKey, setup.runtime, setup.strict));
    if (!(await run.mayServe('render', renderKey))) {
      // Waits for the browser to be up before the bake starts: Node's one thread both drives Playwright's
      // launch and parses the clips, and Chromium's own start runs in its processes while the bake parses
      // (the first image lands ~0.2 s sooner than when the bake started first, measured over 4 runs each).
      await setup.renderer.prepare({ key: avatar.sha256, bytes: avatar.bytes });
      return;
    }
  }
}
