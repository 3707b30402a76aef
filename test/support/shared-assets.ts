import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * `../shared/assets` beside the checkout (override with `VRM_LORA_SHARED_ASSETS`), or `null` when absent.
 * When absent it says so loudly once, so a skipped real-asset test is never mistaken for a pass.
 */
export function sharedAssetsDir(): string | null {
  const dir = process.env.VRM_LORA_SHARED_ASSETS ?? path.resolve(repoRoot, '..', 'shared', 'assets');
  if (fs.existsSync(dir)) return dir;
  if (!warned) {
    warned = true;
    process.stderr.write(
      `\n!!! ../shared/assets not found at ${dir}: tests on real VRM/FBX/VRMA assets are SKIPPED.\n` +
        '!!! Set VRM_LORA_SHARED_ASSETS to the assets folder to run them.\n\n',
    );
  }
  return null;
}
let warned = false;

/** Path of one shared asset, e.g. `sharedAsset('fbx', 'Walking.fbx')`, or `null` when assets are absent. */
export function sharedAsset(...parts: string[]): string | null {
  const dir = sharedAssetsDir();
  return dir ? path.join(dir, ...parts) : null;
}

/** `../shared/examples` beside the checkout, or `null`. */
export function sharedExamplesDir(): string | null {
  const assets = sharedAssetsDir();
  const dir = assets
    ? path.resolve(assets, '..', 'examples')
    : path.resolve(repoRoot, '..', 'shared', 'examples');
  return fs.existsSync(dir) ? dir : null;
}
