import fs from 'node:fs';
import { PipelineInputError } from '@vrm-lora/pipeline';
// ioredis is BullMQ's Redis driver: BullMQ loads it itself (an optional peer), these are its options.
import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';

/** TLS settings beside a `rediss://` URL. */
export interface QueueTlsOptions {
  /** PEM file of the certificate authority that signed Redis's certificate (a private CA). */
  caFile?: string;
  /** PEM files of a client certificate and its key, for Redis servers that ask for one. */
  certFile?: string;
  keyFile?: string;
}

/**
 * The Redis connection of a queue URL: `redis://[user[:password]@]host[:port][/db]`, or `rediss://…` for TLS
 * (server certificate checked against the system's CAs, or `tls.caFile`). An ACL user and password come from
 * the URL; a password may instead come from `$VRM_LORA_REDIS_PASSWORD`, so it is not in the process list.
 * Commands wait through a lost connection (ioredis reconnects on its own) instead of failing.
 */
export function queueConnectionOf(
  url: string,
  tls: QueueTlsOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PipelineInputError(`--queue ${url}: not a URL; give redis://host:6379 (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new PipelineInputError(
      `--queue ${redactedQueueUrl(url)}: the scheme must be redis:// or rediss:// (TLS), not ${parsed.protocol}//`,
    );
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new PipelineInputError(
      `--queue ${redactedQueueUrl(url)}: the path is a database number (/0), not "${db}"`,
    );
  const password = parsed.password ? decodeURIComponent(parsed.password) : env.VRM_LORA_REDIS_PASSWORD;
  const readPem = (file: string | undefined) => (file ? fs.readFileSync(file) : undefined);
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(password ? { password } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(parsed.protocol === 'rediss:'
      ? {
          tls: {
            servername: parsed.hostname,
            ...(tls.caFile ? { ca: readPem(tls.caFile) } : {}),
            ...(tls.certFile ? { cert: readPem(tls.certFile) } : {}),
            ...(tls.keyFile ? { key: readPem(tls.keyFile) } : {}),
          },
        }
      : {}),
    maxRetriesPerRequest: null,
  };
  return options as ConnectionOptions;
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redactedQueueUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
