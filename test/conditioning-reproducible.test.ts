// Same inputs, same pixels, whatever the cache holds: a conditioning map made from a render served from the
// cache must equal the one made right after the render. (Normal maps once took the near/far planes the page's
// last draw left, so a few pixels where two surfaces nearly touch depended on what was drawn before.)
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { demoManifest } from '@vrm-lora/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';
import { sharedAsset } from './support/shared-assets.js';

const robot = sharedAsset('vrm', 'debug_robot.vrm');
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-conditioning-repro-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Every conditioning image under `out`, by relative path, as sha256. */
async function conditioningHashes(out: string): Promise<Map<string, string>> {
  const root = path.join(out, 'conditioning');
  const files = (await fs.readdir(root, { recursive: true })).filter((f) => f.endsWith('.png')).sort();
  const hashes = new Map<string, string>();
  for (const f of files)
    hashes.set(
      f,
      createHash('sha256')
        .update(await fs.readFile(path.join(root, f)))
        .digest('hex'),
    );
  return hashes;
}

describe.skipIf(!robot)('conditioning maps are reproducible across cache states', () => {
  it('depth and normal maps drawn from cached renders equal those drawn right after rendering (debug_robot, 12 shots)', async () => {
    const manifestFile = path.join(dir, 'manifest.json');
    await fs.writeFile(manifestFile, JSON.stringify({ ...demoManifest(), width: 256, height: 256 }));
    const out = path.join(dir, 'out');
    const args = ['run', manifestFile, '--vrm', robot!, '--out', out, '--conditioning', 'depth,normal'];
    const first = await runCli(args);
    expect(first.exitCode, String(first.stderr)).toBe(0);
    const afterRender = await conditioningHashes(out);
    expect(afterRender.size).toBe(24);
    // Only the maps are made again, from the renders in the cache: no shot is drawn before them.
    await fs.rm(path.join(out, '.vrm-lora-cache', 'conditioning'), { recursive: true });
    const second = await runCli([...args, '--json']);
    expect(second.exitCode, String(second.stderr)).toBe(0);
    expect(String(second.stdout)).not.toMatch(/"stage":"render","[^}]*"status":"done"/);
    expect(await conditioningHashes(out)).toEqual(afterRender);
  });
});
