import { frameCutsBottom, type PixelBounds, type ResolvedShot, sideMarginPx } from '@vrm-lora/manifest';

/** Margins (px) the post stage checks on the final image; `null`: that edge is not checked. */
export interface ExpectedMargins {
  topPx: number | null;
  bottomPx: number | null;
  leftPx?: number | null;
  rightPx?: number | null;
}

/**
 * The margins known before rendering, part of the post key: the shot's top margin, and its bottom margin
 * unless the frame cuts the body at the bottom edge. A vertical or depth camera offset moves the subject's rows
 * on purpose: nothing to check.
 */
export function postExpectation(shot: ResolvedShot): { topPx: number | null; bottomPx: number | null } {
  const [, dy, dz] = shot.camera.localOffset;
  if (dy !== 0 || dz !== 0) return { topPx: null, bottomPx: null };
  return {
    topPx: shot.topFrameOffsetPixels,
    bottomPx: frameCutsBottom(shot.camera.frame) ? null : shot.bottomFrameOffsetPixels,
  };
}

/** What of the renderer's meta decides the check: its framing mode, the subject's bounds and the image size. */
export interface RenderedFraming {
  framing: { mode: 'height' | 'width' | 'cut' };
  bounds: PixelBounds;
  width: number;
  height: number;
}

/**
 * The margins to check once the render is known (`undefined`: none). A subject too wide for the image was
 * fitted left and right ("width" framing): its side margins are checked, unless a sideways camera offset moved
 * it. A camera offset that pushed the subject past an image edge (the renderer warned) leaves nothing to check.
 */
export function expectedMargins(shot: ResolvedShot, rendered: RenderedFraming): ExpectedMargins | undefined {
  const b = rendered.bounds;
  const offsetCut =
    shot.camera.localOffset.some((v) => v !== 0) &&
    (b.left <= 0 ||
      b.top <= 0 ||
      b.right >= rendered.width - 1 ||
      (b.bottom >= rendered.height - 1 && !frameCutsBottom(shot.camera.frame)));
  if (offsetCut) return undefined;
  if (rendered.framing.mode !== 'width') return postExpectation(shot);
  const side = Math.round(sideMarginPx(shot.topFrameOffsetPixels, shot.bottomFrameOffsetPixels));
  const sideChecked = shot.camera.localOffset[0] === 0;
  return {
    topPx: null,
    bottomPx: null,
    leftPx: sideChecked ? side : null,
    rightPx: sideChecked ? side : null,
  };
}
