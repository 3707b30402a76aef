// The alpha correction of a shot's framing: how far the drawn subject is from where the framing mode puts
// it, and the fitting targets moved by that error. Pure, no DOM.
import type { PixelBounds } from '../protocol.js';
import type { FitTargets } from './fit-camera.js';

/** Alpha corrections of the framing at most (each re-renders the shot). */
export const MAX_ALPHA_CORRECTIONS = 4;

/** Where the subject's outermost pixels should be (inclusive rows and columns). */
export interface WantedBounds {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** How far (px) the measured alpha bounds are from where the framing mode puts them. */
export function framingError(
  bounds: PixelBounds,
  want: WantedBounds,
  mode: 'height' | 'width' | 'cut',
  height: number,
): { worstPx: number } {
  if (mode === 'width') {
    const centre = (bounds.top + bounds.bottom) / 2;
    return {
      worstPx: Math.max(
        Math.abs(bounds.left - want.left),
        Math.abs(bounds.right - want.right),
        Math.abs(centre - (height - 1) / 2),
      ),
    };
  }
  const top = Math.abs(bounds.top - want.top);
  return { worstPx: mode === 'height' ? Math.max(top, Math.abs(bounds.bottom - want.bottom)) : top };
}

/** Moves the fitting targets by the measured error (a fixed-point step: target += wanted − measured). */
export function correctTargets(
  targets: FitTargets,
  bounds: PixelBounds,
  want: WantedBounds,
  mode: 'height' | 'width' | 'cut',
  height: number,
): FitTargets {
  const next: FitTargets = { ...targets };
  if (mode === 'width') {
    next.leftX += want.left - bounds.left;
    next.rightX += want.right - bounds.right;
    next.centreY = (targets.centreY ?? height / 2) + ((height - 1) / 2 - (bounds.top + bounds.bottom) / 2);
  } else {
    next.topY += want.top - bounds.top;
    if (mode === 'height') next.bottomY += want.bottom - bounds.bottom;
  }
  return next;
}
