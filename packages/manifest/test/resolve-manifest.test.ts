import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TAG_TEMPLATE, resolveAnimationsDir } from '../src/index.js';
import { baseEntry, loadContent, makeTempDir, withEntry, withTop } from './support/manifest-fixtures.js';

const dir = makeTempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('animation folder: CharacterStudio concatenates, so slashes never mean the filesystem root', () => {
  const m = '/data/project';
  const cases: [string | undefined, string | undefined, string][] = [
    ['./lora-assets/', '/animations/', '/data/project/lora-assets/animations'],
    ['./lora-assets', 'animations', '/data/project/lora-assets/animations'],
    ['lora-assets//', '//animations//', '/data/project/lora-assets/animations'],
    ['', '/animations/', '/data/project/animations'],
    [undefined, undefined, '/data/project'],
    ['../shared/', '/fbx', '/data/shared/fbx'],
    ['/abs/assets', '/animations/', '/abs/assets/animations'],
  ];
  for (const [assets, anims, expected] of cases)
    it(`${JSON.stringify(assets)} + ${JSON.stringify(anims)} → ${expected}`, () => {
      expect(resolveAnimationsDir(m, assets, anims)).toBe(path.resolve(expected));
    });

  it('animation files resolve inside it; --animations replaces it (relative to cwd)', async () => {
    const top = { assetsLocation: './lora-assets/', animationsDirectory: '/animations/' };
    const entry = { ...baseEntry(), animationPath: '/Walking.fbx' };
    const { plan, file } = await loadContent(dir, withTop({ ...top, dataCollection: [entry] }));
    expect(plan?.shots[0]?.animation).toEqual({
      kind: 'file',
      path: path.join(path.dirname(file), 'lora-assets', 'animations', 'Walking.fbx'),
      name: '/Walking.fbx',
    });
    const other = await loadContent(dir, withTop({ ...top, dataCollection: [entry] }), {
      animationsDir: 'clips',
      cwd: '/tmp/work',
    });
    expect(other.plan?.animationsDir).toBe(path.resolve('/tmp/work/clips'));
    expect(other.plan?.shots[0]?.animation).toMatchObject({
      path: path.resolve('/tmp/work/clips/Walking.fbx'),
    });
  });

  it('missing files: one finding per clip naming its entries; missing VRM from --vrm and from the manifest', async () => {
    const clips = path.join(dir, 'clips');
    fs.mkdirSync(clips, { recursive: true });
    fs.writeFileSync(path.join(clips, 'Walking.fbx'), '');
    const list = [
      { ...baseEntry(), animationPath: 'Walking.fbx' },
      { ...baseEntry(), animationPath: 'Gone.fbx' },
      { ...baseEntry(), animationPath: 'Gone.fbx', description: 'again' },
    ];
    const manifest = withTop({ avatars: ['a.vrm'], dataCollection: list });
    const fromManifest = await loadContent(dir, manifest, { animationsDir: clips, checkFiles: true });
    expect(fromManifest.findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
      `dataCollection[1].animationPath: animation file not found: ${path.join(clips, 'Gone.fbx')} (looked in the --animations folder); also used by dataCollection[2]`,
      `avatars[0]: VRM file not found: ${path.join(dir, 'a.vrm')}`,
    ]);
    const fromCli = await loadContent(dir, manifest, {
      animationsDir: clips,
      checkFiles: true,
      vrmPaths: ['/no/x.vrm'],
    });
    expect(fromCli.findings[1]).toEqual({
      severity: 'error',
      file: '/no/x.vrm',
      path: '',
      message: 'VRM file not found (given with --vrm)',
    });
  });
});

describe('defaults and overrides', () => {
  it('applies CharacterStudio’s defaults and vrm-lora’s', async () => {
    const { plan } = await loadContent(dir, {
      dataCollection: [{ animationPath: 'builtin:t-pose', description: 'x' }],
    });
    expect(plan).toMatchObject({
      avatars: [],
      avatarsSource: 'none',
      trigger: 'anata',
      classToken: 'person',
      caption: { template: '{trigger} {description} {background}', style: 'sentence', extension: 'txt' },
      repeats: 10,
      layout: 'kohya',
      image: { format: 'png', quality: 90, alphaMask: 'none' },
      wrapAnimations: true,
      trainers: null,
    });
    expect(plan?.caption.variants).toEqual([]);
    expect(plan?.shots[0]).toMatchObject({
      animation: { kind: 'builtin', name: 't-pose' },
      sample: { kind: 'frame', frame: 0 },
      wrap: true,
      expression: null,
      lookAtCamera: false,
      camera: { position: [0, 0, 1], label: 'front', frame: 'fullShot', localOffset: [0, 0, 0] },
      width: 512,
      height: 512,
      topFrameOffsetPixels: 64,
      bottomFrameOffsetPixels: 64,
      background: { kind: 'color', rgb: [255, 255, 255] },
      backgroundDescription: '',
    });
  });

  it('backgroundGrayscale g → sRGB round(255·g); colours and transparent', async () => {
    const bg = async (top: Record<string, unknown>, entry: Record<string, unknown> = {}) =>
      (await loadContent(dir, withTop({ ...top, dataCollection: [{ ...baseEntry(), ...entry }] }))).plan
        ?.shots[0]?.background;
    expect(await bg({ backgroundGrayscale: 0 })).toEqual({ kind: 'color', rgb: [0, 0, 0] });
    expect(await bg({ backgroundGrayscale: 0.5 })).toEqual({ kind: 'color', rgb: [128, 128, 128] });
    expect(await bg({ backgroundGrayscale: 1 })).toEqual({ kind: 'color', rgb: [255, 255, 255] });
    expect(await bg({ background: '#ff8000' })).toEqual({ kind: 'color', rgb: [255, 128, 0] });
    expect(await bg({ background: '#0f8' })).toEqual({ kind: 'color', rgb: [0, 255, 136] });
    expect(await bg({ background: [1, 2, 3] })).toEqual({ kind: 'color', rgb: [1, 2, 3] });
    expect(await bg({ background: 'transparent' })).toEqual({ kind: 'transparent' });
    expect(await bg({ background: 'transparent' }, { backgroundGrayscale: 0.2 })).toEqual({
      kind: 'color',
      rgb: [51, 51, 51],
    });
    expect(await bg({ backgroundGrayscale: 0 }, { background: 'transparent' })).toEqual({
      kind: 'transparent',
    });
  });

  it('per-entry size, offsets and background description override the top level', async () => {
    const { plan } = await loadContent(
      dir,
      withTop({
        backgroundDescription: 'black',
        dataCollection: [
          baseEntry(),
          {
            ...baseEntry(),
            width: 768,
            height: 1024,
            topFrameOffsetPixels: 10,
            backgroundDescription: 'grey',
          },
        ],
      }),
    );
    expect(
      plan?.shots.map((s) => [
        s.width,
        s.height,
        s.topFrameOffsetPixels,
        s.bottomFrameOffsetPixels,
        s.backgroundDescription,
      ]),
    ).toEqual([
      [512, 512, 64, 64, 'black'],
      [768, 1024, 10, 64, 'grey'],
    ]);
  });

  it('tag style without a template gets the tag template', async () => {
    const { plan } = await loadContent(dir, withTop({ caption: { style: 'tags' } }));
    expect(plan?.caption).toEqual({
      template: DEFAULT_TAG_TEMPLATE,
      style: 'tags',
      extension: 'txt',
      variants: [],
    });
    expect(DEFAULT_TAG_TEMPLATE).toBe(
      '{trigger}, {class}, {frame}, {view}, {expression}, {animation}, {description}, {background}',
    );
  });

  it('animationTime, takes, wrap, expression, lookAtCamera, our top-level fields', async () => {
    const { plan, findings } = await loadContent(
      dir,
      withTop({
        avatar: 'me.vrm',
        trigger: 'ohwx',
        classToken: 'woman',
        caption: {
          template: '{trigger}, {class}, {view}',
          style: 'tags',
          extension: 'caption',
          variants: [{ style: 'tags' }, { template: '{trigger} {description}' }],
        },
        repeats: 4,
        layout: 'jsonl',
        image: { format: 'webp', quality: 80, alphaMask: 'separate' },
        wrapAnimations: true,
        trainers: ['diffusers', 'diffusers'],
        dataCollection: [
          withEntry({
            animationFrame: undefined,
            animationTime: 1.25,
            animationPath: 'Dance.vrma',
            animationTake: 'Take 2',
          }).dataCollection,
          withEntry({
            wrapAnimation: false,
            expression: 'Joy',
            lookAtCamera: true,
            cameraLocalOffset: [0.5, 0, -1],
          }).dataCollection,
        ].flat(),
      }),
    );
    expect(findings).toEqual([]);
    expect(plan).toMatchObject({
      avatars: [path.join(dir, 'me.vrm')],
      avatarsSource: 'avatar',
      trigger: 'ohwx',
      classToken: 'woman',
      caption: { template: '{trigger}, {class}, {view}', style: 'tags', extension: 'caption' },
      repeats: 4,
      layout: 'jsonl',
      image: { format: 'webp', quality: 80, alphaMask: 'separate' },
      wrapAnimations: true,
      trainers: ['diffusers'],
    });
    expect(plan?.caption.variants).toEqual([
      {
        template:
          '{trigger}, {class}, {frame}, {view}, {expression}, {animation}, {description}, {background}',
        style: 'tags',
      },
      { template: '{trigger} {description}', style: 'sentence' },
    ]);
    expect(plan?.shots[0]).toMatchObject({
      animation: { kind: 'file', name: 'Dance.vrma', take: 'Take 2' },
      sample: { kind: 'time', seconds: 1.25 },
      wrap: true,
    });
    expect(plan?.shots[1]).toMatchObject({
      wrap: false,
      expression: 'Joy',
      lookAtCamera: true,
      camera: { localOffset: [0.5, 0, -1] },
    });
  });

  it('wraps by default (CharacterStudio); --strict turns the default off, an explicit wrapAnimation stays', async () => {
    const manifest = withTop({
      dataCollection: [
        withEntry({}).dataCollection,
        withEntry({ wrapAnimation: true, description: 'b' }).dataCollection,
      ].flat(),
    });
    const loose = await loadContent(dir, manifest);
    expect(loose.plan?.shots.map((s) => s.wrap)).toEqual([true, true]);
    const strict = await loadContent(dir, manifest, { strict: true });
    expect(strict.plan?.wrapAnimations).toBe(false);
    expect(strict.plan?.shots.map((s) => s.wrap)).toEqual([false, true]);
    const explicit = await loadContent(dir, { ...manifest, wrapAnimations: true }, { strict: true });
    expect(explicit.plan?.shots.map((s) => s.wrap)).toEqual([true, true]);
  });

  it('--vrm replaces the manifest’s avatars', async () => {
    const { plan } = await loadContent(dir, withTop({ avatars: ['a.vrm', 'b.vrm'] }), {
      vrmPaths: ['x.vrm'],
      cwd: '/work/here',
    });
    expect(plan?.avatars).toEqual([path.resolve('/work/here/x.vrm')]);
    expect(plan?.avatarsSource).toBe('cli');
  });

  it('accepts $schema', async () => {
    const { findings } = await loadContent(dir, withTop({ $schema: './manifest.schema.json' }));
    expect(findings).toEqual([]);
  });
});
