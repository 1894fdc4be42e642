// The built renderer over HTTP: strict headers, client-side routes, and no way out of the folder.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestWebHost, type TestWebHost } from '../helpers/web';

const INDEX = '<!doctype html><title>Postdesk</title><script type="module" src="/assets/app-3f2a.js"></script>';
const APP_JS = 'console.log("postdesk");';
const SECRET = 'TOP-SECRET-CONTENT';

let host: TestWebHost;
let outer: string;
let site: string;

beforeAll(async () => {
  // outer/site is served; outer/secret.txt and outer/site-secret/ sit right beside it.
  outer = mkdtempSync(join(tmpdir(), 'postdesk-static-'));
  site = join(outer, 'site');
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), INDEX);
  writeFileSync(join(site, 'assets', 'app-3f2a.js'), APP_JS);
  writeFileSync(join(outer, 'secret.txt'), SECRET);
  mkdirSync(join(outer, 'site-secret'));
  writeFileSync(join(outer, 'site-secret', 's.txt'), SECRET);
  symlinkSync(join(outer, 'secret.txt'), join(site, 'link.txt'));
  host = await startTestWebHost({ staticDir: site });
});
afterAll(async () => {
  await host?.cleanup();
  rmSync(outer, { recursive: true, force: true });
});

const get = (path: string, method = 'GET') => rawRequest({ port: host.port, path, method });

describe('web host: the renderer', () => {
  it('given the built renderer, when / is opened, then index.html comes with a strict CSP naming our port', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const p = host.port;
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; connect-src 'self' ws://127.0.0.1:${p} ws://localhost:${p}; img-src 'self' data: blob:; ` +
        "style-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('given a client-side route, when it is reloaded, then index.html is served', async () => {
    for (const path of ['/calendar', '/inbox/thread/42', '/settings?tab=ai']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.text).toBe(INDEX);
    }
  });

  it('given a fingerprinted asset, when it is fetched, then it is JavaScript and cached for good; HEAD has no body', async () => {
    const res = await get('/assets/app-3f2a.js');
    expect(res.status).toBe(200);
    expect(res.text).toBe(APP_JS);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toContain('immutable');
    const head = await get('/assets/app-3f2a.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-length']).toBe(String(APP_JS.length));
  });

  it('given a missing asset, when it is fetched, then 404 (not index.html, which a browser would run as script)', async () => {
    const res = await get('/assets/gone-1234.js');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<!doctype');
  });

  it('given paths that try to leave the folder, when fetched, then nothing outside is ever served', async () => {
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/..%2fsite-secret%2fs.txt',
      '/link.txt',
      '/secret.txt%00.js',
      '/%E0%A4%A',
      '/' + '..%2f'.repeat(20) + 'etc%2fpasswd',
      '//etc/passwd',
    ];
    for (const path of attempts) {
      const res = await get(path);
      expect([200, 400, 404], path).toContain(res.status);
      expect(res.text, path).not.toContain(SECRET);
      expect(res.text, path).not.toContain('root:');
      if (res.status === 200) expect(res.text, path).toBe(INDEX);
    }
  });

  it('given a POST outside /api, when sent, then 405', async () => {
    const res = await get('/', 'POST');
    expect(res.status).toBe(405);
    expect(res.json).toMatchObject({ code: 'invalid_input' });
  });
});

describe('web host: without a built renderer', () => {
  it('given no static folder, when / is opened, then 404 says how to build it, and the API still works', async () => {
    const bare = await startTestWebHost();
    try {
      const res = await rawRequest({ port: bare.port, path: '/' });
      expect(res.status).toBe(404);
      expect(res.text).toContain('npm run build');
      expect((await bare.call('app.info', {})).host).toBe('web');
    } finally {
      await bare.cleanup();
    }
  });
});
