import fs from 'node:fs/promises';
import path from 'node:path';

/** True when `file` is `root` itself or lies under it (both absolute, normalised). */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The file under `root` that a URL path names (`encodedPath`: still percent-encoded, relative to the
 * route), or null when it names anything else: a `..` segment (plain or `%2e%2e`), an absolute path, a
 * backslash or NUL, a malformed escape, something that is not a regular file, or a symbolic link (at any
 * depth) that leads out of `root`.
 */
export async function resolveServedFile(root: string, encodedPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedPath);
  } catch {
    return null;
  }
  if (decoded === '' || decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.startsWith('/') || path.isAbsolute(decoded)) return null;
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  const rootReal = await fs.realpath(root).catch(() => null);
  if (!rootReal) return null;
  const candidate = path.resolve(rootReal, decoded);
  if (!isInside(rootReal, candidate)) return null;
  // Links are followed, then the real path must still be inside the (real) output folder.
  const real = await fs.realpath(candidate).catch(() => null);
  if (!real || !isInside(rootReal, real)) return null;
  const stat = await fs.stat(real).catch(() => null);
  return stat?.isFile() ? real : null;
}
