import fs from 'node:fs/promises';
import path from 'node:path';
import type { RegImages } from './dataset-types.js';

/** The folder of user-supplied regularisation (class) images inside the output folder. */
export const REG_DIR = 'reg';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp']);

/**
 * The regularisation images in `<outDir>/reg/` (PNG, JPEG or WebP, not in subfolders), or `null` when the folder
 * is absent or holds none. `captioned` says whether every image has `<stem>.<captionExtension>` beside it,
 * `onlyImages` whether the folder holds anything else (caption files included).
 */
export async function findRegImages(outDir: string, captionExtension: string): Promise<RegImages | null> {
  const dir = path.join(outDir, REG_DIR);
  const names = await fs.readdir(dir).catch(() => null);
  if (!names) return null;
  const present = new Set(names);
  const images = names
    .filter((name) => IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (images.length === 0) return null;
  const captioned = images.every((name) =>
    present.has(`${name.slice(0, name.length - path.extname(name).length)}.${captionExtension}`),
  );
  return { dir: REG_DIR, images, captioned, onlyImages: images.length === names.length };
}
