import { type Manifest, resolveManifest } from '@vrm-lora/manifest';
import { sha256 } from '@vrm-lora/manifest/hash';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf } from '../src/cache-store.js';
import {
  bakeKeyInputs,
  captionKeyInputs,
  postKeyInputs,
  type RenderRuntime,
  renderKeyInputs,
} from '../src/stages.js';

// Golden tests: what each stage's cache key is made of, and the key itself. A change here re-renders (or
// re-bakes, re-captions) every user's dataset: when a snapshot changes, say why in the commit.

const manifest = {
  width: 512,
  height: 768,
  topFrameOffsetPixels: 24,
  bottomFrameOffsetPixels: 40,
  backgroundGrayscale: 0.5,
  dataCollection: [
    {
      animationPath: 'Walking.fbx',
      animationFrame: 8,
      expression: 'happy',
      lookAtCamera: true,
      cameraPosition: [-0.5, -0.2, 1],
      cameraFrame: 'fullShot',
      description: 'a person walking',
    },
    {
      animationPath: 'builtin:kneeling',
      animationTime: 0.5,
      cameraPosition: 'front-left-top',
      cameraFrame: 'mediumShot',
      cameraLocalOffset: [0.1, 0, 0],
      background: 'transparent',
      description: 'a person kneeling',
    },
  ],
} as unknown as Manifest;
const plan = resolveManifest(manifest, { manifestFile: '/project/manifest.json' });
const [walking, kneeling] = plan.shots as [(typeof plan.shots)[0], (typeof plan.shots)[0]];

const runtime: RenderRuntime = {
  rendererVersion: '4',
  renderParameters: '{"fovDegrees":30}',
  pageBundleSha256: sha256('page bundle'),
  threeVersion: '0.180.0',
  threeVrmVersion: '3.4.2',
  chromiumVersion: 'Chromium 140.0.0.0',
  glBackend: 'swiftshader',
  glDevice: '',
  glBackendReason: 'auto: no GPU device (/dev/dri/renderD*, /dev/nvidia0)',
};

describe('bake key', () => {
  it('a file clip: sample, wrap, take and the file bytes; never its path', () => {
    const inputs = bakeKeyInputs(walking, sha256('fbx bytes'));
    expect(inputs).toMatchInlineSnapshot(`
      {
        "inputs": {
          "animation": "e750dddccdfc5424b26fe0e29c90a1fb8a23cc4578096c6ede7f937b7c5aedd5",
        },
        "params": {
          "animation": "file",
          "sample": {
            "frame": 8,
            "kind": "frame",
          },
          "take": null,
          "wrap": true,
        },
        "runtime": {},
        "stage": "bake",
        "stageVersion": "1.0.0",
        "upstream": {},
      }
    `);
    expect(cacheKeyOf(inputs)).toMatchInlineSnapshot(
      `"ee0a31508bc9aa3c9be0f21eb379d0557f0a40db1ba2bf1b089d006757f50011"`,
    );
  });
  it('a built-in pose: its name (the pose data is in the baker version)', () => {
    const inputs = bakeKeyInputs(kneeling, sha256('builtin:kneeling'));
    expect(inputs.params).toMatchInlineSnapshot(`
      {
        "animation": "builtin:kneeling",
        "sample": {
          "kind": "time",
          "seconds": 0.5,
        },
        "take": null,
        "wrap": true,
      }
    `);
    expect(cacheKeyOf(inputs)).toMatchInlineSnapshot(
      `"26527c924346d1d64b6e495bcd23d955dba07282acfed8d4aaab6ad29a814ea8"`,
    );
  });
});

describe('render key', () => {
  it('every request parameter, the avatar bytes, the bake key and the runtime facts', () => {
    const inputs = renderKeyInputs(walking, sha256('vrm bytes'), 'b'.repeat(64), runtime, undefined);
    expect(inputs).toMatchInlineSnapshot(`
      {
        "inputs": {
          "avatar": "881152e71e2c3fdca5fb3f3e0d9215f6ec96f267dffd328c5f81f8de5cd10846",
        },
        "params": {
          "bottomFrameOffsetPixels": 40,
          "camera": [
            -0.5,
            -0.2,
            1,
          ],
          "expression": "happy",
          "frame": "fullShot",
          "height": 768,
          "localOffset": [
            0,
            0,
            0,
          ],
          "lookAtCamera": true,
          "strict": false,
          "topFrameOffsetPixels": 24,
          "width": 512,
        },
        "runtime": {
          "chromiumVersion": "Chromium 140.0.0.0",
          "glBackend": "swiftshader",
          "glDevice": "",
          "pageBundleSha256": "8282f4c3237d8420edd06464c1fec1ba39bbd105c8d2c5d41c2cffba00b4de0e",
          "renderParameters": "{"fovDegrees":30}",
          "threeVersion": "0.180.0",
          "threeVrmVersion": "3.4.2",
        },
        "stage": "render",
        "stageVersion": "4",
        "upstream": {
          "bake": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        },
      }
    `);
    expect(cacheKeyOf(inputs)).toMatchInlineSnapshot(
      `"c34fbd5f2534d68a2e0f94d2e9441fb99e6133b1906ca80103d2e024548b903c"`,
    );
  });
  it("a GPU's renderer string is in it, why the backend was chosen is not", () => {
    const key = (r: RenderRuntime) =>
      cacheKeyOf(renderKeyInputs(walking, sha256('vrm bytes'), 'b'.repeat(64), r, undefined));
    expect(key({ ...runtime, glBackendReason: 'requested' })).toBe(key(runtime));
    expect(
      key({ ...runtime, glBackend: 'angle-vulkan', glDevice: 'ANGLE (NVIDIA, Vulkan 1.3 (NVIDIA H100))' }),
    ).not.toBe(key({ ...runtime, glBackend: 'angle-vulkan', glDevice: 'ANGLE (AMD, Vulkan 1.3 (RX 7900))' }));
  });
  it('--strict and a camera offset are in it', () => {
    const inputs = renderKeyInputs(kneeling, sha256('vrm bytes'), 'b'.repeat(64), runtime, true);
    expect(inputs.params).toMatchInlineSnapshot(`
      {
        "bottomFrameOffsetPixels": 40,
        "camera": [
          -1,
          1,
          1,
        ],
        "expression": null,
        "frame": "mediumShot",
        "height": 768,
        "localOffset": [
          0.1,
          0,
          0,
        ],
        "lookAtCamera": false,
        "strict": true,
        "topFrameOffsetPixels": 24,
        "width": 512,
      }
    `);
    expect(cacheKeyOf(inputs)).toMatchInlineSnapshot(
      `"3a5a06dc303aed0da61bed3bea12355f48700b8a01968f5152c5f0a8f40555fe"`,
    );
  });
});

describe('post key', () => {
  it('background, image format and the margins it checks; upstream the render key', () => {
    const inputs = postKeyInputs(plan, walking, 'r'.repeat(64), null);
    expect({ ...inputs, runtime: Object.keys(inputs.runtime) }).toMatchInlineSnapshot(`
      {
        "inputs": {},
        "params": {
          "alphaMask": "none",
          "background": {
            "kind": "color",
            "rgb": [
              128,
              128,
              128,
            ],
          },
          "expected": {
            "bottomPx": 40,
            "topPx": 24,
          },
          "format": "png",
          "quality": 90,
        },
        "runtime": [
          "sharp",
        ],
        "stage": "post",
        "stageVersion": "post/3",
        "upstream": {
          "render": "rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr",
        },
      }
    `);
    expect(inputs.runtime.sharp).toMatch(/^\d+\.\d+\.\d+/);
  });
  it('a partial shot checks no bottom margin; an offset shot still checks the top', () => {
    expect(postKeyInputs(plan, kneeling, 'r'.repeat(64), null).params).toMatchInlineSnapshot(`
      {
        "alphaMask": "none",
        "background": {
          "kind": "transparent",
        },
        "expected": {
          "bottomPx": null,
          "topPx": 24,
        },
        "format": "png",
        "quality": 90,
      }
    `);
  });
});

describe('caption key', () => {
  it('the caption text itself, nothing else', () => {
    const inputs = captionKeyInputs(plan, walking, 'anata');
    expect(inputs).toMatchInlineSnapshot(`
      {
        "inputs": {},
        "params": {
          "text": "anata a person walking",
        },
        "runtime": {},
        "stage": "caption",
        "stageVersion": "captioner/1",
        "upstream": {},
      }
    `);
    expect(cacheKeyOf(inputs)).toMatchInlineSnapshot(
      `"0f4b1f479cbaf603d4a2b362379c8f062aec9a425d9132ed1d7171bb3c44c209"`,
    );
    expect(captionKeyInputs(plan, kneeling, 'anata').params).toMatchInlineSnapshot(`
      {
        "text": "anata a person kneeling",
      }
    `);
  });
});
