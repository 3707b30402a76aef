// Where a drawn subject's pixels are: its alpha bounds (the rule: manifest's `measurePixelBounds`, shared with
// the post checks), and the image edges it touches. Pure, no DOM.
import { measurePixelBounds } from '@vrm-lora/manifest/formats';
import type { PixelBounds } from '../protocol.js';
import type { RegionPixels } from './render-region.js';
import { boxSize } from './subject-box.js';

/** The alpha bounds of a drawn region, in full-image pixels. */
export function measureRegionAlpha(region: RegionPixels): PixelBounds | null {
  const { width, height } = boxSize(region.box);
  const b = measurePixelBounds(region.rgba, width, height);
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
