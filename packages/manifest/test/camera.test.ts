import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CAMERA_FRAMES,
  labelCameraDirection,
  parseCameraDirection,
  parseCameraFrame,
  parseCameraPosition,
} from '../src/index.js';
import { loadContent, makeTempDir, withEntry } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cameraFrame: every frame in every spelling', () => {
  const spellings: [string, string][] = [
    ['fullShot', 'fullShot'],
    ['fullshot', 'fullShot'],
    ['FULLSHOT', 'fullShot'],
    ['FullShot', 'fullShot'],
    ['cowboyShot', 'cowboyShot'],
    ['cowboyshot', 'cowboyShot'],
    ['COWBOYSHOT', 'cowboyShot'],
    ['mediumShot', 'mediumShot'],
    ['mediumshot', 'mediumShot'],
    ['MediumShot', 'mediumShot'],
    ['mediumCloseUp', 'mediumCloseUp'],
    ['mediumcloseup', 'mediumCloseUp'],
    ['mediumCloseup', 'mediumCloseUp'],
    ['mediumCloseUpShot', 'mediumCloseUp'],
    ['mediumcloseupshot', 'mediumCloseUp'],
    ['closeUp', 'closeUp'],
    ['closeup', 'closeUp'],
    ['CloseUp', 'closeUp'],
    ['closeUpShot', 'closeUp'],
    ['closeupshot', 'closeUp'],
  ];
  for (const [written, canonical] of spellings) {
    it(`${written} → ${canonical}, also through a manifest`, async () => {
      expect(parseCameraFrame(written)).toBe(canonical);
      const { plan, findings } = await loadContent(dir, withEntry({ cameraFrame: written }));
      expect(findings).toEqual([]);
      expect(plan?.shots[0]?.camera.frame).toBe(canonical);
    });
  }
  it('covers all five frames', () => {
    expect(new Set(spellings.map(([, c]) => c))).toEqual(new Set(CAMERA_FRAMES));
  });
  it('defaults to fullShot', async () => {
    const { plan } = await loadContent(dir, withEntry({ cameraFrame: undefined }));
    expect(plan?.shots[0]?.camera.frame).toBe('fullShot');
  });
});

describe('cameraPosition: names in any order and case, and vectors', () => {
  const named: [string, [number, number, number], string][] = [
    ['front', [0, 0, 1], 'front'],
    ['Front', [0, 0, 1], 'front'],
    ['forward', [0, 0, 1], 'front'],
    ['back', [0, 0, -1], 'back'],
    ['BACKWARD', [0, 0, -1], 'back'],
    ['left', [-1, 0, 0], 'left'],
    ['LEFT', [-1, 0, 0], 'left'],
    ['right', [1, 0, 0], 'right'],
    ['Right', [1, 0, 0], 'right'],
    ['top', [0, 1, 0], 'top'],
    ['up', [0, 1, 0], 'top'],
    ['bottom', [0, -1, 0], 'bottom'],
    ['down', [0, -1, 0], 'bottom'],
    ['front-left', [-1, 0, 1], 'front-left'],
    ['left-front', [-1, 0, 1], 'front-left'],
    ['Left-Front', [-1, 0, 1], 'front-left'],
    ['front-top', [0, 1, 1], 'front-top'],
    ['front-left-top', [-1, 1, 1], 'front-left-top'],
    ['left-top-front', [-1, 1, 1], 'front-left-top'],
    ['top-left-front', [-1, 1, 1], 'front-left-top'],
    ['bottom-front', [0, -1, 1], 'front-bottom'],
    ['back-right', [1, 0, -1], 'back-right'],
    ['right-back', [1, 0, -1], 'back-right'],
    ['left-back', [-1, 0, -1], 'back-left'],
    ['backward-up-right', [1, 1, -1], 'back-right-top'],
    ['forward-down', [0, -1, 1], 'front-bottom'],
    [' front - left ', [-1, 0, 1], 'front-left'],
  ];
  for (const [written, position, label] of named) {
    it(`${JSON.stringify(written)} → ${JSON.stringify(position)} labelled ${label}`, async () => {
      expect(parseCameraPosition(written)).toEqual(position);
      const { plan, findings } = await loadContent(dir, withEntry({ cameraPosition: written }));
      expect(findings).toEqual([]);
      expect(plan?.shots[0]?.camera.position).toEqual(position);
      expect(plan?.shots[0]?.camera.label).toBe(label);
    });
  }

  const vectors: [number, number, number][] = [
    [-0.5, -0.2, 1],
    [0.5, 1, -1],
    [0, 0, 1],
    [0, 1, 0],
    [0, -1, 0],
    [-1, 0, 0],
  ];
  for (const vector of vectors) {
    it(`vector ${JSON.stringify(vector)} is kept as written (no y-halving here), labelled custom`, async () => {
      const { plan } = await loadContent(dir, withEntry({ cameraPosition: vector }));
      expect(plan?.shots[0]?.camera.position).toEqual(vector);
      expect(plan?.shots[0]?.camera.label).toBe('custom');
    });
  }

  it('defaults to front', async () => {
    const { plan } = await loadContent(dir, withEntry({ cameraPosition: undefined }));
    expect(plan?.shots[0]?.camera).toMatchObject({ position: [0, 0, 1], label: 'front' });
  });

  it('a repeated name counts once, as in CharacterStudio', () => {
    expect(parseCameraDirection('front-front-left')).toEqual({ position: [-1, 0, 1], label: 'front-left' });
  });

  it('labels only unit combinations', () => {
    expect(labelCameraDirection([1, 1, -1])).toBe('back-right-top');
    expect(labelCameraDirection([0.5, 0, 1])).toBe('custom');
    expect(labelCameraDirection([0, 0, 0])).toBe('custom');
  });

  it('rejects each bad form with a reason', () => {
    expect(parseCameraPosition('front-rigth')).toMatch(
      /unknown camera direction "rigth".*did you mean "front-right"\?$/,
    );
    expect(parseCameraPosition('top-bottom')).toMatch(/^"top" and "bottom" point opposite ways/);
    expect(parseCameraPosition([1, 2, Number.NaN])).toMatch(/^must be 3 numbers/);
    expect(parseCameraPosition([0, 0, 0])).toMatch(/^\[0, 0, 0\] has no direction/);
    expect(parseCameraPosition(null)).toMatch(/got null$/);
  });
});
