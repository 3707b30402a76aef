import fs from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@vrm-lora/manifest/hash';
import { RenderError } from './render-error.js';

/** The page bundle built by `scripts/build-page.mjs` (same relative path from `src/` and `dist/`). */
export const PAGE_BUNDLE_PATH = fileURLToPath(new URL('../dist/page/page.js', import.meta.url));

export interface PageBundle {
  script: Buffer;
  sha256: string;
}

/** Reads the page bundle and hashes it; a clear error when it has not been built. */
export function readPageBundle(bundlePath: string = PAGE_BUNDLE_PATH): PageBundle {
  let script: Buffer;
  try {
    script = fs.readFileSync(bundlePath);
  } catch {
    throw new RenderError(
      'page-bundle-missing',
      `the renderer's page bundle ${bundlePath} is missing; build it with \`pnpm --filter @vrm-lora/renderer build\``,
    );
  }
  return { script, sha256: sha256(script) };
}

/** Versions of the libraries bundled into the page (three, three-vrm), from their package.json; `bundled` if unknown. */
export function pageLibraryVersions(): { three: string; threeVrm: string } {
  const require = createRequire(import.meta.url);
  const versionOf = (name: string) => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'bundled';
    }
  };
  return { three: versionOf('three'), threeVrm: versionOf('@pixiv/three-vrm') };
}
