import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireOutputLock, OUTPUT_LOCK_FILE, readOutputLock } from '../src/output-lock.js';
import { PipelineInputError } from '../src/pipeline-error.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-lock-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('output folder lock', () => {
  it('writes the pid, refuses a second holder while held, and is gone after release', async () => {
    const out = path.join(dir, 'out');
    const lock = await acquireOutputLock(out, 'watch');
    expect(await readOutputLock(out)).toEqual({
      pid: process.pid,
      purpose: 'watch',
      since: lock.owner.since,
    });
    const second = await acquireOutputLock(out, 'run').then(
      () => null,
      (error: unknown) => error,
    );
    expect(second).toBeInstanceOf(PipelineInputError);
    expect((second as Error).message).toBe(
      `output folder ${out} is in use by vrm-lora watch (pid ${process.pid}, since ${lock.owner.since}); stop it (Ctrl-C in its terminal) or choose another --out`,
    );
    await lock.release();
    await expect(fs.access(path.join(out, OUTPUT_LOCK_FILE))).rejects.toThrow();
    const again = await acquireOutputLock(out, 'run');
    await again.release();
    // Nothing but the (released) lock was ever written there: no temp files stay.
    expect(await fs.readdir(out)).toEqual([]);
  });

  it("takes over a lock whose process is gone, and never removes another holder's lock", async () => {
    const pid = deadPid();
    await fs.writeFile(
      path.join(dir, OUTPUT_LOCK_FILE),
      JSON.stringify({ pid, purpose: 'watch', since: '2026-01-01T00:00:00.000Z' }),
    );
    const lock = await acquireOutputLock(dir, 'watch');
    expect((await readOutputLock(dir))?.pid).toBe(process.pid);
    // Someone else's lock now (e.g. after this one was taken over): release leaves it alone.
    const other = { pid: 1, purpose: 'run', since: '2026-01-02T00:00:00.000Z' };
    await fs.writeFile(path.join(dir, OUTPUT_LOCK_FILE), JSON.stringify(other));
    await lock.release();
    expect(await readOutputLock(dir)).toEqual(other);
    // pid 1 (init) is alive: a run holding the folder is named as such.
    await expect(acquireOutputLock(dir, 'run')).rejects.toThrow(
      /in use by another vrm-lora run \(pid 1,.*wait for it to finish/,
    );
  });
});
