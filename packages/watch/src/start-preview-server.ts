import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PREVIEW_CSS, previewHtml, previewScript } from './preview-page.js';
import { resolveServedFile } from './resolve-served-file.js';
import type { ManifestWatcher, WatchEvent } from './watch-manifest.js';
import type { WatchState } from './watch-state.js';

/** The preview page's server. */
export interface PreviewServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Ends the live connections and stops listening. */
  close(): Promise<void>;
}

export interface PreviewServerOptions {
  watcher: Pick<ManifestWatcher, 'state' | 'subscribe'>;
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.caption': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/json',
  '.toml': 'text/plain; charset=utf-8',
  '.html': 'text/plain; charset=utf-8',
};

/** The page's own assets, by URL path. */
const ASSETS: Record<string, { type: string; body: () => string }> = {
  '/': { type: 'text/html; charset=utf-8', body: previewHtml },
  '/preview.js': { type: 'text/javascript; charset=utf-8', body: previewScript },
  '/preview.css': { type: 'text/css; charset=utf-8', body: () => PREVIEW_CSS },
};

/** The events that change what the page shows (a cycle's own pipeline events are sent as progress). */
const STATE_EVENTS = new Set<WatchEvent['type']>(['cycle-start', 'cycle-end', 'cycle-error', 'cycle-failed']);

/**
 * Serves the live preview page on 127.0.0.1 only: the page and its script and style, the watch state
 * (`/state.json`, and pushed as server-sent events on `/events`), and the output folder's files under
 * `/files/` — nothing else on disk. Requests whose Host is not this loopback address are refused.
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const { watcher } = options;
  const streams = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  let port = 0;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return send(res, 403, 'wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'GET only');
    // The raw path, not a URL object's: WHATWG URLs would resolve `..` and `%2e%2e` before we see them.
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    const asset = ASSETS[rawPath];
    if (asset) {
      res.writeHead(200, {
        'Content-Type': asset.type,
        'Cache-Control': 'no-store',
        'Content-Security-Policy': "default-src 'self'; img-src 'self'; frame-ancestors 'none'",
      });
      return void res.end(req.method === 'HEAD' ? undefined : asset.body());
    }
    if (rawPath === '/state.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return void res.end(JSON.stringify(watcher.state()));
    }
    if (rawPath === '/events') return openEventStream(res);
    if (rawPath.startsWith('/files/'))
      return serveOutputFile(req, res, watcher.state().outDir, rawPath.slice('/files/'.length));
    send(res, 404, 'not found');
  };

  const openEventStream = (res: http.ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    streams.add(res);
    res.on('close', () => streams.delete(res));
    res.write(sse('state', watcher.state()));
  };

  const unsubscribe = watcher.subscribe((event, state: WatchState) => {
    const message = pageMessageOf(event, state);
    if (message) for (const res of streams) res.write(message);
  });
  const keepAlive = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      unsubscribe();
      clearInterval(keepAlive);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A file of the output folder (`relative` as requested, checked by `resolveServedFile`), or 404. */
async function serveOutputFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  outDir: string,
  relative: string,
): Promise<void> {
  const file = await resolveServedFile(outDir, relative);
  if (!file) return send(res, 404, 'not found');
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** What the page is sent for a watcher event: the new state, a shot's progress, or nothing. */
function pageMessageOf(event: WatchEvent, state: WatchState): string | null {
  if (STATE_EVENTS.has(event.type)) return sse('state', state);
  if (event.type === 'pipeline' && event.event.type === 'item')
    return sse('progress', {
      cycle: event.cycle,
      stage: event.event.stage,
      number: event.event.number,
      status: event.event.status,
    });
  return null;
}

function send(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
