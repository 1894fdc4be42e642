// The promise that matters most: a post goes out once, even when Postdesk dies mid-publish.
// A real web-mode process publishes to a real local PDS through a loopback proxy that lets the
// createRecord reach the PDS but never returns the answer; the process is killed (SIGKILL) in
// that moment, started again on the same data folder, and must find the post instead of
// posting it twice.
import { AtpAgent } from '@atproto/api';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db';
import { startTestPds, type TestPds, type TestPdsAccount } from '../helpers/pds';
import { spawnWebCli, type SpawnedWeb } from '../helpers/web';

let pds: TestPds;
let bsky: TestPdsAccount;
beforeAll(async () => {
  pds = await startTestPds();
  bsky = await pds.createAccount();
}, 120_000);
afterAll(async () => {
  await pds?.close();
});

interface Proxy {
  url: string;
  /** While true, createRecord reaches the PDS but its answer is never sent back. */
  swallowCreates: boolean;
  /** Resolves when a swallowed createRecord has been answered by the PDS. */
  created: Promise<void>;
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  let markCreated: () => void = () => {};
  const proxy: Proxy = {
    url: '',
    swallowCreates: true,
    created: new Promise<void>((r) => (markCreated = r)),
    close: async () => {},
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const upstream = new URL(req.url ?? '/', target);
      // Plain bodies only: the proxy rewrites JSON, which it cannot do inside gzip.
      const headers = { ...req.headers, host: upstream.host, 'accept-encoding': 'identity' };
      const out = httpRequest(upstream, { method: req.method, headers }, (up) => {
        const body: Buffer[] = [];
        up.on('data', (c: Buffer) => body.push(c));
        up.on('end', () => {
          const swallow = proxy.swallowCreates && req.method === 'POST' && upstream.pathname === '/xrpc/com.atproto.repo.createRecord' && (up.statusCode ?? 500) < 300;
          if (swallow) {
            markCreated();
            return; // the PDS has the post; the caller never hears about it
          }
          // Sessions name the account's PDS: point it at the proxy so every call comes through here.
          let text = Buffer.concat(body);
          if ((up.headers['content-type'] ?? '').includes('json')) text = Buffer.from(text.toString('utf8').split(target).join(proxy.url));
          const h = { ...up.headers };
          delete h['content-length'];
          res.writeHead(up.statusCode ?? 502, h);
          res.end(text);
        });
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return proxy;
}

describe('a crash in the middle of publishing', () => {
  it('given the process is killed after the PDS stored the post but before Postdesk heard back, when it starts again, then the post exists exactly once and is recorded as published', async () => {
    const proxy = await startProxy(pds.url);
    const data = tempDir('postdesk-crash-');
    let web: SpawnedWeb | undefined;
    try {
      web = await spawnWebCli({ dataDir: data.dir });
      const ws = await web.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
      const account = await web.call('accounts.connectWithPassword', { workspaceId: ws.id, platform: 'bluesky', serverUrl: proxy.url, identifier: bsky.handle, password: bsky.appPassword });
      expect(account.serverUrl).toBe(proxy.url);
      const text = `Open late on Friday ${Date.now()}`;
      const draft = await web.call('posts.create', { workspaceId: ws.id, content: text, targets: [{ accountId: account.id }] });
      await web.call('posts.schedule', { postId: draft.id, when: { mode: 'now' } });

      await proxy.created;
      expect(await web.stop('SIGKILL')).toBeNull();

      proxy.swallowCreates = false;
      web = await spawnWebCli({ dataDir: data.dir });
      const call = web.call;
      const end = Date.now() + 30_000;
      let post = await call('posts.get', { postId: draft.id });
      while (post.status !== 'published' && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
        post = await call('posts.get', { postId: draft.id });
      }
      expect(post.status).toBe('published');

      const agent = new AtpAgent({ service: pds.url });
      await agent.login({ identifier: bsky.handle, password: bsky.password });
      const records = await agent.com.atproto.repo.listRecords({ repo: bsky.did, collection: 'app.bsky.feed.post', limit: 100 });
      const ours = records.data.records.filter((r) => (r.value as { text: string }).text.startsWith(text));
      expect(ours).toHaveLength(1);
      expect(post.targets[0]!.platformPostId).toBe(ours[0]!.uri);

      // The interrupted attempt is on record, and it was settled by checking, not by posting again.
      const jobs = await call('jobs.list', { type: 'post.publish', status: 'completed' });
      const job = await call('jobs.get', { jobId: jobs.items[0]!.id });
      expect(job.history.map((a) => [a.status, a.reconciled])).toEqual([['interrupted', 'done']]);
    } finally {
      await web?.stop('SIGKILL');
      await proxy.close();
      data.cleanup();
    }
  }, 120_000);
});
