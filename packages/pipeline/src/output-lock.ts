import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { isProcessAlive } from './is-process-alive.js';
import { PipelineInputError } from './pipeline-error.js';

/** The lock file's name inside an output folder while a `run` or a `watch` writes it. */
export const OUTPUT_LOCK_FILE = '.vrm-lora.lock';

/** Who holds an output folder: written into the lock file as JSON. */
export interface OutputLockOwner {
  pid: number;
  /** `run` (one run) or `watch` (a watcher, for as long as it watches). */
  purpose: 'run' | 'watch';
  /** ISO time the lock was taken. */
  since: string;
}

/** A held output-folder lock. */
export interface OutputLock {
  /** The output folder, resolved. */
  outDir: string;
  file: string;
  owner: OutputLockOwner;
  /** Removes the lock file (if it is still this lock's); calling it again does nothing. */
  release(): Promise<void>;
}

/**
 * Takes `outDir`'s lock (`.vrm-lora.lock`, holding the pid), so one process writes an output folder at a
 * time. A lock left by a process that is gone (killed) is taken over. Throws `PipelineInputError` naming the
 * holder when a live process holds it.
 */
export async function acquireOutputLock(
  outDir: string,
  purpose: OutputLockOwner['purpose'],
): Promise<OutputLock> {
  const dir = path.resolve(outDir);
  const file = path.join(dir, OUTPUT_LOCK_FILE);
  const owner: OutputLockOwner = { pid: process.pid, purpose, since: new Date().toISOString() };
  await fs.mkdir(dir, { recursive: true });
  // Written whole beside the lock, then linked into place: `link` fails when the lock exists, and a reader
  // never sees a half-written lock.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(owner)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await fs.link(tmp, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      }
      const holder = await readOutputLock(dir);
      if (holder && isProcessAlive(holder.pid)) throw lockedError(dir, holder);
      // Stale (its process is gone) or unreadable: take it over.
      await fs.rm(file, { force: true });
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
  let released = false;
  return {
    outDir: dir,
    file,
    owner,
    async release() {
      if (released) return;
      released = true;
      const holder = await readOutputLock(dir);
      if (holder?.pid === owner.pid && holder.since === owner.since) await fs.rm(file, { force: true });
    },
  };
}

/** Who holds `outDir`'s lock, or null when there is none (or it cannot be read). */
export async function readOutputLock(outDir: string): Promise<OutputLockOwner | null> {
  try {
    const owner = JSON.parse(await fs.readFile(path.join(outDir, OUTPUT_LOCK_FILE), 'utf8'));
    return typeof owner?.pid === 'number' ? (owner as OutputLockOwner) : null;
  } catch {
    return null;
  }
}

function lockedError(outDir: string, holder: OutputLockOwner): PipelineInputError {
  const what = holder.purpose === 'watch' ? 'vrm-lora watch' : 'another vrm-lora run';
  const stop = holder.purpose === 'watch' ? 'stop it (Ctrl-C in its terminal)' : 'wait for it to finish';
  return new PipelineInputError(
    `output folder ${outDir} is in use by ${what} (pid ${holder.pid}, since ${holder.since}); ${stop} or choose another --out`,
  );
}
