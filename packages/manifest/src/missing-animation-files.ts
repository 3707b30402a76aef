import fs from 'node:fs/promises';
import path from 'node:path';
import type { Finding } from './findings.js';

/** An animation file an entry names: where it is used and where it should be. */
export interface AnimationRef {
  /** `dataCollection[i].animationPath` */
  jsonPath: string;
  /** Absolute path the entry's clip resolves to. */
  file: string;
  /** The animations folder it was resolved in. */
  folder: string;
}

/** An animation file that is not there (missing, or a folder), with every entry that names it. */
export interface MissingAnimationFile {
  file: string;
  state: 'missing' | 'folder';
  /** The entries' `animationPath` JSON paths, in manifest order. */
  usedBy: string[];
  /**
   * The file the `animationPath` names when read as an absolute path, where that one exists: the path was
   * meant from the filesystem's root, but (as in CharacterStudio) it is read inside the animations folder.
   */
  existsAsAbsolute?: string;
}

/** Where a run looked for animation files, as the messages say it. */
export type AnimationsFolderSource = 'flag' | 'manifest';

/** The flag that runs the entries whose animation files are there and skips the others. */
export const SKIP_MISSING_ANIMATIONS_FLAG = '--skip-missing-animations';

/** Each distinct animation file of `refs` that is not a file, with the entries using it. */
export async function findMissingAnimationFiles(refs: AnimationRef[]): Promise<MissingAnimationFile[]> {
  const byFile = new Map<string, { folder: string; usedBy: string[] }>();
  for (const ref of refs) {
    const seen = byFile.get(ref.file) ?? { folder: ref.folder, usedBy: [] };
    seen.usedBy.push(ref.jsonPath);
    byFile.set(ref.file, seen);
  }
  const missing: MissingAnimationFile[] = [];
  for (const [file, { folder, usedBy }] of byFile) {
    const state = await fileState(file);
    if (state === 'file') continue;
    const inside = path.relative(folder, file);
    const absolute = path.resolve(path.parse(folder).root, inside);
    const asAbsolute = !inside.startsWith('..') && (await fileState(absolute)) === 'file' ? absolute : null;
    missing.push({ file, state, usedBy, ...(asAbsolute ? { existsAsAbsolute: asAbsolute } : {}) });
  }
  return missing;
}

function fileState(file: string): Promise<'file' | 'folder' | 'missing'> {
  return fs.stat(file).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => 'missing' as const,
  );
}

/**
 * One finding per missing animation file, at its first entry, naming the other entries that use it: an error,
 * or with `skipped` a warning saying those entries are left out of the run.
 */
export function missingAnimationFindings(
  missing: MissingAnimationFile[],
  manifestFile: string,
  source: AnimationsFolderSource,
  skipped: boolean,
): Finding[] {
  const where =
    source === 'flag'
      ? 'the --animations folder'
      : 'the animations folder (assetsLocation + animationsDirectory, or pass --animations <dir>)';
  return missing.map(({ file, state, usedBy, existsAsAbsolute }) => {
    const others = usedBy.slice(1).map((o) => o.replace(/\.animationPath$/, ''));
    const head =
      `animation file ${state === 'folder' ? 'is a folder' : 'not found'}: ${file} (looked in ${where})` +
      (existsAsAbsolute
        ? `; ${existsAsAbsolute} exists, but animationPath is read inside the animations folder, as CharacterStudio reads it: give the path relative to that folder, or pass --animations <its folder>`
        : '');
    const tail = skipped
      ? `; skipped (${SKIP_MISSING_ANIMATIONS_FLAG})${others.length > 0 ? `, and with it ${others.join(', ')}` : ''}`
      : others.length > 0
        ? `; also used by ${others.join(', ')}`
        : '';
    return {
      severity: skipped ? 'warning' : 'error',
      file: manifestFile,
      path: usedBy[0]!,
      message: head + tail,
    } satisfies Finding;
  });
}

/**
 * What to do about missing animation files, in one line after the findings: how many entries they stop, and
 * the ways on (add the files, point `--animations` elsewhere, or skip those entries). Null when none is missing.
 */
export function missingAnimationsHint(
  missing: MissingAnimationFile[],
  entryCount: number,
  skipped: boolean,
): string | null {
  if (missing.length === 0) return null;
  const stopped = new Set(missing.flatMap((m) => m.usedBy)).size;
  const files = `${missing.length} animation file${missing.length === 1 ? '' : 's'}`;
  const entries = `${stopped} of ${entryCount} entr${entryCount === 1 ? 'y' : 'ies'}`;
  if (skipped)
    return `${files} not found: ${entries} skipped, ${entryCount - stopped} run (${SKIP_MISSING_ANIMATIONS_FLAG})`;
  const rest = entryCount - stopped;
  const folders = new Set(missing.map((m) => path.dirname(m.file)));
  const folder = folders.size === 1 ? [...folders][0]! : 'the animations folder';
  const them = missing.length === 1 ? 'it' : 'them';
  return (
    `${files} not found, used by ${entries}: add ${them} to ${folder}, point --animations at the folder that has ${them}` +
    (rest > 0 ? `, or run the other ${rest} with ${SKIP_MISSING_ANIMATIONS_FLAG}` : '')
  );
}
