import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BROWSER_ENV_VAR,
  DEFAULT_RENDER_PARAMETERS,
  findBrowser,
  RenderError,
  validateRequest,
} from '../src/index.js';
import { makePose } from './support/render-test-kit.js';

describe('findBrowser', () => {
  test('nothing found: the error says what to install and what was tried', () => {
    let error: unknown;
    try {
      findBrowser({ env: {}, systemPaths: ['/nonexistent/chromium'], usePlaywrightBrowser: false });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).code).toBe('browser-not-found');
    expect((error as RenderError).message).toBe(
      'no Chromium or Chrome found (tried: VRM_LORA_CHROMIUM (not set), /nonexistent/chromium). ' +
        'Install one — `apt-get install chromium` on Debian/Ubuntu, or `npx playwright install chromium` — ' +
        'or set VRM_LORA_CHROMIUM=/path/to/chromium.',
    );
  });

  test('a missing env path or option path is named in the error', () => {
    expect(() => findBrowser({ env: { [BROWSER_ENV_VAR]: '/nope/chrome' } })).toThrow(
      'VRM_LORA_CHROMIUM=/nope/chrome does not exist; set it to the path of a Chromium or Chrome binary, or unset it',
    );
    expect(() => findBrowser({ executablePath: '/nope/chrome' })).toThrow(
      'browser executable /nope/chrome (from the executablePath option / --chromium) does not exist',
    );
  });

  test('order: option, then env, then system paths', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-browser-'));
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    fs.writeFileSync(a, '');
    fs.writeFileSync(b, '');
    try {
      expect(findBrowser({ executablePath: a, env: { [BROWSER_ENV_VAR]: b } })).toEqual({
        executablePath: a,
        source: 'option',
      });
      expect(findBrowser({ env: { [BROWSER_ENV_VAR]: b }, systemPaths: [a] })).toEqual({
        executablePath: b,
        source: 'env',
      });
      expect(findBrowser({ env: {}, systemPaths: ['/nope', a], usePlaywrightBrowser: false })).toEqual({
        executablePath: a,
        source: 'system',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validateRequest', () => {
  const base = {
    avatar: { key: 'k', bytes: new Uint8Array(64) },
    pose: makePose(),
    expression: null,
    lookAtCamera: false,
    camera: {
      position: [0.5, 1, 2] as [number, number, number],
      frame: 'fullShot' as const,
      localOffset: [0, 0, 0] as [number, number, number],
    },
    width: 512,
    height: 512,
    topFrameOffsetPixels: 10,
    bottomFrameOffsetPixels: 20,
  };

  test('halves y of the CharacterStudio direction', () => {
    expect(validateRequest(base, DEFAULT_RENDER_PARAMETERS).cameraDirection).toEqual([0.5, 0.5, 2]);
  });

  test('names every problem at once', () => {
    expect(() =>
      validateRequest(
        {
          ...base,
          width: 0,
          topFrameOffsetPixels: 400,
          bottomFrameOffsetPixels: 200,
          camera: { ...base.camera, frame: 'wide' as never },
        },
        DEFAULT_RENDER_PARAMETERS,
      ),
    ).toThrow(
      'invalid shot request: width 0 must be an integer 8–8192; topFrameOffsetPixels + bottomFrameOffsetPixels (600) leaves no room in height 512; ' +
        'camera.frame "wide" must be one of fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp',
    );
  });

  test('checks the manifest’s rules under the renderer’s limits: sides from 8, eight rows between the margins', () => {
    // A manifest accepts width 4 and margins leaving one row; the renderer draws neither.
    expect(() =>
      validateRequest(
        { ...base, width: 4, height: 64, topFrameOffsetPixels: 30, bottomFrameOffsetPixels: 30 },
        DEFAULT_RENDER_PARAMETERS,
      ),
    ).toThrow(
      'invalid shot request: width 4 must be an integer 8–8192; topFrameOffsetPixels + bottomFrameOffsetPixels (60) leaves no room in height 64',
    );
    expect(() =>
      validateRequest(
        { ...base, height: 64, topFrameOffsetPixels: 28, bottomFrameOffsetPixels: 28 },
        DEFAULT_RENDER_PARAMETERS,
      ),
    ).not.toThrow();
    expect(() =>
      validateRequest(
        { ...base, camera: { ...base.camera, position: [0, 0, 0] } },
        DEFAULT_RENDER_PARAMETERS,
      ),
    ).toThrow('cameraPosition [0, 0, 0] has no direction');
  });
});
