import { describe, expect, test } from 'vitest';
import { PAGE_CSP, startPageServer } from '../src/page-server.js';

describe('the render page server', () => {
  test('serves page, bundle and avatar bytes under an unguessable prefix on loopback; refuses the rest', async () => {
    const logs: string[] = [];
    const script = Buffer.from('window.loaded = 1;');
    const server = await startPageServer({ script, onLog: (line) => logs.push(line) });
    try {
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const prefix = new URL(server.pageUrl).pathname.split('/')[1]!;
      expect(prefix).toMatch(/^[0-9a-f]{32}$/);

      const page = await fetch(server.pageUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(PAGE_CSP);
      const html = await page.text();
      const scriptUrl = new URL(/src="([^"]+)"/.exec(html)![1]!, server.origin);
      expect(Buffer.from(await (await fetch(scriptUrl)).arrayBuffer())).toEqual(script);

      const avatar = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) & 255);
      server.setAvatar('a b/c', avatar);
      const got = await fetch(server.avatarUrl('a b/c'));
      expect(got.headers.get('content-type')).toBe('application/octet-stream');
      expect(new Uint8Array(await got.arrayBuffer())).toEqual(avatar);

      // Without the prefix, or an unknown avatar: 404, logged.
      expect((await fetch(`${server.origin}/avatar/${encodeURIComponent('a b/c')}`)).status).toBe(404);
      expect((await fetch(server.avatarUrl('missing'))).status).toBe(404);
      expect((await fetch(server.pageUrl, { method: 'POST', body: 'x' })).status).toBe(404);
      expect(logs).toHaveLength(3);
      expect(logs[0]).toBe(`render page server: refused GET /avatar/${encodeURIComponent('a b/c')}`);
    } finally {
      await server.close();
    }
  });

  test("the policy lets the page reach its own origin only (and blob:/data: for the VRM's embedded images)", () => {
    const directives = new Map(
      PAGE_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'blob:', 'data:']);
    expect(directives.get('img-src')).toEqual(["'self'", 'blob:', 'data:']);
  });
});
