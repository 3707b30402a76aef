// The render page's only server: plain HTTP on 127.0.0.1 under an unguessable path prefix, serving the page,
// its bundle and the avatars from memory as bytes. (Answering requests through Playwright's `route` sends
// every body base64-encoded over the DevTools protocol: a 10 MB avatar took 270 ms to arrive that way, 60 ms
// from here.) The page's Content-Security-Policy allows its own origin only, so a VRM that names an external
// texture URL makes no request at all: the browser blocks it before it leaves, and the page reports the
// violation, which the renderer logs.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Allows the page's own origin only; `blob:` for the textures GLTFLoader unpacks from the VRM's buffers. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self' blob: data:; img-src 'self' blob: data:; " +
  "style-src 'unsafe-inline'; worker-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";

export interface PageServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The page's HTML. */
  readonly pageUrl: string;
  /** Where the page fetches the avatar stored under `key`. */
  avatarUrl(key: string): string;
  /** Makes `bytes` available at {@link avatarUrl}(key). */
  setAvatar(key: string, bytes: Uint8Array): void;
  close(): Promise<void>;
}

export interface PageServerOptions {
  /** The page bundle (JavaScript). */
  script: Uint8Array;
  /** Diagnostics: requests the server refuses. */
  onLog?: (line: string) => void;
}

/** Starts the server on an ephemeral loopback port. */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const log = options.onLog ?? (() => {});
  const prefix = `/${randomBytes(16).toString('hex')}`;
  const scriptPath = `${prefix}/page.js`;
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>vrm-lora renderer</title></head>' +
    `<body style="margin:0;background:transparent"><script src="${scriptPath}"></script></body></html>`;
  const avatars = new Map<string, Uint8Array>();

  const send = (
    response: http.ServerResponse,
    status: number,
    type: string,
    body: Uint8Array | string,
    extra: Record<string, string> = {},
  ) => {
    response.writeHead(status, {
      'content-type': type,
      'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
      'cache-control': 'no-store',
      ...extra,
    });
    response.end(body);
  };

  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method === 'GET' && path === `${prefix}/index.html`) {
      return send(response, 200, 'text/html; charset=utf-8', html, { 'content-security-policy': PAGE_CSP });
    }
    if (request.method === 'GET' && path === scriptPath) {
      return send(response, 200, 'text/javascript; charset=utf-8', options.script);
    }
    if (request.method === 'GET' && path.startsWith(`${prefix}/avatar/`)) {
      const bytes = avatars.get(decodeURIComponent(path.slice(prefix.length + '/avatar/'.length)));
      if (bytes) return send(response, 200, 'application/octet-stream', bytes);
    }
    // The favicon a browser asks for by itself: nothing, quietly (a 404 would show in the page console).
    if (path === '/favicon.ico') return send(response, 204, 'image/x-icon', '');
    log(`render page server: refused ${request.method} ${path.slice(0, 200)}`);
    send(response, 404, 'text/plain', 'not found');
  });
  // Connections are local and short; no keep-alive timer keeps Node running after close().
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    pageUrl: `${origin}${prefix}/index.html`,
    avatarUrl: (key) => `${origin}${prefix}/avatar/${encodeURIComponent(key)}`,
    setAvatar: (key, bytes) => {
      avatars.set(key, bytes);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
