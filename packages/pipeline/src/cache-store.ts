import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson, FileHashMemo, sha256 } from '@vrm-lora/manifest/hash';
import { HOST_TAG } from './host-tag.js';

/**
 * Everything that decides one cached item's content. The pipeline alone turns it into a key
 * (`cacheKeyOf`), so each stage only declares what goes in.
 */
export interface CacheKeyInputs {
  /** Stage name, e.g. `render`. */
  stage: string;
  /** The stage's code version: a bug fix bumps it and invalidates old items. */
  stageVersion: string;
  /** Resolved parameters that change the output. */
  params: Record<string, unknown>;
  /** Input files by role, as sha256 of their bytes (never paths or times). */
  inputs: Record<string, string>;
  /** Keys of the upstream items this one is made from. */
  upstream: Record<string, string>;
  /** Runtime facts that change the output (page bundle hash, library and browser versions, GL backend). */
  runtime: Record<string, string>;
}

/** The cache folder of a run writing into `outDir`: `cacheDir` when given, else `<outDir>/.vrm-lora-cache`. */
export function cacheDirFor(outDir: string, cacheDir: string | undefined): string {
  return cacheDir ?? path.join(outDir, '.vrm-lora-cache');
}

/** The canonical key (sha256 hex) of a stage item. */
export function cacheKeyOf(inputs: CacheKeyInputs): string {
  return sha256(canonicalJson(inputs));
}

/** One item as stored: named files plus a JSON value. */
export interface CacheItem<T = unknown> {
  key: string;
  keyInputs: CacheKeyInputs;
  value: T;
  /** Absolute paths of the stored files by name. */
  files: Record<string, string>;
  /** The stored files' sha256 by name (checked on `get`, computed on `put`: no need to hash them again). */
  fileSha256: Record<string, string>;
}

interface StoredManifest {
  key: string;
  keyInputs: CacheKeyInputs;
  value: unknown;
  files: Record<string, { sha256: string; bytes: number }>;
}

/** Why an item was not served from the cache. */
export type CacheMissReason = 'absent' | 'corrupt';

/**
 * A content-addressed store, one folder per item: `<root>/<stage>/<key[0..2]>/<key>/`, holding
 * `item.json` (key inputs, value, file hashes) and the item's files. Items are built in a temp folder and
 * renamed into place, so a reader sees a whole item or none; two writers of one key both produce the same
 * content (outputs are reproducible), and the loser of the rename simply discards its copy.
 */
export class CacheStore {
  /**
   * @param root Cache folder (created on first write).
   * @param hashes Where files' hashes are remembered between checks (a watcher's, kept across its cycles).
   */
  constructor(
    readonly root: string,
    private readonly hashes: FileHashMemo = new FileHashMemo(),
  ) {}

  private itemDir(stage: string, key: string): string {
    return path.join(this.root, stage, key.slice(0, 2), key);
  }

  /**
   * The item under `key`, with every file checked against its recorded hash. A missing or damaged item
   * is a miss (and a damaged one is removed so it is recomputed).
   */
  async get<T>(stage: string, key: string): Promise<{ hit: CacheItem<T> } | { miss: CacheMissReason }> {
    const dir = this.itemDir(stage, key);
    let stored: StoredManifest;
    try {
      stored = JSON.parse(await fs.readFile(path.join(dir, 'item.json'), 'utf8')) as StoredManifest;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { miss: 'absent' };
      await fs.rm(dir, { recursive: true, force: true });
      return { miss: 'corrupt' };
    }
    const files: Record<string, string> = {};
    const fileSha256: Record<string, string> = {};
    for (const [name, rec] of Object.entries(stored.files ?? {})) {
      const file = path.join(dir, name);
      let hash: string;
      try {
        hash = await this.hashes.sha256File(file);
      } catch {
        await fs.rm(dir, { recursive: true, force: true });
        return { miss: 'corrupt' };
      }
      if (hash !== rec.sha256) {
        await fs.rm(dir, { recursive: true, force: true });
        return { miss: 'corrupt' };
      }
      files[name] = file;
      fileSha256[name] = rec.sha256;
    }
    if (stored.key !== key) {
      await fs.rm(dir, { recursive: true, force: true });
      return { miss: 'corrupt' };
    }
    return { hit: { key, keyInputs: stored.keyInputs, value: stored.value as T, files, fileSha256 } };
  }

  /**
   * Whether an item is stored under `key`, without checking its files (cheap; `get` verifies). For
   * decisions that may be wrong at no cost, such as warming the browser up early.
   */
  async has(stage: string, key: string): Promise<boolean> {
    return fs.access(path.join(this.itemDir(stage, key), 'item.json')).then(
      () => true,
      () => false,
    );
  }

  /** Stores an item atomically and returns it as stored. */
  async put<T>(
    keyInputs: CacheKeyInputs,
    value: T,
    files: Record<string, Uint8Array> = {},
  ): Promise<CacheItem<T>> {
    const key = cacheKeyOf(keyInputs);
    const dir = this.itemDir(keyInputs.stage, key);
    const tmpRoot = path.join(this.root, '.tmp');
    // The host's tag: on a cache shared between machines, a pid says whether the writer lives only on its own host.
    const tmp = path.join(
      tmpRoot,
      `${key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}-${HOST_TAG}`,
    );
    await fs.mkdir(tmp, { recursive: true });
    const record: StoredManifest = { key, keyInputs, value, files: {} };
    try {
      for (const [name, bytes] of Object.entries(files)) {
        if (name.includes('/') || name.includes('\\') || name === 'item.json') {
          throw new Error(`invalid cache file name ${JSON.stringify(name)}`);
        }
        await fs.writeFile(path.join(tmp, name), bytes);
        record.files[name] = { sha256: sha256(bytes), bytes: bytes.length };
      }
      // item.json last: an item folder without it is never read as whole.
      await fs.writeFile(path.join(tmp, 'item.json'), `${JSON.stringify(record, null, 2)}\n`);
      await fs.mkdir(path.dirname(dir), { recursive: true });
      try {
        await fs.rename(tmp, dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
        // Someone stored the same key first; if theirs is damaged, replace it.
        const existing = await this.get<T>(keyInputs.stage, key);
        if ('hit' in existing) return existing.hit;
        await fs.rename(tmp, dir);
      }
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
    const out: Record<string, string> = {};
    const fileSha256: Record<string, string> = {};
    for (const [name, rec] of Object.entries(record.files)) {
      out[name] = path.join(dir, name);
      fileSha256[name] = rec.sha256;
    }
    return { key, keyInputs, value, files: out, fileSha256 };
  }
}
