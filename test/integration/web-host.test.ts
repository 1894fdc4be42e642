// The web host's guards and transport, through real sockets against a real database file.
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methods } from '../../electron/api/index';
import { events as eventSchemas } from '../../electron/api/events';
import { EVENTS_PATH, WS_AUTH_PROTOCOL_PREFIX, WS_PROTOCOL, type ApiListing } from '../../electron/host/web';
import { postApi, rawRequest, startTestWebHost, type TestWebHost } from '../helpers/web';

let host: TestWebHost;
beforeAll(async () => {
  host = await startTestWebHost();
});
afterAll(async () => host?.cleanup());

const auth = () => ({ Authorization: `Bearer ${host.token}` });

/** Resolves with the HTTP status a refused handshake got, or 101 when it was accepted. */
function wsHandshake(protocols: string[], headers: Record<string, string> = {}, path = EVENTS_PATH): Promise<{ status: number; ws?: WebSocket; body?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, protocols, { headers, handshakeTimeout: 5_000 });
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => {
      // 'unexpected-response' handled it; other errors (reset, timeout) fail the test.
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

function expectTypedError(res: { status: number; json: unknown }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({ code, message: expect.any(String) });
  expect((res.json as { message: string }).message.length).toBeGreaterThan(10);
}

describe('web host: who may call', () => {
  it('given no token, when a method is called, then 401 unauthorized and nothing runs', async () => {
    const res = await postApi(host.port, undefined, 'workspaces.create', JSON.stringify({ name: 'Sneaky', timezone: 'UTC' }));
    expectTypedError(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(host.core.ctx.db.sqlite.prepare('select count(*) as n from workspaces').get()).toEqual({ n: 0 });
  });

  it('given a wrong token, when a method is called, then 401 unauthorized', async () => {
    const wrong = host.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expectTypedError(await postApi(host.port, wrong, 'app.info', '{}'), 401, 'unauthorized');
    expectTypedError(await postApi(host.port, 'short', 'app.info', '{}'), 401, 'unauthorized');
    expectTypedError(await postApi(host.port, undefined, 'app.info', '{}', { Authorization: `Basic ${host.token}` }), 401, 'unauthorized');
    // The token must be the whole header value, not a prefix of it.
    expectTypedError(await postApi(host.port, undefined, 'app.info', '{}', { Authorization: `Bearer ${host.token}x` }), 401, 'unauthorized');
  });

  it('given no token, when GET /api is asked, then 401: even the listing needs the token', async () => {
    expectTypedError(await rawRequest({ port: host.port, path: '/api' }), 401, 'unauthorized');
  });

  it('given the right token, when app.info is called, then 200 with the result', async () => {
    const res = await postApi(host.port, host.token, 'app.info', '{}');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ result: { host: 'web', dataDir: host.dir } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('given a foreign Origin with the right token, when a method is called, then 403 forbidden', async () => {
    for (const origin of ['https://evil.example', `http://127.0.0.1:${host.port + 1}`, `https://127.0.0.1:${host.port}`, 'null']) {
      const res = await postApi(host.port, host.token, 'workspaces.create', JSON.stringify({ name: 'CSRF', timezone: 'UTC' }), { Origin: origin });
      expectTypedError(res, 403, 'forbidden');
    }
    expect(host.core.ctx.db.sqlite.prepare('select count(*) as n from workspaces').get()).toEqual({ n: 0 });
  });

  it('given our own Origin, when a method is called, then it is served', async () => {
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`]) {
      expect((await postApi(host.port, host.token, 'app.info', '{}', { Origin: origin })).status).toBe(200);
    }
  });

  it('given a non-loopback Host header (DNS rebinding), when anything is asked, then 403 forbidden', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`, '127.0.0.1', `127.0.0.2:${host.port}`]) {
      expectTypedError(await postApi(host.port, host.token, 'app.info', '{}', { Host: h }), 403, 'forbidden');
      // The page itself too: a rebinding page must not even load our renderer.
      expectTypedError(await rawRequest({ port: host.port, path: '/', headers: { Host: h } }), 403, 'forbidden');
    }
    for (const h of [`127.0.0.1:${host.port}`, `localhost:${host.port}`, `LOCALHOST:${host.port}`]) {
      expect((await postApi(host.port, host.token, 'app.info', '{}', { Host: h })).status).toBe(200);
    }
  });

  it('given a WebSocket without the token, when it connects, then the handshake is refused with 401', async () => {
    expect((await wsHandshake([WS_PROTOCOL])).status).toBe(401);
    expect((await wsHandshake([])).status).toBe(401);
    expect((await wsHandshake([WS_PROTOCOL, `${WS_AUTH_PROTOCOL_PREFIX}${'0'.repeat(64)}`])).status).toBe(401);
  });

  it('given a WebSocket with the token but a foreign Origin or Host, when it connects, then 403', async () => {
    const protocols = [WS_PROTOCOL, WS_AUTH_PROTOCOL_PREFIX + host.token];
    expect((await wsHandshake(protocols, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await wsHandshake(protocols, { Host: `evil.example:${host.port}` })).status).toBe(403);
  });

  it('given a WebSocket to another path, when it connects with the token, then 404', async () => {
    expect((await wsHandshake([WS_PROTOCOL, WS_AUTH_PROTOCOL_PREFIX + host.token], {}, '/api/other')).status).toBe(404);
  });

  it('given the token as a subprotocol, when a WebSocket connects, then it opens and the server selects postdesk.v1', async () => {
    const r = await wsHandshake([WS_PROTOCOL, WS_AUTH_PROTOCOL_PREFIX + host.token], { Origin: `http://127.0.0.1:${host.port}` });
    expect(r.status).toBe(101);
    expect(r.ws?.protocol).toBe(WS_PROTOCOL);
    r.ws?.close();
  });

  it('given a script with a Bearer header instead of a subprotocol, when a WebSocket connects, then it opens', async () => {
    const r = await wsHandshake([], auth());
    expect(r.status).toBe(101);
    r.ws?.close();
  });
});

describe('web host: the API over HTTP', () => {
  it('given the registry, when GET /api is asked, then every method is listed with its description and a JSON Schema', async () => {
    const res = await rawRequest({ port: host.port, path: '/api', headers: auth() });
    expect(res.status).toBe(200);
    const listing = res.json as ApiListing;
    expect(listing.methods.map((m) => m.name).sort()).toEqual(Object.keys(methods).sort());
    for (const m of listing.methods) {
      expect(m.description).toBe(methods[m.name as keyof typeof methods].description);
      expect(m.input).toMatchObject({ $schema: expect.stringContaining('json-schema.org'), type: 'object' });
    }
    const create = listing.methods.find((m) => m.name === 'workspaces.create');
    expect(create?.input).toMatchObject({ required: expect.arrayContaining(['name', 'timezone']) });
    expect(listing.events.map((e) => e.name).sort()).toEqual(Object.keys(eventSchemas).sort());
  });

  it('given a valid create, when workspaces.create is called over HTTP, then the event arrives on the WebSocket', async () => {
    const r = await wsHandshake([WS_PROTOCOL, WS_AUTH_PROTOCOL_PREFIX + host.token]);
    const ws = r.ws;
    if (!ws) throw new Error('the WebSocket did not open');
    const received = new Promise<unknown>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no event within 5 s')), 5_000);
      ws.on('message', (data) => {
        clearTimeout(t);
        resolve(JSON.parse(String(data)) as unknown);
      });
    });
    const created = await host.call('workspaces.create', { name: 'Blue Fern Bakery', timezone: 'Europe/Paris' });
    await expect(received).resolves.toEqual({ event: 'workspaces.changed', payload: { workspaceId: created.id } });
    ws.close();
  });

  it('given invalid input, when called, then 400 invalid_input with issues naming the field', async () => {
    const res = await postApi(host.port, host.token, 'workspaces.create', JSON.stringify({ name: 'X', timezone: 'Mars/Olympus' }));
    expectTypedError(res, 400, 'invalid_input');
    expect(res.json).toMatchObject({ issues: [{ path: ['timezone'] }] });
  });

  it('given an unknown method, when called, then 404 unknown_method', async () => {
    expectTypedError(await postApi(host.port, host.token, 'nope.nothing', '{}'), 404, 'unknown_method');
    expectTypedError(await postApi(host.port, host.token, '__proto__', '{}'), 404, 'unknown_method');
    expectTypedError(await postApi(host.port, host.token, 'constructor', '{}'), 404, 'unknown_method');
  });

  it('given a method that exists, when it is not POSTed, then 405 with Allow: POST', async () => {
    const res = await rawRequest({ port: host.port, path: '/api/app.info', headers: auth() });
    expectTypedError(res, 405, 'invalid_input');
    expect(res.headers.allow).toBe('POST');
  });

  it('given a body that is not JSON, when called, then 400 invalid_input', async () => {
    expectTypedError(await postApi(host.port, host.token, 'app.info', '{"name": '), 400, 'invalid_input');
    expectTypedError(await postApi(host.port, host.token, 'app.info', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1')), 400, 'invalid_input');
  });

  it('given a body that is not declared JSON, when called, then 415', async () => {
    expectTypedError(await postApi(host.port, host.token, 'app.info', '{}', { 'Content-Type': 'text/plain' }), 415, 'invalid_input');
    expectTypedError(await postApi(host.port, host.token, 'app.info', '{}', { 'Content-Type': 'application/json; charset=latin1' }), 415, 'invalid_input');
  });

  it('given no body at all, when a method without required input is called, then it runs', async () => {
    const res = await rawRequest({ port: host.port, method: 'POST', path: '/api/workspaces.list', headers: auth() });
    expect(res.status).toBe(200);
  });

  it('given a body over 5 MB, when called, then 413 and the host keeps serving', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(6 * 1024 * 1024), timezone: 'UTC' });
    expectTypedError(await postApi(host.port, host.token, 'workspaces.create', big), 413, 'invalid_input');
    // Without Content-Length (chunked): the limit is counted as bytes arrive.
    const chunked = await rawRequest({
      port: host.port,
      method: 'POST',
      path: '/api/workspaces.create',
      headers: { ...auth(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: big,
    });
    expectTypedError(chunked, 413, 'invalid_input');
    expect((await postApi(host.port, host.token, 'app.info', '{}')).status).toBe(200);
  });

  it('given a client that hangs up mid-upload, when the host reads the body, then it stays up', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(host.port, '127.0.0.1', () => {
        s.write(
          `POST /api/workspaces.create HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":',
        );
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 50);
      });
      s.on('error', () => resolve());
    });
    expect((await postApi(host.port, host.token, 'app.info', '{}')).status).toBe(200);
  });

  it('given garbage instead of HTTP, when it is sent, then the host stays up', async () => {
    await new Promise<void>((resolve) => {
      const s = connect(host.port, '127.0.0.1', () => s.end('\x00\x01GARBAGE / HTTP/9.9\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    expect((await postApi(host.port, host.token, 'app.info', '{}')).status).toBe(200);
  });
});

describe('web host: network exposure', () => {
  it('given the host, when its address is examined, then it listens on 127.0.0.1 only', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}`);
    const tryConnect = (address: string) =>
      new Promise<'connected' | 'refused'>((resolve) => {
        const s = connect({ host: address, port: host.port, timeout: 2_000 });
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', () => resolve('refused'));
        s.once('timeout', () => {
          s.destroy();
          resolve('refused');
        });
      });
    expect(await tryConnect('127.0.0.1')).toBe('connected');
    // Another loopback address on the same port proves the bind is the exact address, not 0.0.0.0.
    expect(await tryConnect('127.0.0.2')).toBe('refused');
    expect(await tryConnect('::1')).toBe('refused');
    const external = Object.values(networkInterfaces())
      .flat()
      .flatMap((a) => (a && !a.internal ? [a.address] : []));
    for (const address of external) expect(await tryConnect(address)).toBe('refused');
  });
});

describe('web host: shutdown', () => {
  it('given an open WebSocket and a kept-alive HTTP connection, when closed, then it stops promptly and says why', async () => {
    const h = await startTestWebHost();
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}${EVENTS_PATH}`, [WS_PROTOCOL, WS_AUTH_PROTOCOL_PREFIX + h.token]);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const closeCode = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const agent = new Agent({ keepAlive: true });
    await fetchKeepAlive(agent, h.port, h.token);

    const t0 = performance.now();
    await h.cleanup();
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(await closeCode).toBe(1001);
    await expect(postApi(h.port, h.token, 'app.info', '{}')).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });
});

/** One request on a keep-alive agent, leaving its socket open and idle in the pool. */
function fetchKeepAlive(agent: Agent, port: number, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/app.info', agent, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end();
  });
}
