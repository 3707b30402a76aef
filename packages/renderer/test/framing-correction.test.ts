import { describe, expect, it } from 'vitest';
import { makeFitTargets } from '../src/page/fit-camera.js';
import { correctTargets, framingError } from '../src/page/framing-correction.js';

const want = { top: 10, bottom: 89, left: 10, right: 89 };

describe('framingError', () => {
  it('height mode: the worse of the top and bottom misses', () => {
    expect(framingError({ left: 30, top: 12, right: 60, bottom: 86 }, want, 'height', 100)).toEqual({
      worstPx: 3,
    });
  });

  it('cut mode: the top only (the bottom edge is the cut)', () => {
    expect(framingError({ left: 30, top: 8, right: 60, bottom: 99 }, want, 'cut', 100)).toEqual({
      worstPx: 2,
    });
  });

  it('width mode: the sides and the vertical centre against the image centre', () => {
    // centre (20 + 60) / 2 = 40, image centre (100 - 1) / 2 = 49.5
    expect(framingError({ left: 11, top: 20, right: 88, bottom: 60 }, want, 'width', 100)).toEqual({
      worstPx: 9.5,
    });
  });
});

describe('correctTargets', () => {
  const base = makeFitTargets(100, 100, 10, 10, 10);

  it('moves each fitted target by wanted − measured and leaves the others', () => {
    const height = correctTargets(base, { left: 30, top: 12, right: 60, bottom: 86 }, want, 'height', 100);
    expect(height).toEqual({ ...base, topY: base.topY - 2, bottomY: base.bottomY + 3 });
    const cut = correctTargets(base, { left: 30, top: 12, right: 60, bottom: 99 }, want, 'cut', 100);
    expect(cut).toEqual({ ...base, topY: base.topY - 2 });
  });

  it('width mode: sides by their misses, the centre from height / 2 by the vertical miss', () => {
    const next = correctTargets(base, { left: 11, top: 20, right: 88, bottom: 60 }, want, 'width', 100);
    expect(next).toEqual({ ...base, leftX: base.leftX - 1, rightX: base.rightX + 1, centreY: 50 + 9.5 });
  });

  it('returns a new object (the caller keeps the targets it measured against)', () => {
    const next = correctTargets(base, { left: 10, top: 10, right: 89, bottom: 89 }, want, 'height', 100);
    expect(next).not.toBe(base);
    expect(next).toEqual(base);
  });
});
