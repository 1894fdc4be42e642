// The renderer's Electron transport over a bridge shaped like electron/preload.ts's, backed by the
// real dispatcher and event bus (what the IPC host wires up), on a real database file.
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/api/dispatch';
import { createElectronTransport, type PostdeskBridge } from '../../renderer/api/electron-transport';
import { ApiCallError } from '../../renderer/api/errors';
import { startTestCore } from '../helpers/core';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function bridged() {
  const core = await startTestCore();
  cleanups.push(core.cleanup);
  const bridge: PostdeskBridge = {
    call: (method, input) => dispatch(core.ctx, method, input),
    pathForFile: () => '',
    on: (event, listener) =>
      core.ctx.events.subscribe((e, payload) => {
        if (e === event) listener(payload);
      }),
  };
  return createElectronTransport(bridge);
}

describe('renderer electron transport', () => {
  it('given the bridge, when calling, then results come back and events arrive', async () => {
    const t = await bridged();
    const events: unknown[] = [];
    const off = t.on('workspaces.changed', (p) => events.push(p));
    const ws = (await t.call('workspaces.create', { name: 'Desk Brand', timezone: 'UTC' })) as { id: string };
    expect(events).toEqual([{ workspaceId: ws.id }]);
    off();
    await t.call('workspaces.update', { workspaceId: ws.id, patch: { name: 'Renamed' } });
    expect(events).toHaveLength(1);
    expect(t.status()).toBe('open');
  });

  it('given invalid input or an unknown method, when calling, then it throws ApiCallError with code and issues', async () => {
    const t = await bridged();
    const invalid = await t.call('workspaces.create', { name: '' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiCallError);
    expect((invalid as ApiCallError).code).toBe('invalid_input');
    expect((invalid as ApiCallError).issues.map((i) => i.path[0])).toEqual(['name', 'timezone']);
    const unknown = await t.call('nope.nothing', {}).catch((e: unknown) => e);
    expect((unknown as ApiCallError).code).toBe('unknown_method');
  });

  it('given the bridge itself throws (main process gone), when calling, then it is an unreachable error that says to restart', async () => {
    const t = createElectronTransport({
      call: () => Promise.reject(new Error('Render frame was disposed')),
      on: () => () => undefined,
      pathForFile: () => '',
    });
    const err = (await t.call('app.info', {}).catch((e: unknown) => e)) as ApiCallError;
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/Restart the app/);
  });
});
