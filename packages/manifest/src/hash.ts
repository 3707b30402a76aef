// Hashes and canonical JSON: one home for every package (cache keys, entry ids, clip ids, the page bundle's
// hash, the dataset index). Node-only and zod-free (`@vrm-lora/manifest/hash`).
import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
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

/**
 * Files' sha256 remembered by what `stat` says of them (device, inode, size, nanosecond modification and change
 * times), for a process that looks at the same files again and again (`vrm-lora watch`: the avatar, the clips,
 * every cached image, every dataset file, on each cycle). A file whose stat is unchanged is not read again. As
 * git does against "racy" timestamps, a hash is remembered only when the file's change time is `racyMs` or
 * more in the past, so an in-place write within a coarse timestamp's tick is never missed.
 */
export class FileHashMemo {
  private readonly known = new Map<string, { signature: string; sha256: string }>();

  constructor(private readonly racyMs = 2000) {}

  /** The file's bytes and their sha256 (hashed only when its stat changed since it was remembered). */
  async read(file: string): Promise<{ bytes: Buffer; sha256: string }> {
    const before = await fs.stat(file, { bigint: true });
    const bytes = await fs.readFile(file);
    const remembered = this.recall(file, before);
    if (remembered) return { bytes, sha256: remembered };
    const hash = sha256(bytes);
    await this.remember(file, hash, before);
    return { bytes, sha256: hash };
  }

  /** The file's sha256, read and hashed only when its stat changed since it was remembered. */
  async sha256File(file: string): Promise<string> {
    const before = await fs.stat(file, { bigint: true });
    const remembered = this.recall(file, before);
    if (remembered) return remembered;
    const hash = sha256(await fs.readFile(file));
    await this.remember(file, hash, before);
    return hash;
  }

  /** Records that `file` (just written, or just read) holds bytes with this sha256. */
  async remember(file: string, hash: string, before?: BigIntStats): Promise<void> {
    const after = await fs.stat(file, { bigint: true }).catch(() => null);
    // Changed while being read, or too fresh to trust its times: not remembered (it is hashed next time).
    if (!after || (before && signatureOf(before) !== signatureOf(after))) return void this.known.delete(file);
    if (Date.now() - Number(after.ctimeMs) < this.racyMs) return void this.known.delete(file);
    this.known.set(file, { signature: signatureOf(after), sha256: hash });
  }

  private recall(file: string, stats: BigIntStats): string | null {
    const entry = this.known.get(file);
    return entry && entry.signature === signatureOf(stats) ? entry.sha256 : null;
  }
}

function signatureOf(s: BigIntStats): string {
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}
