import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { Quaternion, Vector3 } from 'three';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticMixamoFbx } from '../packages/pose-baker/test/support/synthetic-mixamo-rig.js';
import { jsonEvents, runCli, stageCounts } from './support/run-cli.js';

/** A 10-frame Mixamo-rig clip (written by the project's own ASCII FBX writer) raising the left arm. */
function clipFbx(maxDegrees: number): string {
  const raise = (frame: number) =>
    new Quaternion().setFromAxisAngle(new Vector3(0, 0, 1), ((maxDegrees * frame) / 9) * (Math.PI / 180));
  return writeSyntheticMixamoFbx([
    {
      name: 'mixamo.com',
      frameRate: 30,
      frameCount: 10,
      rotations: { Hips: () => new Quaternion(), LeftArm: raise },
    },
  ]);
}

// The "done when" for the pipeline: the built CLI on the mannequin + built-in poses, then the
// manifest edited in each way a user edits it, asserting exactly how many bakes, renders and
// post-processings each re-run does.

let dir: string;
let manifestFile: string;
let vrmFile: string;
const out = () => path.join(dir, 'out');

const baseManifest = {
  width: 160,
  height: 160,
  topFrameOffsetPixels: 8,
  bottomFrameOffsetPixels: 8,
  backgroundGrayscale: 0.5,
  backgroundDescription: 'plain grey background',
  dataCollection: [
    {
      animationPath: 'builtin:waving',
      animationFrame: 0,
      lookAtCamera: true,
      expression: 'happy',
      cameraPosition: 'front',
      cameraFrame: 'fullShot',
      description: 'a mannequin waving',
    },
    {
      animationPath: 'builtin:arms-crossed',
      animationFrame: 0,
      lookAtCamera: false,
      cameraPosition: 'left',
      cameraFrame: 'mediumShot',
      description: 'a mannequin with arms crossed',
    },
    {
      animationPath: 'builtin:kneeling',
      animationFrame: 0,
      lookAtCamera: false,
      cameraPosition: 'front-right',
      cameraFrame: 'fullShot',
      description: 'a mannequin kneeling',
    },
    {
      animationPath: 'builtin:cheering',
      animationFrame: 0,
      lookAtCamera: false,
      cameraPosition: 'back',
      cameraFrame: 'cowboyShot',
      description: 'a mannequin cheering',
    },
    {
      animationPath: 'clip.fbx',
      animationFrame: 3,
      lookAtCamera: false,
      cameraPosition: 'front',
      cameraFrame: 'fullShot',
      description: 'a mannequin raising an arm',
    },
    {
      animationPath: 'clip.fbx',
      animationFrame: 9,
      lookAtCamera: false,
      cameraPosition: 'front-left-top',
      cameraFrame: 'fullShot',
      description: 'a mannequin with a raised arm',
    },
  ],
};

async function writeManifest(edit: (m: typeof baseManifest & Record<string, unknown>) => void = () => {}) {
  const m = structuredClone(baseManifest) as typeof baseManifest & Record<string, unknown>;
  edit(m);
  await fs.writeFile(manifestFile, JSON.stringify(m, null, 2));
}

async function run(...extra: string[]) {
  const result = await runCli(['run', manifestFile, '--vrm', vrmFile, '--out', out(), '--json', ...extra]);
  const events = jsonEvents(String(result.stdout));
  return {
    result,
    events,
    counts: stageCounts(events),
    browserStarted: events.some((e) => e.type === 'browser-start'),
  };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-e2e-'));
  manifestFile = path.join(dir, 'manifest.json');
  vrmFile = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(vrmFile, await createMannequinVrm({ specVersion: '1.0' }));
  await fs.writeFile(path.join(dir, 'clip.fbx'), clipFbx(60));
  await writeManifest();
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('vrm-lora run: incremental re-runs', () => {
  it('a first run computes every item and writes a kohya dataset', async () => {
    const { result, counts, browserStarted } = await run();
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(counts).toEqual({
      bake: { done: 6, cached: 0, failed: 0 },
      caption: { done: 6, cached: 0, failed: 0 },
      render: { done: 6, cached: 0, failed: 0 },
      post: { done: 6, cached: 0, failed: 0 },
    });
    expect(browserStarted).toBe(true);
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.summary.written).toBe(6);
    for (const e of report.entries) {
      expect(await fs.stat(path.join(out(), e.output.image))).toBeTruthy();
      expect(await fs.readFile(path.join(out(), e.output.caption), 'utf8')).toBe(e.caption);
    }
    expect(report.entries[0].caption).toBe('anata a mannequin waving plain grey background');
    await fs.access(path.join(out(), 'contact-sheet.png'));
    // The default GL backend, `auto`, on this GPU-less machine: SwiftShader, named in the report and the
    // JSON events (the same renderer string both places).
    expect(report.renderer).toMatchObject({
      glBackend: 'swiftshader',
      glBackendReason: 'auto: no GPU device (/dev/dri/renderD*, /dev/nvidia0)',
      browserStarted: true,
    });
    expect(report.renderer.glRenderer).toMatch(/SwiftShader/);
    const ready = jsonEvents(String(result.stdout)).find((e) => e.type === 'renderer-ready');
    expect(ready).toMatchObject({ glBackend: 'swiftshader', glRenderer: report.renderer.glRenderer });
  });

  it('a no-op re-run does no work and starts no browser', async () => {
    const { result, counts, browserStarted } = await run();
    expect(result.exitCode).toBe(0);
    for (const stage of ['bake', 'render', 'post', 'caption'])
      expect(counts[stage]).toEqual({ done: 0, cached: 6, failed: 0 });
    expect(browserStarted).toBe(false);
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.renderer).toEqual({
      glBackend: 'swiftshader',
      glRenderer: null,
      glBackendReason: 'auto: no GPU device (/dev/dri/renderD*, /dev/nvidia0)',
      browserStarted: false,
    });
  });

  it('the contact sheet is reused while its images and captions are the same, and drawn again when it was removed', async () => {
    const sheetFile = path.join(out(), 'contact-sheet.png');
    const before = await fs.readFile(sheetFile);
    const reused = await run();
    expect(reused.events.find((e) => e.type === 'dataset')).toMatchObject({ contactSheetReused: true });
    expect(await fs.readFile(sheetFile)).toEqual(before);
    await fs.rm(sheetFile);
    const redrawn = await run();
    expect(redrawn.events.find((e) => e.type === 'dataset')).toMatchObject({ contactSheetReused: false });
    // The same inputs draw the same bytes.
    expect(await fs.readFile(sheetFile)).toEqual(before);
    // A sheet edited by hand is not taken for the tool's: drawn again.
    await fs.writeFile(sheetFile, Buffer.concat([before, Buffer.from('x')]));
    const edited = await run();
    expect(edited.events.find((e) => e.type === 'dataset')).toMatchObject({ contactSheetReused: false });
  });

  it('editing one entry’s camera re-renders that entry only, and explain names the change first', async () => {
    await writeManifest((m) => {
      m.dataCollection[1]!.cameraPosition = 'front-left';
    });
    const explained = await runCli(['explain', manifestFile, '2', '--vrm', vrmFile, '--out', out()]);
    expect(explained.exitCode).toBe(0);
    expect(String(explained.stdout)).toMatch(/render\s+will run/);
    expect(String(explained.stdout)).toContain('params.camera: [-1,0,0] → [-1,0,1]');
    expect(String(explained.stdout)).toMatch(/bake\s+cached/);
    const { counts, events } = await run();
    expect(counts.render).toEqual({ done: 1, cached: 5, failed: 0 });
    expect(counts.post).toEqual({ done: 1, cached: 5, failed: 0 });
    expect(counts.bake).toEqual({ done: 0, cached: 6, failed: 0 });
    // One image changed: the contact sheet is drawn again.
    expect(events.find((e) => e.type === 'dataset')).toMatchObject({ contactSheetReused: false });
  });

  it('changing the background re-runs post-processing and renders nothing', async () => {
    await writeManifest((m) => {
      m.dataCollection[1]!.cameraPosition = 'front-left';
      m.backgroundGrayscale = 0.25;
    });
    const { counts, browserStarted } = await run();
    expect(counts.render).toEqual({ done: 0, cached: 6, failed: 0 });
    expect(counts.post).toEqual({ done: 6, cached: 0, failed: 0 });
    expect(browserStarted).toBe(false);
  });

  it('changing the caption template re-captions and renders nothing', async () => {
    await writeManifest((m) => {
      m.dataCollection[1]!.cameraPosition = 'front-left';
      m.backgroundGrayscale = 0.25;
      m.caption = { template: '{trigger}, {description}, {view}' };
    });
    const { counts } = await run();
    expect(counts.caption).toEqual({ done: 6, cached: 0, failed: 0 });
    expect(counts.render).toEqual({ done: 0, cached: 6, failed: 0 });
    expect(counts.post).toEqual({ done: 0, cached: 6, failed: 0 });
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.entries[0].caption).toBe('anata, a mannequin waving, front');
  });

  it('changing the VRM re-renders everything and re-bakes nothing', async () => {
    await fs.writeFile(vrmFile, await createMannequinVrm({ specVersion: '0.x' }));
    const { counts } = await run();
    expect(counts.bake).toEqual({ done: 0, cached: 6, failed: 0 });
    expect(counts.render).toEqual({ done: 6, cached: 0, failed: 0 });
  });

  it('touching an FBX without changing its bytes redoes nothing', async () => {
    const later = new Date(Date.now() + 60_000);
    await fs.utimes(path.join(dir, 'clip.fbx'), later, later);
    const { counts, browserStarted } = await run();
    for (const stage of ['bake', 'render', 'post', 'caption'])
      expect(counts[stage]).toEqual({ done: 0, cached: 6, failed: 0 });
    expect(browserStarted).toBe(false);
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.renderer).toEqual({
      glBackend: 'swiftshader',
      glRenderer: null,
      glBackendReason: 'auto: no GPU device (/dev/dri/renderD*, /dev/nvidia0)',
      browserStarted: false,
    });
  });

  it('changing an FBX’s bytes re-bakes and re-renders exactly the entries that use it', async () => {
    await fs.writeFile(path.join(dir, 'clip.fbx'), clipFbx(80));
    const { counts, events } = await run();
    expect(counts.bake).toEqual({ done: 2, cached: 4, failed: 0 });
    expect(counts.render).toEqual({ done: 2, cached: 4, failed: 0 });
    expect(counts.post).toEqual({ done: 2, cached: 4, failed: 0 });
    const rendered = events.filter((e) => e.type === 'item' && e.stage === 'render' && e.status === 'done');
    expect(rendered.map((e) => e.number).sort()).toEqual([5, 6]);
  });

  it('a bad entry fails alone (exit 1) and the others are still written', async () => {
    await writeManifest((m) => {
      m.dataCollection[1]!.cameraPosition = 'front-left';
      m.backgroundGrayscale = 0.25;
      m.caption = { template: '{trigger}, {description}, {view}' };
      m.dataCollection[2]!.expression = 'no-such-expression';
    });
    const { result, events } = await run('--strict');
    expect(result.exitCode).toBe(1);
    const failed = events.filter((e) => e.type === 'item' && e.status === 'failed');
    expect(failed.map((e) => e.number)).toEqual([3]);
    expect(String(failed[0]!.error)).toContain('no-such-expression');
    const report = JSON.parse(await fs.readFile(path.join(out(), 'report.json'), 'utf8'));
    expect(report.summary.written).toBe(5);
  });

  it('invalid input exits 2 and renders nothing', async () => {
    await writeManifest((m) => {
      (m.dataCollection[0] as Record<string, unknown>).cameraFrame = 'fullshoot';
    });
    const { result, events } = await run();
    expect(result.exitCode).toBe(2);
    expect(String(result.stderr)).toContain('dataCollection[0].cameraFrame');
    expect(String(result.stderr)).toContain('fullShot');
    expect(events.filter((e) => e.type === 'item')).toEqual([]);
  });
});
