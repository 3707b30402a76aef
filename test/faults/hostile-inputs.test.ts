import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliOutcome,
  clipFbx,
  listTree,
  looksLikeCrash,
  readGlb,
  runCliToEnd,
  writeGlb,
} from './support/fault-kit.js';

// Hostile inputs: paths and descriptions that try to leave the folders, VRM files that are not what they say,
// a VRM that would fetch from the network, an empty FBX. Each gives a clear error naming the file and the entry
// (exit 2 when known before rendering, else exit 1 with the entry failed in report.json and on stderr), never a
// stack trace, and nothing is written outside the output folder.

let dir: string;
let manifestDir: string;
let vrmBytes: Buffer;
let goodVrm: string;
const figures = { cases: 0, refusedUpFront: 0, failedEntries: 0, networkRequests: 0, writesOutside: 0 };

const shot = (animationPath: string, description: string, extra: Record<string, unknown> = {}) => ({
  animationPath,
  cameraPosition: 'front',
  cameraFrame: 'fullShot',
  description,
  ...extra,
});

async function writeManifest(name: string, entries: Record<string, unknown>[]): Promise<string> {
  const file = path.join(manifestDir, name);
  await fs.writeFile(
    file,
    JSON.stringify({
      width: 128,
      height: 128,
      topFrameOffsetPixels: 6,
      bottomFrameOffsetPixels: 6,
      dataCollection: entries,
    }),
  );
  return file;
}

/** Runs `vrm-lora run` and checks the work folder: only `<out>` (and the shared cache) may change. */
async function runGuarded(manifest: string, vrm: string, outName: string, json = true): Promise<CliOutcome> {
  const outside = async () =>
    (await listTree(dir)).filter((p) => !p.startsWith(`${outName}/`) && !p.startsWith('cache/'));
  const before = await outside();
  const outcome = await runCliToEnd(
    [
      'run',
      manifest,
      '--vrm',
      vrm,
      '--out',
      path.join(dir, outName),
      '--cache-dir',
      path.join(dir, 'cache'),
      ...(json ? ['--json'] : []),
    ],
    dir,
  );
  const after = await outside();
  if (JSON.stringify(after) !== JSON.stringify(before)) figures.writesOutside++;
  expect(after).toEqual(before);
  expect(looksLikeCrash(outcome.stderr), outcome.stderr).toBe(false);
  figures.cases++;
  return outcome;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-faults-hostile-'));
  manifestDir = path.join(dir, 'project');
  await fs.mkdir(manifestDir);
  vrmBytes = Buffer.from(await createMannequinVrm({ specVersion: '1.0' }));
  goodVrm = path.join(dir, 'mannequin.vrm');
  await fs.writeFile(goodVrm, vrmBytes);
  await fs.writeFile(path.join(manifestDir, 'clip.fbx'), clipFbx('LeftArm', 60));
  await fs.writeFile(path.join(dir, 'outside.fbx'), clipFbx('RightArm', 60));
});

afterAll(async () => {
  process.stdout.write(
    `\nfault suite (hostile inputs): ${figures.cases} hostile runs, ${figures.refusedUpFront} refused up front (exit 2), ` +
      `${figures.failedEntries} failed entries reported (exit 1), network requests from the page: ${figures.networkRequests}, ` +
      `writes outside the output folder: ${figures.writesOutside}\n`,
  );
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('hostile paths and descriptions', () => {
  it('animationPath with "..", an absolute path or a newline to a file that is no animation: exit 2 naming each entry', async () => {
    const manifest = await writeManifest('paths.json', [
      shot('clip.fbx', 'fine'),
      shot('../../../../../../../../etc/passwd', 'dot-dot to a system file'),
      shot('/etc/passwd', 'absolute system file'),
      shot('clip.fbx\n', 'newline'),
      shot('builtin:../waving', 'dot-dot in a built-in name'),
    ]);
    const o = await runGuarded(manifest, goodVrm, 'out-paths', false);
    expect(o.exitCode).toBe(2);
    const lines = o.stderr.trim().split('\n');
    expect(lines.find((l) => l.includes('dataCollection[1].animationPath'))).toBe(
      `${manifest}: dataCollection[1].animationPath: unsupported animation file "../../../../../../../../etc/passwd"; use a Mixamo .fbx, a .vrma, or builtin:<pose>`,
    );
    for (const i of [2, 3, 4]) {
      const line = lines.find((l) => l.includes(`dataCollection[${i}].animationPath`));
      expect(line, `entry ${i}: ${o.stderr}`).toContain(manifest);
    }
    expect(o.stderr).not.toContain('dataCollection[0]');
    expect(o.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    await expect(fs.access(path.join(dir, 'out-paths'))).rejects.toThrow();
    figures.refusedUpFront++;
  });

  it('animationPath with control characters (NUL, BEL) or ".." to nothing: exit 2 naming each entry, shown escaped', async () => {
    const manifest = await writeManifest('control.json', [
      shot('clip.fbx', 'fine'),
      shot('clip\u0000.fbx', 'nul'),
      shot('clip\u0007.fbx', 'bell'),
      shot('../../../../../../tmp/nothing-here-vrm-lora.fbx', 'dot-dot to nothing'),
    ]);
    const o = await runGuarded(manifest, goodVrm, 'out-control', false);
    expect(o.exitCode).toBe(2);
    expect(o.stderr).toContain(`${manifest}: dataCollection[1].animationPath: animation file not found: `);
    expect(o.stderr).toContain('clip\\u0000.fbx');
    expect(o.stderr).toContain(`${manifest}: dataCollection[2].animationPath: animation file not found: `);
    expect(o.stderr).toContain('clip\\u0007.fbx');
    expect(o.stderr).toContain(
      `${manifest}: dataCollection[3].animationPath: animation file not found: /tmp/nothing-here-vrm-lora.fbx`,
    );
    expect(o.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    await expect(fs.access(path.join(dir, 'out-control'))).rejects.toThrow();
    figures.refusedUpFront++;
  });

  it('descriptions with "..", absolute paths and control characters: file names and captions stay tame, nothing leaves the output folder', async () => {
    const manifest = await writeManifest('descriptions.json', [
      shot('clip.fbx', '../../../../../../tmp/vrm-lora-escape', { animationFrame: 2 }),
      shot('clip.fbx', '/etc/cron.d/vrm-lora', { animationFrame: 4 }),
      shot('clip.fbx', 'bell\u0007 escape\u001b[31m red\r\nsecond line\u0000 nul\ttab', {
        animationFrame: 6,
      }),
      // An animation outside the manifest's folder is read (only reads; users keep assets where they like).
      shot('../outside.fbx', 'an arm from outside the project folder', { animationFrame: 8 }),
    ]);
    const o = await runGuarded(manifest, goodVrm, 'out-descriptions');
    expect(o.stderr).toBe('');
    expect(o.exitCode).toBe(0);
    const out = path.join(dir, 'out-descriptions');
    const files = (await listTree(out)).filter((p) => !p.startsWith('.vrm-lora-cache/'));
    // diffusers' metadata.jsonl sits beside the images (a trainer setup); the rest are images and captions.
    const images = files.filter(
      (p) => p.startsWith('img/') && !p.endsWith('/') && !p.includes('/metadata.jsonl'),
    );
    expect(files.filter((p) => p.startsWith('img/10_anata person/metadata.jsonl '))).toHaveLength(1);
    expect(images).toHaveLength(8);
    for (const p of images) expect(p).toMatch(/^img\/10_anata person\/000[1-4]-[a-z0-9-]+\.(png|txt) \d+$/);
    const report = JSON.parse(await fs.readFile(path.join(out, 'report.json'), 'utf8'));
    for (const e of report.entries) {
      const caption = await fs.readFile(path.join(out, e.output.caption), 'utf8');
      expect(caption).toBe(e.caption);
      expect(caption).not.toMatch(/[\u0000-\u001f\u007f]/);
    }
    expect(report.entries[2].caption).toContain('second line');
    await expect(fs.access('/tmp/vrm-lora-escape')).rejects.toThrow();
  });
});

describe('output and cache folders that are files', () => {
  it('--out naming a file, or --cache-dir below a file: exit 2 naming it, the file untouched, nothing computed', async () => {
    const manifest = await writeManifest('folders.json', [shot('clip.fbx', 'fine', { animationFrame: 1 })]);
    const file = path.join(dir, 'not-a-folder.txt');
    await fs.writeFile(file, 'precious');
    const cases: { args: string[]; message: string }[] = [
      {
        args: ['--out', file],
        message: `vrm-lora: output folder ${file} is a file, not a folder; choose another --out\n`,
      },
      {
        args: ['--out', path.join(dir, 'out-folders'), '--cache-dir', path.join(file, 'cache')],
        message: `vrm-lora: cache folder ${path.join(file, 'cache')} cannot be created: ${file} is a file, not a folder; choose another --cache-dir\n`,
      },
    ];
    for (const c of cases) {
      const o = await runCliToEnd(['run', manifest, '--vrm', goodVrm, ...c.args, '--json'], dir);
      figures.cases++;
      expect(o.exitCode).toBe(2);
      expect(o.stderr).toBe(c.message);
      expect(o.events.filter((e) => e.type === 'item')).toEqual([]);
      expect(await fs.readFile(file, 'utf8')).toBe('precious');
      figures.refusedUpFront++;
    }
    await expect(fs.access(path.join(dir, 'out-folders'))).rejects.toThrow();
  });
});

describe('hostile avatars and animation files', () => {
  it('a VRM whose texture points at an external URL: the page makes no request', async () => {
    let requests = 0;
    const server = http.createServer((_, res) => {
      requests++;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      // The server does count requests (a positive control), then starts from zero.
      await fetch(`http://127.0.0.1:${port}/control`);
      expect(requests).toBe(1);
      requests = 0;
      const { json, bin } = readGlb(vrmBytes);
      const url = `http://127.0.0.1:${port}/vrm-lora-must-not-fetch.png`;
      json.images = [{ uri: url }];
      json.textures = [{ source: 0 }];
      const materials = json.materials as { pbrMetallicRoughness?: Record<string, unknown> }[];
      for (const m of materials)
        m.pbrMetallicRoughness = { ...m.pbrMetallicRoughness, baseColorTexture: { index: 0 } };
      const vrm = path.join(dir, 'external.vrm');
      await fs.writeFile(vrm, writeGlb(json, bin));
      const manifest = await writeManifest('external.json', [
        shot('clip.fbx', 'external texture', { animationFrame: 1 }),
      ]);
      const o = await runGuarded(manifest, vrm, 'out-external');
      figures.networkRequests += requests;
      expect(requests).toBe(0);
      // The shot still renders (without the texture).
      expect(o.exitCode).toBe(0);
      expect(o.events.filter((e) => e.type === 'item' && e.stage === 'render').map((e) => e.status)).toEqual([
        'done',
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const badAvatars: { name: string; expect: string; bytes: () => Buffer }[] = [
    {
      name: 'truncated.vrm',
      expect: 'is truncated: its header says \\d+ bytes but the file has \\d+',
      bytes: () => vrmBytes.subarray(0, Math.floor(vrmBytes.length * 0.6)),
    },
    {
      name: 'plain-gltf.vrm',
      expect: 'is a glTF model without a VRM extension \\(VRMC_vrm or VRM\\)',
      bytes: () => {
        const { json, bin } = readGlb(vrmBytes);
        delete json.extensions;
        delete json.extensionsUsed;
        return writeGlb(json, bin);
      },
    },
    {
      name: 'picture.vrm',
      expect: 'is a PNG image, not a VRM file',
      bytes: () =>
        Buffer.from(
          '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201e5270ade0000000049454e44ae426082',
          'hex',
        ),
    },
    { name: 'empty.vrm', expect: 'is empty \\(0 bytes\\)', bytes: () => Buffer.alloc(0) },
  ];
  for (const bad of badAvatars) {
    it(`a VRM that is not a usable VRM (${bad.name}): a clear error naming the file`, async () => {
      const vrm = path.join(dir, bad.name);
      await fs.writeFile(vrm, bad.bytes());
      const manifest = await writeManifest(`avatar-${bad.name}.json`, [
        shot('clip.fbx', 'first', { animationFrame: 1 }),
        shot('clip.fbx', 'second', { animationFrame: 2 }),
      ]);
      const o = await runGuarded(manifest, vrm, `out-${bad.name}`, false);
      // Known from the file alone: refused before any bake or render, naming the file and what is wrong (by the
      // manifest's check, as `validate` reports it too, from the file's header and JSON chunk).
      expect(o.exitCode).toBe(2);
      expect(o.stderr).toMatch(new RegExp(`^${vrm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${bad.expect}`));
      expect(o.stderr.trim().split('\n')).toHaveLength(1);
      await expect(fs.access(path.join(dir, `out-${bad.name}`))).rejects.toThrow();
      figures.refusedUpFront++;
    });
  }

  it('a VRM broken inside (an accessor pointing at no data): known only when the page loads it, every entry fails naming the file (exit 1)', async () => {
    const { json, bin } = readGlb(vrmBytes);
    const accessors = json.accessors as { bufferView?: number }[];
    for (const a of accessors) a.bufferView = 9999;
    const vrm = path.join(dir, 'broken-inside.vrm');
    await fs.writeFile(vrm, writeGlb(json, bin));
    const manifest = await writeManifest('broken-inside.json', [
      shot('clip.fbx', 'first', { animationFrame: 1 }),
      shot('clip.fbx', 'second', { animationFrame: 2 }),
    ]);
    const o = await runGuarded(manifest, vrm, 'out-broken-inside', false);
    expect(o.exitCode).toBe(1);
    for (const n of [1, 2])
      expect(o.stderr).toContain(
        `✗ entry ${n} (dataCollection[${n - 1}]): render: ${vrm}: avatar could not be loaded: `,
      );
    const report = JSON.parse(await fs.readFile(path.join(dir, 'out-broken-inside', 'report.json'), 'utf8'));
    expect(report.summary.failed).toBe(2);
    for (const e of report.entries) expect(e.error).toContain(`render: ${vrm}: avatar could not be loaded`);
    figures.failedEntries += 2;
  });

  it('a 0-byte FBX: exit 2 naming the file and the entry, nothing baked or rendered', async () => {
    await fs.writeFile(path.join(manifestDir, 'empty.fbx'), '');
    const manifest = await writeManifest('empty-fbx.json', [
      shot('clip.fbx', 'fine', { animationFrame: 1 }),
      shot('empty.fbx', 'empty clip', { animationFrame: 0 }),
    ]);
    const o = await runGuarded(manifest, goodVrm, 'out-empty-fbx', false);
    // Known from the file alone: refused before anything bakes, naming the file and the entry using it.
    expect(o.exitCode).toBe(2);
    expect(o.stderr).toBe(
      `vrm-lora: ${path.join(manifestDir, 'empty.fbx')}: is empty (0 bytes), used by dataCollection[1].animationPath; export or download it again\n`,
    );
    await expect(fs.access(path.join(dir, 'out-empty-fbx'))).rejects.toThrow();
    figures.refusedUpFront++;
  });
});
