// Hashes and canonical JSON: one home for every package (cache keys, entry ids, clip ids, the page bundle's
// hash, the dataset index). Node-only and zod-free (`@vrm-lora/manifest/hash`).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { configure } from 'safe-stable-stringify';

/** sha256 (hex) of bytes or a string (UTF-8). */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 (hex) of a file's bytes; file times never enter a key. */
export async function sha256File(file: string): Promise<string> {
  return sha256(await fs.readFile(file));
}

// Keys sorted at every depth (by UTF-16 code units, as Array.prototype.sort), undefined members dropped and
// undefined array items written as null, as JSON.stringify does; a cycle throws instead of being written.
const stableStringify = configure({ deterministic: true, circularValue: TypeError });

/**
 * JSON with object keys sorted at every depth, so equal values give equal text (and equal hashes)
 * whatever order their keys were built in. `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  const text = stableStringify(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}
