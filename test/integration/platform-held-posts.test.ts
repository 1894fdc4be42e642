// checkScheduled: did a post the network held for later go out? Mastodon (the contract server of a
// 4.3 instance) publishes a held status as a new status with a new id and deletes the scheduled
// one; Facebook (the Graph contract) publishes the held post under its own id. Each answers held,
// published (with the live id and URL) or gone.
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectorAccount, PublishRequest } from '../../electron/platforms/connector';
import { createFacebookConnector } from '../../electron/platforms/facebook';
import { createMastodonConnector } from '../../electron/platforms/mastodon';
import { comparableText } from '../../electron/platforms/mastodon/held';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startMetaContract, type MetaContract } from '../contract/meta';

const MIN = 60_000;
let clock = Date.now();
const now = () => clock;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  clock = Date.now();
});

function request(text: string, scheduleAt: number): PublishRequest {
  return { root: { text, media: [] }, thread: [], firstComment: null, scheduleAt, idempotencyKey: `job-${Math.random().toString(36).slice(2)}`, inReplyTo: null, language: null };
}

async function mastodon(): Promise<{ server: MastodonServer; account: ConnectorAccount }> {
  const server = await startMastodonServer({ now });
  closers.push(() => server.close());
  const t = server.issueToken();
  return { server, account: { platformAccountId: server.me.id, baseUrl: server.baseUrl, credentials: { accessToken: t.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] } } };
}

describe('Mastodon: a held status', () => {
  const connector = createMastodonConnector({ now });
  const text = 'Sourdough Saturday: loaves at 9:30 #bread\n\nhttps://kofi.example/menu, cc @bob@baking.social';

  it('given a status held for 20 minutes from now, when asked before its time, then it is held, with its time', async () => {
    const { account } = await mastodon();
    const at = clock + 20 * MIN;
    const held = await connector.publish(account, request(text, at));
    expect(held.scheduledOnPlatform).toBe(true);
    expect(await connector.checkScheduled!(account, { platformPostId: held.root.platformPostId, scheduledAt: at, text })).toEqual({ state: 'held', scheduledAt: at });
  });

  it('given the server published it at its time among other posts, when asked, then it is the new status with its URL and time', async () => {
    const { server, account } = await mastodon();
    const at = clock + 20 * MIN;
    const held = await connector.publish(account, request(text, at));
    // Other posts of the account around it, one with almost the same words.
    server.receive(server.me, 'Sourdough Saturday: loaves at 9:30 #bread', { at: at - 2 * MIN });
    clock = at + 6 * MIN;
    const [published] = server.publishDue();
    server.receive(server.me, 'Later the same day', { at: clock });
    const state = await connector.checkScheduled!(account, { platformPostId: held.root.platformPostId, scheduledAt: at, text });
    expect(state).toEqual({ state: 'published', item: { platformPostId: published!.id, url: `${server.baseUrl}/@alice/${published!.id}` }, publishedAt: at });
  });

  it('given the server dropped it (or the user deleted it on Mastodon), when asked after its time, then it is gone', async () => {
    const { server, account } = await mastodon();
    const at = clock + 20 * MIN;
    const held = await connector.publish(account, request(text, at));
    server.dropScheduled(held.root.platformPostId.replace('scheduled:', ''));
    clock = at + 6 * MIN;
    expect(await connector.checkScheduled!(account, { platformPostId: held.root.platformPostId, scheduledAt: at, text })).toEqual({ state: 'gone' });
  });

  it('given rendered HTML, then the text compares as typed: paragraphs, links and remote mentions', () => {
    expect(comparableText('Hi @bob@baking.social\n\nhttps://x.example/a')).toBe(comparableText('Hi @bob https://x.example/a'));
    expect(comparableText('one two')).not.toBe(comparableText('one  three'));
  });
});

describe('Facebook: a held Page post', () => {
  const connector = createFacebookConnector({ now });

  async function facebook(): Promise<{ meta: MetaContract; account: ConnectorAccount }> {
    const meta = await startMetaContract({ now });
    closers.push(() => meta.close());
    const { userToken, pageToken } = meta.login();
    return { meta, account: { platformAccountId: '1001', baseUrl: meta.baseUrl, credentials: { accessToken: pageToken('1001'), refreshToken: userToken, expiresAt: null, scopes: [] } } };
  }

  it('given a post held for an hour, when asked before, at and after its time, then it is held, then published under the same id with its permalink, and gone once deleted', async () => {
    const { meta, account } = await facebook();
    const at = Math.floor((clock + 60 * MIN) / 1000) * 1000;
    const held = await connector.publish(account, request('Croissant class on Sunday', at));
    const id = held.root.platformPostId;
    const ask = () => connector.checkScheduled!(account, { platformPostId: id, scheduledAt: at, text: 'Croissant class on Sunday' });
    expect(await ask()).toEqual({ state: 'held', scheduledAt: at });

    clock = at + MIN;
    expect(meta.publishDue().map((p) => p.id)).toEqual([id]);
    expect(await ask()).toEqual({ state: 'published', item: { platformPostId: id, url: `https://www.facebook.com/1001/posts/${id.split('_')[1]}` }, publishedAt: at });

    await connector.delete(account, id);
    expect(await ask()).toEqual({ state: 'gone' });
  });
});
