import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file through a temp file beside it (`<name>.<pid>.<8 hex>.tmp`) and a rename, so a reader never
 * sees half a file and a killed writer leaves only a temp file its PID identifies. Every package writes
 * its outputs through this one function.
 *
 * Why not the `write-file-atomic` package (checked at 8.0.0): its temp names (`<file>.<uint32>`) carry no PID,
 * so the sweep after a SIGKILLed run (pipeline's remove-stale-temp-files.ts, pinned by the fault suite) could
 * not tell a dead writer's temp file from one a concurrent live run is still writing; its own clean-up
 * (signal-exit) never runs on SIGKILL. It also adds an fsync, realpath, stat and chown per file.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}
