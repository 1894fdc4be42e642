// The media routes as the real web host serves them: an upload needs the token and lands in the
// library once, and the file comes back at /media/<id> for <img> tags (no token, same origin).
import { afterEach, describe, expect, it } from 'vitest';
import { png } from '../helpers/media-fixtures';
import { startTestWebHost, type TestWebHost } from '../helpers/web';

let host: TestWebHost | undefined;
afterEach(async () => {
  await host?.cleanup();
  host = undefined;
});

describe('media through the web host', () => {
  it('given a PNG uploaded with the token, then it is in the library once (twice uploaded) and served back byte for byte; without the token it is refused', async () => {
    host = await startTestWebHost();
    const ws = await host.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const bytes = png(64, 48, 7);
    const body = new Uint8Array(bytes);
    const url = `http://127.0.0.1:${host.port}/api/media?workspaceId=${ws.id}&filename=croissant.png`;

    const anonymous = await fetch(url, { method: 'PUT', body });
    expect(anonymous.status).toBe(401);

    const first = await fetch(url, { method: 'PUT', body, headers: { Authorization: `Bearer ${host.token}` } });
    expect(first.status).toBe(201);
    const item = ((await first.json()) as { result: { id: string; width: number; height: number; kind: string; url: string } }).result;
    expect(item).toMatchObject({ kind: 'image', width: 64, height: 48, url: `/media/${item.id}` });
    const again = await fetch(url, { method: 'PUT', body, headers: { Authorization: `Bearer ${host.token}` } });
    expect(again.status).toBe(200);
    expect((await host.call('media.list', { workspaceId: ws.id })).total).toBe(1);

    const served = await fetch(`http://127.0.0.1:${host.port}${item.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });
});
