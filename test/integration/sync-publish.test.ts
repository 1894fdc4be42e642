// Two devices (two cores, each with its own SQLite file and scheduler) sync the same workspace
// through a real Postgres, and both schedule the same post for the same moment on the Mastodon
// contract server. Each scheduler fires; the publish claim in Postgres lets exactly one publish,
// and after a sync both devices show it published once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import type { ApiContext } from '../../electron/core/context';
import { SyncService } from '../../electron/core/sync/service';
import { startMastodonServer, type MastodonServer } from '../contract/mastodon';
import { startTestCore, type TestCore } from '../helpers/core';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

let pgServer: TestPostgres;
let masto: MastodonServer;

beforeAll(async () => {
  pgServer = await startPostgres();
  masto = await startMastodonServer();
}, 60_000);
afterAll(async () => {
  await masto?.close();
  await pgServer?.stop();
});

function signIn(ctx: ApiContext, workspaceId: string): string {
  const tokens = masto.issueToken();
  return recordSignIn(ctx, {
    workspaceId,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: masto.baseUrl,
    result: {
      profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
      credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
    },
  }).id;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const publishJobs = (core: TestCore) =>
  core.ctx.db.sqlite.prepare(`SELECT status, result FROM jobs WHERE type = 'post.publish'`).all() as { status: string; result: string | null }[];

describe('one post, two devices', () => {
  it.each([
    { bSignsIn: true, skippedBecause: /Another device/ },
    { bSignsIn: false, skippedBecause: /not signed in/ },
  ])('given two devices that sync a workspace schedule the same post (B signed in: $bSignsIn), when its time comes, then it is published exactly once', async ({ bSignsIn, skippedBecause }) => {
    const url = pgServer.url(await pgServer.createDatabase());
    const a = await startTestCore();
    const b = await startTestCore();
    const syncA = new SyncService({ db: a.ctx.db });
    const syncB = new SyncService({ db: b.ctx.db });
    try {
      await syncA.connect(url);
      await syncB.connect(url);
      const ws = await a.call('workspaces.create', { name: 'Twin Bakery', timezone: 'UTC' });
      const accountId = signIn(a.ctx, ws.id);
      const text = `Sourdough drop ${Date.now()}`;
      const post = await a.call('posts.create', { workspaceId: ws.id, content: text, targets: [{ accountId }] });
      await syncA.chooseWorkspaces([ws.id]);
      await syncA.syncNow();
      await syncB.chooseWorkspaces([ws.id]);
      await syncB.syncNow();
      // Tokens never sync: B signs in to the same account, which finds the synced row. A device
      // without the sign-in does not claim, so it cannot keep the other from publishing.
      if (bSignsIn) expect(signIn(b.ctx, ws.id)).toBe(accountId);

      const at = Date.now() + 1500;
      await a.call('posts.schedule', { postId: post.id, when: { mode: 'at', at } });
      await b.call('posts.schedule', { postId: post.id, when: { mode: 'at', at } });

      await until(() => {
        const jobs = [...publishJobs(a), ...publishJobs(b)];
        return jobs.length === 2 && jobs.every((j) => j.status === 'completed') ? jobs : undefined;
      }, 'both devices to run their publish job');
      const skipped = [...publishJobs(a), ...publishJobs(b)].filter((j) => skippedBecause.test(j.result ?? ''));
      expect(skipped).toHaveLength(1);
      if (!bSignsIn) expect(publishJobs(b)[0]!.result).toMatch(skippedBecause);
      expect(masto.ownStatuses().filter((s) => s.text.includes(text))).toHaveLength(1);

      await syncA.syncNow();
      await syncB.syncNow();
      await syncA.syncNow();
      for (const core of [a, b]) {
        const p = await core.call('posts.get', { postId: post.id });
        expect(p).toMatchObject({ status: 'published', targets: [{ status: 'published' }] });
      }
    } finally {
      await syncA.close();
      await syncB.close();
      await a.cleanup();
      await b.cleanup();
    }
  }, 90_000);
});
