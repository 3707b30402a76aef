import fs from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

/**
 * chokidar drops a second `change` of the same path within 50 ms of the first (its change throttle), and a
 * file's own watcher fires a further 5 ms apart at best: an editor's save right after the previous one (or
 * the write that completes a truncate) is then never reported. Each reported path is therefore looked at
 * again this long after its last event, and reported once more when it is not what the last batch saw.
 */
const RECHECK_AFTER_MS = 150;

/** What a path is now, as far as a change goes: inode, size and nanosecond times, or missing. */
function signature(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'missing';
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Watches a changing set of files and folders and reports changes in debounced batches. */
export interface FileWatcher {
  /** Watches exactly `paths` from now on (files or folders); resolves true when the set changed. */
  setPaths(paths: string[]): Promise<boolean>;
  close(): Promise<void>;
}

export interface FileWatcherOptions {
  /** Quiet time after the last change before `onChange`, ms. */
  debounceMs: number;
  /** The paths that changed (added, changed or removed) since the last call. */
  onChange: (paths: string[]) => void;
  /** Folders never watched inside a watched folder (the output folder: the watcher's own writes). */
  ignoredDirs: string[];
}

/**
 * A chokidar watcher (editors that save through a temp file and a rename are seen as one change) whose
 * changes are batched: `onChange` runs `debounceMs` after the last of them.
 */
export function createFileWatcher(options: FileWatcherOptions): FileWatcher {
  let watcher: FSWatcher | null = null;
  let watched = new Set<string>();
  let changed = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  // Each path as the last batch that held it saw it, and the re-checks waiting to run.
  const seen = new Map<string, string>();
  const rechecks = new Map<string, NodeJS.Timeout>();
  // Inside an ignored folder (the output folder, whose files each cycle writes), unless inside a watched path
  // that is itself in there (the demo's inputs sit in its output folder).
  const ignored = (file: string) =>
    options.ignoredDirs.some(
      (dir) =>
        isInside(dir, file) && ![...watched].some((w) => w !== dir && isInside(dir, w) && isInside(w, file)),
    );
  const queue = (file: string) => {
    changed.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      const batch = [...changed];
      changed = new Set();
      for (const f of batch) seen.set(f, signature(f));
      options.onChange(batch);
    }, options.debounceMs);
  };
  const onEvent = (_event: string, file: string) => {
    if (closed) return;
    queue(file);
    clearTimeout(rechecks.get(file));
    rechecks.set(
      file,
      setTimeout(() => {
        rechecks.delete(file);
        if (!closed && !changed.has(file) && signature(file) !== seen.get(file)) queue(file);
      }, options.debounceMs + RECHECK_AFTER_MS),
    );
  };
  return {
    async setPaths(paths) {
      const next = new Set(paths);
      const added = paths.filter((p) => !watched.has(p));
      const removed = [...watched].filter((p) => !next.has(p));
      watched = next;
      if (added.length === 0 && removed.length === 0) return false;
      if (!watcher) {
        const created = watch(added, { ignoreInitial: true, atomic: true, persistent: true, ignored });
        watcher = created;
        created.on('all', onEvent);
        await new Promise<void>((resolve) => created.once('ready', () => resolve()));
        return true;
      }
      if (removed.length > 0) watcher.unwatch(removed);
      if (added.length > 0) watcher.add(added);
      return true;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const t of rechecks.values()) clearTimeout(t);
      await watcher?.close();
    },
  };
}
