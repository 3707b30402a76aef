// Where a drawn subject's pixels are: its alpha bounds, and the image edges it touches. Pure, no DOM.
import type { PixelBounds } from '../protocol.js';
import type { RegionPixels } from './render-region.js';
import { boxSize } from './subject-box.js';

/** First/last rows and columns with alpha > 0 of RGBA rows (top to bottom), or null when all are transparent. */
export function measureAlpha(rgba: Uint8Array, width: number, height: number): PixelBounds | null {
  let top = -1;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    let rowLeft = -1;
    let rowRight = -1;
    for (let x = 0; x < width; x++) {
      if (rgba[row + x * 4 + 3]! > 0) {
        rowLeft = x;
        break;
      }
    }
    if (rowLeft < 0) continue;
    for (let x = width - 1; x >= rowLeft; x--) {
      if (rgba[row + x * 4 + 3]! > 0) {
        rowRight = x;
        break;
      }
    }
    if (top < 0) top = y;
    bottom = y;
    if (rowLeft < left) left = rowLeft;
    if (rowRight > right) right = rowRight;
  }
  return top < 0 ? null : { left, top, right, bottom };
}

/** The alpha bounds of a drawn region, in full-image pixels. */
export function measureRegionAlpha(region: RegionPixels): PixelBounds | null {
  const { width, height } = boxSize(region.box);
  const b = measureAlpha(region.rgba, width, height);
  if (!b) return null;
  const { left, top } = region.box;
  return { left: b.left + left, top: b.top + top, right: b.right + left, bottom: b.bottom + top };
}

/** The image edges a subject's pixels touch. */
export function edgesTouched(b: PixelBounds, width: number, height: number): string[] {
  const edges: string[] = [];
  if (b.top <= 0) edges.push('top');
  if (b.bottom >= height - 1) edges.push('bottom');
  if (b.left <= 0) edges.push('left');
  if (b.right >= width - 1) edges.push('right');
  return edges;
}
