import type { PageShotOutput } from './protocol.js';
import { unpackSpans } from './unpack-spans.js';

/**
 * The full straight-alpha RGBA pixels of a shot the page sent as pixel runs (`spansBase64` + `pixelsBase64`):
 * width × height, rows top to bottom, transparent outside the runs.
 */
export function unpackShotPixels(
  shot: Pick<PageShotOutput, 'spansBase64' | 'pixelsBase64'>,
  width: number,
  height: number,
): Buffer {
  // A copy: a small decoded Buffer sits at any offset of Node's pool, a Uint16Array needs an even one.
  const spans = new Uint16Array(Uint8Array.from(Buffer.from(shot.spansBase64, 'base64')).buffer);
  return unpackSpans(spans, Buffer.from(shot.pixelsBase64, 'base64'), width, height);
}

/**
 * The PNG of a shot's RGBA pixels (see {@link unpackShotPixels}): zlib `compressionLevel` 0–9, no adaptive
 * filtering, no palette.
 */
export async function encodeShotPng(
  rgba: Buffer,
  width: number,
  height: number,
  compressionLevel: number,
): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel, adaptiveFiltering: false, palette: false })
    .toBuffer();
}

// sharp loads on first use (like Playwright, see browser-host.ts): a run that renders nothing never loads it.
type Sharp = typeof import('sharp')['default'];
let sharpModule: Promise<Sharp> | null = null;
function loadSharp(): Promise<Sharp> {
  sharpModule ??= import('sharp').then((m) => m.default);
  return sharpModule;
}
