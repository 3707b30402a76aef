import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PreviewServer, startPreviewServer } from '../src/start-preview-server.js';
import { initialWatchState } from '../src/watch-state.js';

// The page server on a real socket, asked with raw request paths (a WHATWG URL or fetch would resolve `..`
// before sending): it must serve the output folder's files and its own assets, and nothing else on disk.

let dir: string;
let out: string;
let server: PreviewServer;
let port: number;
const SECRET = 'secret outside the output folder';

/** GET `rawPath` exactly as written, with `host` as the Host header. */
function get(rawPath: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-preview-'));
  out = path.join(dir, 'out');
  await fs.mkdir(path.join(out, 'img'), { recursive: true });
  await fs.writeFile(path.join(out, 'img', 'a b.txt'), 'inside');
  await fs.writeFile(path.join(dir, 'secret.txt'), SECRET);
  await fs.mkdir(path.join(dir, 'outside'));
  await fs.writeFile(path.join(dir, 'outside', 'secret.txt'), SECRET);
  await fs.symlink(path.join(dir, 'secret.txt'), path.join(out, 'link-out.txt'));
  await fs.symlink(path.join(dir, 'outside'), path.join(out, 'dir-out'));
  await fs.symlink(path.join(out, 'img', 'a b.txt'), path.join(out, 'link-in.txt'));
  const state = initialWatchState(path.join(dir, 'manifest.json'), out);
  server = await startPreviewServer({ watcher: { state: () => state, subscribe: () => () => {} } });
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('preview server', () => {
  it('listens on 127.0.0.1 and serves its page, its state and the output folder', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/preview.js"></script>');
    expect((await get('/preview.js')).body).toMatch(/new EventSource\(["']\/events["']\)/);
    expect(JSON.parse((await get('/state.json')).body)).toMatchObject({ outDir: out, status: 'starting' });
    expect(await get('/files/img/a%20b.txt')).toEqual({ status: 200, body: 'inside' });
    // A link that stays inside the output folder is fine.
    expect(await get('/files/link-in.txt')).toEqual({ status: 200, body: 'inside' });
  });

  const outside = [
    '/files/../secret.txt',
    '/files/img/../../secret.txt',
    '/files/%2e%2e/secret.txt',
    '/files/%2E%2E%2Fsecret.txt',
    '/files/img/%2e%2e/%2e%2e/secret.txt',
    '/files/..%2fsecret.txt',
    '/files/..%5csecret.txt',
    '/files/%252e%252e/secret.txt',
    '/files//etc/passwd',
    '/files/%2Fetc%2Fpasswd',
    '/files/link-out.txt',
    '/files/dir-out/secret.txt',
    '/files/img',
    '/files/%',
    '/files/img/a%00.txt',
    '/../secret.txt',
    '/secret.txt',
  ];
  it.each(outside)('refuses %s', async (raw) => {
    const res = await get(raw);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses an absolute path to a real file outside', async () => {
    const res = await get(`/files/${encodeURIComponent(path.join(dir, 'secret.txt'))}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain(SECRET);
  });

  it('refuses another Host (DNS rebinding) and other methods', async () => {
    expect((await get('/files/img/a%20b.txt', 'evil.example:80')).status).toBe(403);
    const post = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/', method: 'POST' }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(post).toBe(405);
  });
});
