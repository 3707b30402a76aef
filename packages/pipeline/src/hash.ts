import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

/** sha256 (hex) of bytes or a string. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 (hex) of a file's bytes; file times never enter a key. */
export async function sha256File(file: string): Promise<string> {
  return sha256(await fs.readFile(file));
}

/**
 * JSON with object keys sorted at every depth, so equal values give equal text (and equal hashes)
 * whatever order their keys were built in. `undefined` members are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
