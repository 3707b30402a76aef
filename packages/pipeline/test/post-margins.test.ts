import { type Manifest, resolveManifest } from '@vrm-lora/manifest';
import { describe, expect, it } from 'vitest';
import { expectedMargins, postExpectation } from '../src/post-margins.js';

// The post stage's margin policy: which edges of the final image are checked, from the shot and the framing
// the renderer reports.

function shotOf(entry: Record<string, unknown>) {
  const manifest = {
    width: 400,
    height: 600,
    topFrameOffsetPixels: 20,
    bottomFrameOffsetPixels: 31,
    dataCollection: [{ animationPath: 'builtin:t-pose', description: 'x', ...entry }],
  } as unknown as Manifest;
  return resolveManifest(manifest, { manifestFile: '/m/manifest.json' }).shots[0]!;
}
const inside = { left: 10, top: 20, right: 389, bottom: 568 };
const rendered = (mode: 'height' | 'width' | 'cut', bounds = inside) => ({
  framing: { mode },
  bounds,
  width: 400,
  height: 600,
});

describe('post margins', () => {
  it('a fullShot checks top and bottom; a partial shot only the top (the cut-edge rule)', () => {
    expect(postExpectation(shotOf({ cameraFrame: 'fullShot' }))).toEqual({ topPx: 20, bottomPx: 31 });
    expect(postExpectation(shotOf({ cameraFrame: 'cowboyShot' }))).toEqual({ topPx: 20, bottomPx: null });
  });
  it('a vertical or depth camera offset checks nothing; a sideways one keeps the rows', () => {
    expect(postExpectation(shotOf({ cameraLocalOffset: [0, 0.1, 0] }))).toEqual({
      topPx: null,
      bottomPx: null,
    });
    expect(postExpectation(shotOf({ cameraLocalOffset: [0, 0, -0.2] }))).toEqual({
      topPx: null,
      bottomPx: null,
    });
    expect(postExpectation(shotOf({ cameraLocalOffset: [0.3, 0, 0] }))).toEqual({ topPx: 20, bottomPx: 31 });
  });
  it('width framing checks the sides at round((top + bottom) / 2), not the rows', () => {
    expect(expectedMargins(shotOf({}), rendered('width'))).toEqual({
      topPx: null,
      bottomPx: null,
      leftPx: 26,
      rightPx: 26,
    });
    expect(expectedMargins(shotOf({ cameraLocalOffset: [0.3, 0, 0] }), rendered('width'))).toMatchObject({
      leftPx: null,
      rightPx: null,
    });
  });
  it('height and cut framing check what the key expects', () => {
    expect(expectedMargins(shotOf({}), rendered('height'))).toEqual({ topPx: 20, bottomPx: 31 });
    expect(expectedMargins(shotOf({ cameraFrame: 'closeUp' }), rendered('cut'))).toEqual({
      topPx: 20,
      bottomPx: null,
    });
  });
  it('an offset that pushed the subject past an edge checks nothing; a cut shot may touch the bottom', () => {
    const offset = { cameraLocalOffset: [0.3, 0, 0] };
    expect(expectedMargins(shotOf(offset), rendered('height', { ...inside, left: 0 }))).toBeUndefined();
    expect(expectedMargins(shotOf(offset), rendered('height', { ...inside, bottom: 599 }))).toBeUndefined();
    const cut = shotOf({ ...offset, cameraFrame: 'mediumShot' });
    expect(expectedMargins(cut, rendered('cut', { ...inside, bottom: 599 }))).toEqual({
      topPx: 20,
      bottomPx: null,
    });
    // Without an offset, touching an edge is the renderer's failure to report, not a reason to skip the check.
    expect(expectedMargins(shotOf({}), rendered('height', { ...inside, left: 0 }))).toEqual({
      topPx: 20,
      bottomPx: 31,
    });
  });
});
