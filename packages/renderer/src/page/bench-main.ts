// The bench's page bundle (`dist/page/page-bench.js`, loaded by test/bench/measure-floor.mjs only): the
// shipped page plus `benchDraw`, the floor of `pnpm bench`. The shipped bundle (`page.js`) has no bench code.
import type { PageApi, PageShotInput } from '../protocol.js';
import { benchDraw, type ReadbackMethod } from './bench-draw.js';
import { installPage } from './page-api.js';

const state = installPage();
const vrmLora = (window as unknown as { vrmLora: PageApi }).vrmLora;
/** The full image size of the last shot drawn (its last draw may have covered the subject's box only). */
type BenchDraw = (method: ReadbackMethod, repeats: number) => ReturnType<typeof benchDraw>;
let lastShotSize: { width: number; height: number } | null = null;
(window as unknown as { vrmLora: PageApi & { benchDraw: BenchDraw } }).vrmLora = {
  ...vrmLora,
  renderShot(input: PageShotInput) {
    lastShotSize = { width: input.width, height: input.height };
    return vrmLora.renderShot(input);
  },
  benchDraw: (method: ReadbackMethod, repeats: number) => benchDraw(state, lastShotSize, method, repeats),
};
