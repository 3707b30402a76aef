import { describe, expect, it } from 'vitest';
import {
  cameraDirectionProblem,
  isCameraFrame,
  isFrameOffset,
  isImageSide,
  MANIFEST_SHOT_LIMITS,
  MAX_IMAGE_SIDE_PIXELS,
  offsetsLeaveRoom,
  RENDERER_SHOT_LIMITS,
  shotSizeProblems,
} from '../src/formats.js';

const size = { width: 512, height: 512, topFrameOffsetPixels: 64, bottomFrameOffsetPixels: 64 };

describe('shot rules (one home for the manifest and the renderer)', () => {
  it('an image side is a whole number from the minimum to 8192', () => {
    expect(MAX_IMAGE_SIDE_PIXELS).toBe(8192);
    expect([1, 8, 8192].map((v) => isImageSide(v))).toEqual([true, true, true]);
    expect([0, 8193, 511.5, Number.NaN].map((v) => isImageSide(v))).toEqual([false, false, false, false]);
    expect(isImageSide(7, RENDERER_SHOT_LIMITS.minSidePixels)).toBe(false);
    expect(isImageSide(8, RENDERER_SHOT_LIMITS.minSidePixels)).toBe(true);
  });

  it('a frame offset is a whole number of 0 or more', () => {
    expect([0, 64].map(isFrameOffset)).toEqual([true, true]);
    expect([-1, 1.5, Number.POSITIVE_INFINITY].map(isFrameOffset)).toEqual([false, false, false]);
  });

  it('the margins leave one row for a manifest, eight for the renderer', () => {
    expect(offsetsLeaveRoom(255, 256, 512)).toBe(true);
    expect(offsetsLeaveRoom(256, 256, 512)).toBe(false);
    expect(offsetsLeaveRoom(250, 254, 512, RENDERER_SHOT_LIMITS.minSubjectRows)).toBe(true);
    expect(offsetsLeaveRoom(250, 255, 512, RENDERER_SHOT_LIMITS.minSubjectRows)).toBe(false);
  });

  it('camera frames and directions', () => {
    expect(isCameraFrame('mediumCloseUp')).toBe(true);
    expect(isCameraFrame('mediumCloseUpShot')).toBe(false); // a spelling the manifest's parser maps, not a frame
    expect(cameraDirectionProblem([0, 0, 1])).toBeNull();
    expect(cameraDirectionProblem([0, 0, 0])).toBe('zero');
    expect(cameraDirectionProblem([0, Number.NaN, 1])).toBe('not-finite');
    expect(cameraDirectionProblem([0, 1])).toBe('not-finite');
  });

  it('lists every broken size rule under the limits given', () => {
    expect(shotSizeProblems(size, MANIFEST_SHOT_LIMITS)).toEqual([]);
    expect(shotSizeProblems({ ...size, width: 4 }, MANIFEST_SHOT_LIMITS)).toEqual([]);
    expect(
      shotSizeProblems(
        { width: 4, height: 512, topFrameOffsetPixels: -1, bottomFrameOffsetPixels: 600 },
        RENDERER_SHOT_LIMITS,
      ),
    ).toEqual([
      { rule: 'side', field: 'width', value: 4, minSidePixels: 8 },
      { rule: 'offset', field: 'topFrameOffsetPixels', value: -1 },
      { rule: 'room', topFrameOffsetPixels: -1, bottomFrameOffsetPixels: 600, height: 512 },
    ]);
    // No room check without three numbers (their own problems say what is wrong).
    expect(
      shotSizeProblems({ ...size, height: Number.NaN }, RENDERER_SHOT_LIMITS).map((p) => p.rule),
    ).toEqual(['side']);
  });
});
