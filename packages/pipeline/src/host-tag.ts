import { createHash } from 'node:crypto';
import os from 'node:os';

/**
 * 8 hex digits naming this host (from its host name) in the cache's temp names, so a cache on storage shared
 * between machines tells its own half-built items (whose writer's pid it can check) from other hosts'.
 */
export const HOST_TAG = createHash('sha256').update(os.hostname()).digest('hex').slice(0, 8);
