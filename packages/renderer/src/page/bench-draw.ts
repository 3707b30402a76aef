import type { PageResult } from '../protocol.js';
import { fail, type PageState } from './page-state.js';

/**
 * How the bench reads a frame back: `render` draws and waits for the rasteriser only (a CDP screenshot is
 * taken from Node after it); `readPixels` is the raw RGBA copy the renderer uses; `toDataURL` / `toBlob`
 * make the browser encode a PNG.
 */
export type ReadbackMethod = 'render' | 'readPixels' | 'toDataURL' | 'toBlob';

/**
 * Bench only (the floor of `pnpm bench`): redraws the scene exactly as the last `renderShot` left it
 * (pose, camera; `shotSize` its full image size) and reads it back with `method`, `repeats` times;
 * milliseconds of each repeat and the bytes one read-back produced.
 */
export async function benchDraw(
  state: PageState,
  shotSize: { width: number; height: number } | null,
  method: ReadbackMethod,
  repeats: number,
): Promise<PageResult<{ ms: number[]; bytes: number }>> {
  const { renderer: r, canvas, scene, camera } = state;
  if (!r || !canvas) return fail('webgl-unavailable', 'benchDraw before init');
  if (!state.avatar) return fail('no-avatar-loaded', 'benchDraw before loadAvatar and renderShot');
  const gl = r.getContext();
  // The floor draws the whole frame, whatever region the shot's last draw covered.
  const width = shotSize?.width ?? gl.drawingBufferWidth;
  const height = shotSize?.height ?? gl.drawingBufferHeight;
  r.setSize(width, height, false);
  const raw = new Uint8Array(width * height * 4);
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    r.render(scene, camera);
    if (method === 'render') {
      gl.finish();
      // One pixel forces the rasteriser to finish (Chromium's finish() is a flush: it does not wait).
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, raw);
      bytes = 0;
    } else if (method === 'readPixels') {
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, raw);
      bytes = raw.length;
    } else if (method === 'toDataURL') {
      bytes = canvas.toDataURL('image/png').length;
    } else {
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
      bytes = blob ? (await blob.arrayBuffer()).byteLength : 0;
    }
    ms.push(performance.now() - t0);
  }
  return { ok: true, ms, bytes };
}
