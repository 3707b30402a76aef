#!/usr/bin/env node
// Before/after comparison of the manifest's resolution: loads a set of manifests (the shared example and
// variations that exercise captions, variants, trainers, masks, backgrounds, background variety, per-entry
// conditioning, several avatars, built-in poses, camera vectors and offsets), each with and without the
// run's overrides (--strict, --vrm, --conditioning, --contact-sheet), through the built @vrm-lora/manifest,
// and prints every plan and finding as JSON. Record it before and after a change and `cmp` the two files:
//
//   node test/compare/dump-plans.mjs > before.json   # on the old build
//   node test/compare/dump-plans.mjs > after.json    # on the new build
//   cmp before.json after.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadManifest } from '../../packages/manifest/dist/index.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = process.env.VRM_LORA_SHARED_ASSETS ?? path.resolve(repo, '..', 'shared', 'assets');
const dir = path.join(os.tmpdir(), 'vrm-lora-dump-plans');
fs.mkdirSync(dir, { recursive: true });
const ex = JSON.parse(
  fs.readFileSync(path.join(shared, '..', 'examples', 'characterstudio-manifest.json'), 'utf8'),
);
const fbx = path.join(shared, 'fbx');
const vrm = (name) => path.join(shared, 'vrm', name);
const kept = ex.dataCollection.filter((e) => fs.existsSync(path.join(fbx, e.animationPath)));
const cases = {
  example: { ...ex, dataCollection: kept },
  variants: {
    ...ex,
    dataCollection: kept.slice(0, 4),
    caption: { style: 'tags', variants: [{}, { style: 'tags' }, { template: '{trigger} x' }] },
    trainers: ['sd-scripts', 'sd-scripts'],
    image: { alphaMask: 'alpha' },
    backgroundGrayscale: undefined,
    background: 'transparent',
    backgroundDescription: 'white',
  },
  variety: {
    ...ex,
    dataCollection: kept.slice(0, 5).map((e, i) => ({
      ...e,
      ...(i === 2 ? { backgroundGrayscale: 0.2 } : {}),
      ...(i === 3 ? { conditioning: ['depth'] } : {}),
    })),
    backgrounds: { seed: 3, colors: ['#ff0000', '#00ff00'] },
    conditioning: ['openpose'],
    wrapAnimations: false,
    avatars: [vrm('cryptovoxels.vrm'), vrm('debug_robot.vrm')],
  },
  builtin: {
    width: 512,
    height: 768,
    dataCollection: [
      {
        animationPath: 'builtin:waving',
        animationTime: 0.5,
        cameraPosition: [1, 0.2, 1],
        cameraFrame: 'closeUp',
        description: 'x',
        cameraLocalOffset: [0, 0.1, 0],
        topFrameOffsetPixels: 3,
      },
    ],
  },
};
const out = {};
for (const [name, m] of Object.entries(cases)) {
  const f = path.join(dir, `${name}.json`);
  fs.writeFileSync(f, JSON.stringify(m));
  for (const opts of [
    { animationsDir: fbx },
    {
      animationsDir: fbx,
      strict: true,
      vrmPaths: [vrm('cryptovoxels.vrm')],
      conditioning: ['normal'],
      contactSheet: 'with-conditioning',
    },
  ]) {
    const r = await loadManifest(f, opts);
    out[`${name} ${JSON.stringify(opts)}`] = r;
  }
}
process.stdout.write(JSON.stringify(out, null, 1));
