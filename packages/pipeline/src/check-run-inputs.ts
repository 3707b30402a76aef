import fs from 'node:fs/promises';
import { checkFolderUsable, type ResolvedShot } from '@vrm-lora/manifest';
import { cacheDirFor } from './cache-store.js';
import { PipelineInputError } from './pipeline-error.js';

// Input that is known to be unusable before any work is invalid input (the CLI's exit 2), reported all at once,
// not one failed entry per shot after work was done.

/**
 * There is an avatar. (Each avatar's file being a VRM by its header is the manifest check's, `loadManifest`,
 * so `validate` refuses what `run` refuses.)
 */
export function checkSomeAvatar(manifestFile: string, avatars: string[]): void {
  if (avatars.length === 0) {
    throw new PipelineInputError(
      `${manifestFile}: no avatar: pass --vrm <file.vrm> or set "avatar" in the manifest (none yet? \`vrm-lora demo\` runs the whole flow on the built-in mannequin)`,
    );
  }
}

/** No animation file the selected shots use is empty. */
export async function checkAnimationFilesNotEmpty(shots: ResolvedShot[]): Promise<void> {
  const users = new Map<string, string[]>();
  for (const shot of shots)
    if (shot.animation.kind === 'file')
      users.set(shot.animation.path, [
        ...(users.get(shot.animation.path) ?? []),
        `${shot.jsonPath}.animationPath`,
      ]);
  const problems: string[] = [];
  for (const [file, paths] of users) {
    const size = (await fs.stat(file).catch(() => null))?.size;
    if (size === 0)
      problems.push(`${file}: is empty (0 bytes), used by ${paths.join(', ')}; export or download it again`);
  }
  if (problems.length > 0) throw new PipelineInputError(problems.join('\n'));
}

/**
 * The output folder (when a dataset is written) and the cache folder can be folders: a "folder" that is a file
 * would fail at the first write, after work was done. A cache inside an unusable output folder is not reported
 * twice.
 */
export async function checkOutputFolders(
  outDir: string,
  cacheDir: string | undefined,
  writesDataset: boolean,
): Promise<void> {
  const problems: string[] = [];
  const outProblem = writesDataset ? await checkFolderUsable(outDir) : null;
  if (outProblem) problems.push(`output folder ${outDir} ${outProblem}; choose another --out`);
  const cache = cacheDirFor(outDir, cacheDir);
  const cacheProblem = outProblem && !cacheDir ? null : await checkFolderUsable(cache);
  if (cacheProblem) problems.push(`cache folder ${cache} ${cacheProblem}; choose another --cache-dir`);
  if (problems.length > 0) throw new PipelineInputError(problems.join('\n'));
}
