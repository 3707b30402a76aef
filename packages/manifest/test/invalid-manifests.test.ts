import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { findingLines, makeTempDir, withEntry, withTop } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const lines = (content: unknown) => findingLines(dir, content);

describe('invalid manifests: each finding names the path, the bad value, what is allowed', () => {
  it('1 cameraFrame typo gets a suggestion', async () => {
    expect(await lines(withEntry({ cameraFrame: 'fullshoot' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraFrame: unknown camera frame "fullshoot"; allowed (any case): fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp; did you mean "fullShot"?",
      ]
    `);
  });
  it('2 cameraFrame with separators', async () => {
    expect(await lines(withEntry({ cameraFrame: 'medium-close-up' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraFrame: unknown camera frame "medium-close-up"; allowed (any case): fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp; did you mean "mediumCloseUp"?",
      ]
    `);
  });
  it('3 cameraFrame nonsense', async () => {
    expect(await lines(withEntry({ cameraFrame: 'portrait' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraFrame: unknown camera frame "portrait"; allowed (any case): fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp",
      ]
    `);
  });
  it('4 cameraFrame not a string', async () => {
    expect(await lines(withEntry({ cameraFrame: 3 }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraFrame: must be a string, allowed (any case): fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp",
      ]
    `);
  });
  it('5 cameraPosition typo in one name', async () => {
    expect(await lines(withEntry({ cameraPosition: 'frnot-left' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraPosition: unknown camera direction "frnot" in "frnot-left"; use names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward) or 3 numbers [x, y, z]; did you mean "front-left"?",
      ]
    `);
  });
  it('6 cameraPosition opposite names', async () => {
    expect(await lines(withEntry({ cameraPosition: 'left-right' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraPosition: "left" and "right" point opposite ways in "left-right"; keep one of them",
      ]
    `);
  });
  it('7 cameraPosition empty name', async () => {
    expect(await lines(withEntry({ cameraPosition: 'front--left' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraPosition: "front--left" has an empty name (a "-" too many?); use names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward) or 3 numbers [x, y, z]",
      ]
    `);
  });
  it('8 cameraPosition two numbers', async () => {
    expect(await lines(withEntry({ cameraPosition: [1, 0] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraPosition: must be 3 numbers [x, y, z] or names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward), got [1,0]",
      ]
    `);
  });
  it('9 cameraPosition zero vector', async () => {
    expect(await lines(withEntry({ cameraPosition: [0, 0, 0] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraPosition: [0, 0, 0] has no direction; give the direction from the avatar to the camera, e.g. [0, 0, 1] or "front"",
      ]
    `);
  });
  it('10 cameraPosition object', async () => {
    expect(await lines(withEntry({ cameraPosition: { x: 1 } }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraPosition: must be 3 numbers [x, y, z] or names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward), got an object",
      ]
    `);
  });
  it('11 unknown entry key with did-you-mean', async () => {
    expect(await lines(withEntry({ cameraFrme: 'fullShot' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraFrme: unknown key "cameraFrme"; did you mean "cameraFrame"?",
      ]
    `);
  });
  it('12 entry key in the wrong case', async () => {
    expect(await lines(withEntry({ CameraFrame: 'fullShot' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].CameraFrame: unknown key "CameraFrame"; did you mean "cameraFrame"? (keys are case-sensitive)",
      ]
    `);
  });
  it('13 top-level key that belongs in an entry', async () => {
    expect(await lines(withTop({ cameraFrame: 'fullShot' }))).toMatchInlineSnapshot(`
      [
        "error cameraFrame: unknown key "cameraFrame"; it belongs inside each "dataCollection" entry",
      ]
    `);
  });
  it('14 entry key that belongs at the top', async () => {
    expect(await lines(withEntry({ trigger: 'ohwx' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].trigger: unknown key "trigger"; it belongs at the top level of the manifest",
      ]
    `);
  });
  it('15 unknown top-level key with did-you-mean', async () => {
    expect(await lines(withTop({ backgroundGreyscale: 0.5 }))).toMatchInlineSnapshot(`
      [
        "error backgroundGreyscale: unknown key "backgroundGreyscale"; did you mean "backgroundGrayscale"?",
      ]
    `);
  });
  it('16 unknown key with nothing close', async () => {
    expect(await lines(withTop({ zzz: 1 }))).toMatchInlineSnapshot(`
      [
        "error zzz: unknown key "zzz"",
      ]
    `);
  });
  it('17 animationFrame negative', async () => {
    expect(await lines(withEntry({ animationFrame: -1 }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationFrame: must be at least 0, got -1",
      ]
    `);
  });
  it('18 animationFrame fractional', async () => {
    expect(
      await lines(withEntry({ animationPath: 'Walking.fbx', animationFrame: 8.5 })),
    ).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationFrame: must be a whole number, got 8.5",
      ]
    `);
  });
  it('19 animationFrame as a string', async () => {
    expect(await lines(withEntry({ animationFrame: '8' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationFrame: must be a number, got a string "8"",
      ]
    `);
  });
  it('20 animationFrame and animationTime together', async () => {
    expect(
      await lines(withEntry({ animationPath: 'Walking.fbx', animationFrame: 8, animationTime: 0.5 })),
    ).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationTime: give either animationFrame (8) or animationTime (0.5), not both",
      ]
    `);
  });
  it('21 animationTime negative', async () => {
    expect(await lines(withEntry({ animationFrame: undefined, animationTime: -0.5 }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationTime: must be at least 0, got -0.5",
      ]
    `);
  });
  it('22 animationPath missing', async () => {
    expect(await lines(withEntry({ animationPath: undefined }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationPath: is required: the animation file, e.g. "Walking.fbx", or "builtin:<pose>"",
      ]
    `);
  });
  it('23 animationPath unsupported file type', async () => {
    expect(await lines(withEntry({ animationPath: 'Walking.bvh' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationPath: unsupported animation file "Walking.bvh"; use a Mixamo .fbx, a .vrma, or builtin:<pose>",
      ]
    `);
  });
  it('24 animationPath unknown built-in pose', async () => {
    expect(await lines(withEntry({ animationPath: 'builtin:wavng' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationPath: unknown built-in pose "wavng"; built-in poses are t-pose, a-pose, standing-relaxed, arms-crossed, waving, hands-on-hips, sitting-floor, kneeling, cheering; did you mean "builtin:waving"?",
      ]
    `);
  });
  it('25 animationPath URL', async () => {
    expect(
      await lines(withEntry({ animationPath: 'https://example.com/Walking.fbx' })),
    ).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationPath: URLs are not supported ("https://example.com/Walking.fbx"); download the file into the animations folder and give its name",
      ]
    `);
  });
  it('26 description missing', async () => {
    expect(await lines(withEntry({ description: undefined }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].description: is required: the words for this image’s caption, e.g. "a person waving full shot"",
      ]
    `);
  });
  it('27 lookAtCamera as a string', async () => {
    expect(await lines(withEntry({ lookAtCamera: 'yes' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].lookAtCamera: must be true or false, got a string "yes"",
      ]
    `);
  });
  it('28 expression as a number', async () => {
    expect(await lines(withEntry({ expression: 1 }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].expression: must be a string, got a number 1",
      ]
    `);
  });
  it('29 cameraLocalOffset wrong length', async () => {
    expect(await lines(withEntry({ cameraLocalOffset: [0.5, 0] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].cameraLocalOffset: must be 3 numbers [x, y, z] in metres (camera axes: x right, y up, z backward), got [0.5,0]",
      ]
    `);
  });
  it('30 backgroundGrayscale above 1', async () => {
    expect(await lines(withTop({ backgroundGrayscale: 1.5 }))).toMatchInlineSnapshot(`
      [
        "error backgroundGrayscale: must be at most 1, got 1.5",
      ]
    `);
  });
  it('31 backgroundGrayscale as 0..255', async () => {
    expect(await lines(withTop({ backgroundGrayscale: 128 }))).toMatchInlineSnapshot(`
      [
        "error backgroundGrayscale: must be at most 1, got 128; it is a fraction 0..1 (for a 0..255 colour use "background": [r, g, b])",
      ]
    `);
  });
  it('32 width zero', async () => {
    expect(await lines(withTop({ width: 0 }))).toMatchInlineSnapshot(`
      [
        "error width: must be at least 1, got 0",
      ]
    `);
  });
  it('33 height beyond the canvas bound', async () => {
    expect(await lines(withTop({ height: 10000 }))).toMatchInlineSnapshot(`
      [
        "error height: must be at most 8192 pixels (the largest canvas every WebGL backend renders), got 10000",
      ]
    `);
  });
  it('34 width as a string', async () => {
    expect(await lines(withTop({ width: '1024px' }))).toMatchInlineSnapshot(`
      [
        "error width: must be a number, got a string "1024px"",
      ]
    `);
  });
  it('35 frame offsets leave no room', async () => {
    expect(
      await lines(withTop({ height: 96, topFrameOffsetPixels: 60, bottomFrameOffsetPixels: 40 })),
    ).toMatchInlineSnapshot(`
      [
        "error topFrameOffsetPixels: topFrameOffsetPixels (60) + bottomFrameOffsetPixels (40) must be smaller than height (96), or nothing is left for the avatar",
      ]
    `);
  });
  it('36 per-entry height too small for the inherited offsets', async () => {
    expect(await lines(withEntry({ height: 128 }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].height: topFrameOffsetPixels (64) + bottomFrameOffsetPixels (64) must be smaller than height (128), or nothing is left for the avatar",
      ]
    `);
  });
  it('37 negative top offset', async () => {
    expect(await lines(withTop({ topFrameOffsetPixels: -4 }))).toMatchInlineSnapshot(`
      [
        "error topFrameOffsetPixels: must be at least 0, got -4",
      ]
    `);
  });
  it('38 dataCollection missing', async () => {
    expect(await lines(withTop({ dataCollection: undefined }))).toMatchInlineSnapshot(`
      [
        "error dataCollection: is required: an array of entries, one per image",
      ]
    `);
  });
  it('39 dataCollection empty', async () => {
    expect(await lines(withTop({ dataCollection: [] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection: is empty; add at least one entry",
      ]
    `);
  });
  it('40 dataCollection an object', async () => {
    expect(await lines(withTop({ dataCollection: { animationPath: 'x.fbx' } }))).toMatchInlineSnapshot(`
      [
        "error dataCollection: must be an array of entries, got an object",
      ]
    `);
  });
  it('41 an entry that is a string', async () => {
    expect(await lines(withTop({ dataCollection: ['Walking.fbx'] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0]: each entry must be an object, got a string",
      ]
    `);
  });
  it('42 background colour name', async () => {
    expect(await lines(withTop({ background: 'black' }))).toMatchInlineSnapshot(`
      [
        "error background: must be "transparent", a colour "#rrggbb" or "#rgb", or [r, g, b] with whole numbers 0..255; got "black"",
      ]
    `);
  });
  it('43 background and backgroundGrayscale together', async () => {
    expect(await lines(withTop({ background: '#000000', backgroundGrayscale: 0 }))).toMatchInlineSnapshot(`
      [
        "error background: give either "background" or "backgroundGrayscale", not both",
      ]
    `);
  });
  it('43b background and backgroundGrayscale together in one entry', async () => {
    expect(await lines(withEntry({ background: '#000000', backgroundGrayscale: 0 }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].background: give either "background" or "backgroundGrayscale", not both",
      ]
    `);
  });
  it('44 background component out of range', async () => {
    expect(await lines(withEntry({ background: [0, 300, 0] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].background: must be "transparent", a colour "#rrggbb" or "#rgb", or [r, g, b] with whole numbers 0..255; got [0,300,0]",
      ]
    `);
  });
  it('45 layout typo', async () => {
    expect(await lines(withTop({ layout: 'koyha' }))).toMatchInlineSnapshot(`
      [
        "error layout: must be one of "kohya", "flat", "jsonl", got "koyha"; did you mean "kohya"?",
      ]
    `);
  });
  it('46 caption template unknown variable', async () => {
    expect(await lines(withTop({ caption: { template: '{trigger} {desciption}' } }))).toMatchInlineSnapshot(`
      [
        "error caption.template: unknown variable {desciption}; allowed: {trigger}, {class}, {description}, {background}, {expression}, {frame}, {view}, {animation}, {number}; did you mean {description}?",
      ]
    `);
  });
  it('47 caption unknown key', async () => {
    expect(await lines(withTop({ caption: { extention: 'txt' } }))).toMatchInlineSnapshot(`
      [
        "error caption.extention: unknown key "extention"; did you mean "extension"?",
      ]
    `);
  });
  it('48 image quality out of range', async () => {
    expect(await lines(withTop({ image: { format: 'jpeg', quality: 0 } }))).toMatchInlineSnapshot(`
      [
        "error image.quality: must be at least 1, got 0",
      ]
    `);
  });
  it('49 repeats zero', async () => {
    expect(await lines(withTop({ repeats: 0 }))).toMatchInlineSnapshot(`
      [
        "error repeats: must be at least 1, got 0",
      ]
    `);
  });
  it('50 trigger empty', async () => {
    expect(await lines(withTop({ trigger: ' ' }))).toMatchInlineSnapshot(`
      [
        "error trigger: must be a word or phrase on one line, not empty, got " "",
      ]
    `);
  });
  it('51 duplicate user ids', async () => {
    const entry = withEntry({ id: 'walk' }).dataCollection as unknown[];
    expect(await lines(withTop({ dataCollection: [...entry, ...entry] }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[1].id: id "walk" is already used by dataCollection[0]",
      ]
    `);
  });
  it('52 bad user id', async () => {
    expect(await lines(withEntry({ id: '../x' }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].id: must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, got "../x"",
      ]
    `);
  });
  it('53 assetsLocation URL', async () => {
    expect(await lines(withTop({ assetsLocation: 'https://example.com/assets/' }))).toMatchInlineSnapshot(`
      [
        "error assetsLocation: URLs are not supported ("https://example.com/assets/"); download the files and give a folder relative to the manifest",
      ]
    `);
  });
  it('54 avatar and avatars together', async () => {
    expect(await lines(withTop({ avatar: 'a.vrm', avatars: ['b.vrm'] }))).toMatchInlineSnapshot(`
      [
        "error avatars: give either "avatar" (one file) or "avatars" (a list), not both",
      ]
    `);
  });
  it('55 the top level is an array', async () => {
    expect(await lines([withTop({})])).toMatchInlineSnapshot(`
      [
        "error : a manifest must be a JSON object with a "dataCollection" array, got an array",
      ]
    `);
  });
  it('56 wrapAnimations as a string', async () => {
    expect(await lines(withTop({ wrapAnimations: 'true' }))).toMatchInlineSnapshot(`
      [
        "error wrapAnimations: must be true or false, got a string "true"",
      ]
    `);
  });
  it('57 built-in pose sampled past its single frame with wrapping off', async () => {
    expect(await lines(withEntry({ animationFrame: 8, wrapAnimation: false }))).toMatchInlineSnapshot(`
      [
        "error dataCollection[0].animationFrame: built-in poses are a single frame, so animationFrame 8 is past its end; leave it out or use 0",
      ]
    `);
  });
  it('58 built-in pose past its frame is fine when wrapping', async () => {
    expect(await lines(withEntry({ animationFrame: 8, wrapAnimation: true }))).toEqual([]);
    // Wrapping is the default, as in CharacterStudio (the bake warns).
    expect(await lines(withEntry({ animationFrame: 8 }))).toEqual([]);
    expect(
      await lines(
        withTop({
          wrapAnimations: true,
          dataCollection: [withEntry({ animationTime: 2, animationFrame: undefined }).dataCollection].flat(),
        }),
      ),
    ).toEqual([]);
  });
});

describe('warnings: reported, the manifest stays valid', () => {
  it('a size that is not a multiple of 8', async () => {
    expect(
      await lines(withTop({ width: 1020, dataCollection: withEntry({ height: 770 }).dataCollection })),
    ).toMatchInlineSnapshot(`
      [
        "warning width: 1020 is not a multiple of 8: Stable Diffusion trainers crop or resize such images (use 1016 or 1024)",
        "warning dataCollection[0].height: 770 is not a multiple of 8: Stable Diffusion trainers crop or resize such images (use 768 or 776)",
      ]
    `);
  });
  it('an entry identical to an earlier one', async () => {
    const entry = withEntry({}).dataCollection as unknown[];
    const other = withEntry({ cameraPosition: 'left' }).dataCollection as unknown[];
    expect(await lines(withTop({ dataCollection: [...entry, ...other, ...entry] }))).toMatchInlineSnapshot(`
      [
        "warning dataCollection[2]: is identical to dataCollection[0]: the dataset gets the same image twice",
      ]
    `);
  });
});

describe('every problem in one pass', () => {
  it('reports problems of several entries and the top level together, errors before warnings', async () => {
    const manifest = withTop({
      widht: 512,
      backgroundGrayscale: 2,
      dataCollection: [
        { animationPath: 'Walking.fbx', cameraFrame: 'fullshoot', description: '' },
        { animationPath: 'Walking.fbx', cameraPosition: 'frnot-left', description: 'ok', animationFrame: -2 },
        { animationPath: 'Walking.fbx', description: 'fine' },
        { animationPath: 'Walking.fbx', description: 'x', lookAtCamera: 1, expresion: 'happy' },
      ],
    });
    expect(await lines(manifest)).toMatchInlineSnapshot(`
      [
        "error widht: unknown key "widht"; did you mean "width"?",
        "error backgroundGrayscale: must be at most 1, got 2; it is a fraction 0..1 (for a 0..255 colour use "background": [r, g, b])",
        "error dataCollection[0].cameraFrame: unknown camera frame "fullshoot"; allowed (any case): fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp; did you mean "fullShot"?",
        "error dataCollection[1].animationFrame: must be at least 0, got -2",
        "error dataCollection[1].cameraPosition: unknown camera direction "frnot" in "frnot-left"; use names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward) or 3 numbers [x, y, z]; did you mean "front-left"?",
        "error dataCollection[3].expresion: unknown key "expresion"; did you mean "expression"?",
        "error dataCollection[3].lookAtCamera: must be true or false, got a number 1",
        "warning dataCollection[0].description: is empty: the caption will hold only the trigger word and background",
      ]
    `);
  });

  it('warns (without failing) on an empty description and a template without {trigger}', async () => {
    const result = await lines(
      withTop({
        caption: { template: '{description}' },
        dataCollection: [withEntry({ description: ' ' }).dataCollection].flat(),
      }),
    );
    expect(result).toMatchInlineSnapshot(`
      [
        "warning dataCollection[0].description: is empty: the caption will hold only the trigger word and background",
        "warning caption.template: has no {trigger}: captions will not contain the trigger word, so the LoRA has nothing to key on",
      ]
    `);
  });
});
