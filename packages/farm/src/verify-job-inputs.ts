import fs from 'node:fs/promises';
import path from 'node:path';
import { sha256File } from '@vrm-lora/pipeline';
import type { FarmJob } from './farm-job.js';

/**
 * Why a worker will not run `job`, or null: a file outside the worker's input roots (when it has any), or whose
 * bytes are not those the submitter hashed (changed since it was queued, or another file at that path on this
 * machine). A worker reads only the files its job names, and only after this check.
 */
export async function verifyJobInputs(job: FarmJob, inputRoots: readonly string[]): Promise<string | null> {
  const files = [job.manifest, job.avatar, ...job.animations];
  // Links resolved on both sides: a link inside a root to a file outside it is outside.
  const roots = await Promise.all(inputRoots.map((r) => fs.realpath(r).catch(() => path.resolve(r))));
  const problems: string[] = [];
  for (const { file, sha256 } of files) {
    const resolved = await fs.realpath(file).catch(() => path.resolve(file));
    if (roots.length > 0 && !roots.some((r) => resolved === r || resolved.startsWith(`${r}${path.sep}`))) {
      problems.push(`${file}: is outside this worker's input folders (${roots.join(', ')}); not read`);
      continue;
    }
    const actual = await sha256File(resolved).catch(
      (error: NodeJS.ErrnoException) => `unreadable:${error.code}`,
    );
    if (actual.startsWith('unreadable:'))
      problems.push(
        `${file}: cannot be read on this worker (${actual.slice(11)}); mount the shared folder at the same path on every machine`,
      );
    else if (actual !== sha256)
      problems.push(
        `${file}: its bytes changed since the job was queued (sha256 ${actual.slice(0, 12)}…, queued ${sha256.slice(0, 12)}…); submit the run again`,
      );
  }
  return problems.length > 0 ? problems.join('\n') : null;
}
