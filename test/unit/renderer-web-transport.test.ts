// The renderer's web-mode transport against the real web host (HTTP + WebSocket, real database
// file): results, typed errors with issues, the token, an unreachable engine, events, reconnect.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiCallError, UNREACHABLE_MESSAGE } from '../../renderer/api/errors';
import type { ConnectionStatus, Transport } from '../../renderer/api/transport';
import { backoffDelay, createWebTransport } from '../../renderer/api/web-transport';
import { startWebHost } from '../../electron/host/web';
import { startTestWebHost, type TestWebHost } from '../helpers/web';

const opened: Array<{ close(): unknown }> = [];
const track = <T extends { close(): unknown }>(x: T): T => (opened.push(x), x);

afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function host(): Promise<TestWebHost> {
  const h = await startTestWebHost();
  opened.push({ close: () => h.cleanup() });
  return h;
}

function statusLog(t: Transport) {
  const log: Array<[ConnectionStatus, boolean]> = [];
  t.onStatus((s, reconnected) => log.push([s, reconnected]));
  return log;
}

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function rejection(p: Promise<unknown>): Promise<ApiCallError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiCallError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('renderer web transport', () => {
  it('given the token, when calling a method, then the result comes back unwrapped', async () => {
    const h = await host();
    const t = track(createWebTransport({ baseUrl: h.url, token: h.token }));
    const ws = (await t.call('workspaces.create', { name: 'Harbour Bakery', timezone: 'Europe/Paris' })) as { id: string; name: string };
    expect(ws.name).toBe('Harbour Bakery');
    expect(await t.call('workspaces.list', {})).toEqual([expect.objectContaining({ id: ws.id, name: 'Harbour Bakery' })]);
  });

  it('given invalid input, when calling, then it throws ApiCallError invalid_input with the issue paths', async () => {
    const h = await host();
    const t = track(createWebTransport({ baseUrl: h.url, token: h.token }));
    const err = await rejection(t.call('workspaces.create', { name: '  ', timezone: 'Mars/Olympus' }));
    expect(err.code).toBe('invalid_input');
    expect(err.method).toBe('workspaces.create');
    expect(err.issues.map((i) => i.path)).toEqual([['name'], ['timezone']]);
  });

  it('given a wrong or missing token, when calling, then it throws unauthorized with the host\'s explanation', async () => {
    const h = await host();
    const wrong = track(createWebTransport({ baseUrl: h.url, token: 'f'.repeat(64) }));
    const err = await rejection(wrong.call('workspaces.list', {}));
    expect(err.code).toBe('unauthorized');
    expect(err.message).toMatch(/token is wrong/);
    const none = track(createWebTransport({ baseUrl: h.url, token: null }));
    expect((await rejection(none.call('workspaces.list', {}))).code).toBe('unauthorized');
  });

  it('given no engine on the port, when calling, then it throws unreachable with the "is npm run web still running" message', async () => {
    const h = await host();
    const url = h.url;
    await h.close();
    const t = track(createWebTransport({ baseUrl: url, token: h.token, backoff: { initialMs: 10, maxMs: 50 } }));
    const err = await rejection(t.call('workspaces.list', {}));
    expect(err.code).toBe('unreachable');
    expect(err.message).toBe(UNREACHABLE_MESSAGE);
  });

  it('given an open event stream, when a workspace is created, then the listener gets workspaces.changed', async () => {
    const h = await host();
    const t = track(createWebTransport({ baseUrl: h.url, token: h.token }));
    await until(() => t.status() === 'open', 'the event stream to open');
    const got: unknown[] = [];
    t.on('workspaces.changed', (p) => got.push(p));
    const ws = (await t.call('workspaces.create', { name: 'Evented', timezone: 'UTC' })) as { id: string };
    await until(() => got.length === 1, 'the event');
    expect(got).toEqual([{ workspaceId: ws.id }]);
  });

  it('given the engine restarts, when the stream drops, then the status says reconnecting and comes back with reconnected=true', async () => {
    const h = await host();
    const t = track(createWebTransport({ baseUrl: h.url, token: h.token, backoff: { initialMs: 20, maxMs: 100 } }));
    const log = statusLog(t);
    await until(() => t.status() === 'open', 'the first connection');
    await h.close();
    await until(() => t.status() === 'reconnecting', 'reconnecting');
    // Same port, same token, same database: what a restarted `npm run web` looks like to the tab.
    const again = await startWebHost({ ctx: h.core.ctx, token: h.token, port: h.port });
    opened.push(again);
    await until(() => t.status() === 'open', 'the reconnection');
    expect(log[0]).toEqual(['open', false]);
    expect(log).toContainEqual(['reconnecting', false]);
    expect(log.at(-1)).toEqual(['open', true]);
    expect(await t.call('workspaces.list', {})).toEqual([]);
  });

  it('given repeated failures, when computing the backoff, then it doubles up to the cap with bounded jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 500, 10_000, mid))).toEqual([500, 1000, 2000, 4000, 10_000]);
    expect(backoffDelay(0, 500, 10_000, () => 0)).toBe(400);
    expect(backoffDelay(0, 500, 10_000, () => 0.9999)).toBe(600);
  });
});
