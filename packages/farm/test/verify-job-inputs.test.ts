import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sha256 } from '@vrm-lora/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FARM_JOB_FORMAT, FARM_JOB_VERSION, type FarmJob, farmJobSchema } from '../src/farm-job.js';
import { verifyJobInputs } from '../src/verify-job-inputs.js';

let dir: string;
let job: FarmJob;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-farm-job-'));
  await fs.mkdir(path.join(dir, 'inputs'));
  const file = async (name: string, text: string) => {
    await fs.writeFile(path.join(dir, 'inputs', name), text);
    return { file: path.join(dir, 'inputs', name), sha256: sha256(Buffer.from(text)) };
  };
  job = {
    format: FARM_JOB_FORMAT,
    version: FARM_JOB_VERSION,
    runId: 'run-1',
    manifest: await file('manifest.json', '{}'),
    avatar: await file('a.vrm', 'glTF…'),
    animations: [await file('walk.fbx', 'fbx')],
    strict: false,
  };
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('farm jobs', () => {
  it('carry paths and hashes only: anything else is not a job', () => {
    expect(farmJobSchema.safeParse(job).success).toBe(true);
    expect(farmJobSchema.safeParse({ ...job, script: 'process.exit()' }).success).toBe(false);
    expect(
      farmJobSchema.safeParse({ ...job, avatar: { file: 'a.vrm', sha256: job.avatar.sha256 } }).success,
    ).toBe(false);
    expect(farmJobSchema.safeParse({ ...job, runId: '../x' }).success).toBe(false);
  });

  it('are run when every file has the hash it was queued with', async () => {
    expect(await verifyJobInputs(job, [])).toBeNull();
    expect(await verifyJobInputs(job, [path.join(dir, 'inputs')])).toBeNull();
  });

  it('are refused when a file changed since it was queued', async () => {
    const changed = { ...job, avatar: { ...job.avatar, sha256: sha256('other') } };
    expect(await verifyJobInputs(changed, [])).toMatch(
      new RegExp(`^${job.avatar.file}: its bytes changed since the job was queued .*; submit the run again$`),
    );
  });

  it('are refused, unread, when a file is outside the input roots', async () => {
    const outside = { ...job, animations: [{ file: '/etc/passwd', sha256: job.avatar.sha256 }] };
    expect(await verifyJobInputs(outside, [path.join(dir, 'inputs')])).toBe(
      `/etc/passwd: is outside this worker's input folders (${path.join(dir, 'inputs')}); not read`,
    );
    expect(await verifyJobInputs(job, [path.join(dir, 'other')])).toContain('is outside');
    // A link inside the root to a file outside it is outside.
    await fs.symlink('/etc/hostname', path.join(dir, 'inputs', 'link.fbx'));
    const linked = {
      ...job,
      animations: [{ file: path.join(dir, 'inputs', 'link.fbx'), sha256: job.avatar.sha256 }],
    };
    expect(await verifyJobInputs(linked, [path.join(dir, 'inputs')])).toContain('is outside');
  });

  it('are refused when a file is missing on the worker', async () => {
    const missing = { ...job, manifest: { ...job.manifest, file: path.join(dir, 'inputs', 'gone.json') } };
    expect(await verifyJobInputs(missing, [])).toContain(
      'cannot be read on this worker (ENOENT); mount the shared folder at the same path on every machine',
    );
  });
});
