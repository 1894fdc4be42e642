// Connecting, checking and disconnecting an account through the real API, with the real X
// connector against the X contract server: the browser sign-in (loopback + PKCE) runs for real,
// tokens land sealed in the database file, no method hands a token to the renderer, a refused
// refresh asks for a reconnect and parks the account's jobs, and disconnect revokes and wipes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage, EventName, EventPayload } from '../../electron/api/events';
import { loadCredentials } from '../../electron/core/accounts/credentials';
import { refreshAccountToken } from '../../electron/core/accounts/refresh';
import { startXContract, type XContract } from '../contract/x';
import { startTestCore, type TestCore } from '../helpers/core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  x: XContract;
  core: TestCore;
  workspaceId: string;
  events: EventMessage[];
}

async function setup(): Promise<Setup> {
  const x = await startXContract();
  cleanups.push(() => x.close());
  const core = await startTestCore({ platforms: { baseUrls: { x: x.baseUrl }, callbackPort: 0 } });
  cleanups.push(() => core.cleanup());
  const events: EventMessage[] = [];
  core.ctx.events.subscribe((event, payload) => events.push({ event, payload } as EventMessage));
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  return { x, core, workspaceId: ws.id, events };
}

/** What the system browser does: open the sign-in page, which redirects to the loopback callback. */
async function browse(url: string): Promise<void> {
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (!location) throw new Error(`The sign-in page did not redirect (HTTP ${consent.status}).`);
  await (await fetch(location)).text();
}

async function until<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function payloadsOf<E extends EventName>(s: Setup, name: E): EventPayload<E>[] {
  return s.events.filter((e) => e.event === name).map((e) => e.payload as EventPayload<E>);
}

async function connectX(s: Setup): Promise<string> {
  await s.core.call('accounts.setApp', { platform: 'x', clientId: s.x.publicClient.clientId });
  const started = await s.core.call('accounts.startConnect', { workspaceId: s.workspaceId, platform: 'x' });
  expect(started.opened).toBe(false); // no system browser in this host: the page opens the URL
  // X matches callback URLs exactly; the user registers the one Postdesk listens on.
  s.x.publicClient.redirectUris.push(started.redirectUri);
  await browse(started.authorizeUrl);
  const done = await until(
    () => payloadsOf(s, 'accounts.connect').find((p) => p.flowId === started.flowId && p.status !== 'waiting'),
    'the connect flow to finish',
  );
  expect(done).toMatchObject({ status: 'connected' });
  return done.accountId!;
}

function fileBytes(dir: string): Buffer {
  const file = join(dir, 'postdesk.db');
  return Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
}

describe('connecting an X account', () => {
  it('given the user’s X app, when they sign in through the browser, then the account is listed healthy and its tokens are sealed, never returned by the API', async () => {
    const s = await setup();
    const accountId = await connectX(s);

    const listed = await s.core.call('accounts.list', { workspaceId: s.workspaceId });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: accountId, platform: 'x', username: 'postdesk_test', displayName: 'Postdesk Test', status: 'active', health: 'healthy', authKind: 'oauth2' });
    expect(listed[0]!.tokenExpiresAt).toBeGreaterThan(Date.now());

    const { accessToken, refreshToken } = loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId);
    expect(accessToken.length).toBeGreaterThan(20);
    expect(refreshToken).not.toBeNull();

    // Every method that shows accounts or settings, and every event the renderer heard.
    const shown = JSON.stringify([
      listed,
      await s.core.call('accounts.get', { accountId }),
      await s.core.call('accounts.platforms', {}),
      await s.core.call('accounts.getApp', { platform: 'x' }),
      await s.core.call('accounts.updateSettings', { accountId, defaults: { hashtags: ['Bread', '#sourdough', 'bread'] } }),
      await s.core.call('accounts.check', { accountId }),
      await s.core.call('security.status', {}),
      s.events,
    ]);
    const afterCheck = loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId);
    for (const secret of [accessToken, refreshToken!, afterCheck.accessToken, afterCheck.refreshToken!]) {
      expect(shown.includes(secret)).toBe(false);
      expect(fileBytes(s.core.dir).includes(Buffer.from(secret))).toBe(false);
    }
    expect(shown).toContain('postdesk_test'); // the scan's control
    expect((await s.core.call('accounts.get', { accountId })).defaults.hashtags).toEqual(['#Bread', '#sourdough']);
  });

  it('given no X app yet, when connecting, then the user is told to add one first and nothing is started', async () => {
    const s = await setup();
    const platforms = await s.core.call('accounts.platforms', {});
    const xInfo = platforms.find((p) => p.platform === 'x');
    expect(xInfo).toMatchObject({ needsApp: true, appConfigured: false });
    expect(xInfo?.appHelp).toContain('http://127.0.0.1:0/callback');
    await expect(s.core.call('accounts.startConnect', { workspaceId: s.workspaceId, platform: 'x' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/developer app/),
    });
  });

  it('given a connected account whose token is near expiry, when the refresh job runs, then new tokens are sealed and the old refresh token is spent', async () => {
    const s = await setup();
    const accountId = await connectX(s);
    const before = loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId);
    const { id } = s.core.scheduler!.enqueue(refreshAccountToken, { accountId }, { accountId });
    await s.core.scheduler!.idle();
    const job = await s.core.call('jobs.get', { jobId: id });
    expect(job.status).toBe('completed');
    const after = loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(s.x.isRefreshTokenActive(before.refreshToken!)).toBe(false);
    expect(s.x.isRefreshTokenActive(after.refreshToken!)).toBe(true);
  });

  it('given the user revoked Postdesk on X, when the token is refreshed, then the account asks for a reconnect, its jobs are paused, and reconnecting resumes them', async () => {
    const s = await setup();
    const accountId = await connectX(s);
    const { refreshToken } = loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId);
    s.x.revokeRefreshToken(refreshToken!);
    // A job acting as the account, due later: it must wait, not fail, while the account is out.
    const later = s.core.scheduler!.enqueue(refreshAccountToken, { accountId }, { accountId, runAt: Date.now() + 3_600_000, uniqueKey: 'later' });

    const refresh = s.core.scheduler!.enqueue(refreshAccountToken, { accountId }, { accountId });
    await s.core.scheduler!.idle();
    expect((await s.core.call('jobs.get', { jobId: refresh.id })).status).toBe('failed');

    const view = await s.core.call('accounts.get', { accountId });
    expect(view).toMatchObject({ status: 'revoked', health: 'needs_reconnect', pausedJobs: 1 });
    expect(view.healthMessage).toMatch(/Reconnect/);
    expect(payloadsOf(s, 'app.notice').some((p) => p.level === 'warning')).toBe(true);
    expect((await s.core.call('jobs.get', { jobId: later.id })).state).toBe('paused');

    await connectX(s);
    expect(await s.core.call('accounts.get', { accountId })).toMatchObject({ status: 'active', health: 'healthy', pausedJobs: 0 });
    expect((await s.core.call('jobs.get', { jobId: later.id })).state).toBe('scheduled');
    expect(await s.core.call('accounts.list', { workspaceId: s.workspaceId })).toHaveLength(1);
  });

  it('given a connected account, when it is disconnected, then X revokes the token, the sealed row is gone, and the account stays listed as disconnected', async () => {
    const s = await setup();
    const accountId = await connectX(s);
    const { refreshToken } = loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId);
    const result = await s.core.call('accounts.disconnect', { accountId });
    expect(result).toMatchObject({ revoked: true, revokeError: null, account: { status: 'disconnected', health: 'disconnected' } });
    expect(s.x.server.calls('POST /2/oauth2/revoke').length).toBeGreaterThan(0);
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM account_secrets WHERE account_id = ?`).pluck().get(accountId)).toBe(0);
    expect(() => loadCredentials(s.core.ctx.db, s.core.ctx.vault, accountId)).toThrow(/Reconnect/);
    expect(s.x.isRefreshTokenActive(refreshToken!)).toBe(false);

    await expect(s.core.call('accounts.remove', { accountId: (await s.core.call('accounts.list', { workspaceId: s.workspaceId }))[0]!.id })).resolves.toEqual({ removed: true });
    expect(await s.core.call('accounts.list', { workspaceId: s.workspaceId })).toEqual([]);
  });
});

describe('account health', () => {
  it('given a sign-in with no refresh token that ends tomorrow, when listed, then it reads as expiring; once past its end the refresh sweep asks for a reconnect', async () => {
    const core = await startTestCore();
    cleanups.push(() => core.cleanup());
    const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const { recordSignIn } = await import('../../electron/core/accounts/accounts');
    const account = recordSignIn(core.ctx, {
      workspaceId: ws.id,
      platform: 'linkedin',
      authKind: 'oauth2',
      serverUrl: null,
      result: {
        profile: { platformAccountId: 'urn:li:person:abc', username: null, displayName: 'Ada Baker', profileUrl: null, avatarUrl: null, serverUrl: null },
        credentials: { accessToken: 'AQV-linkedin-access', refreshToken: null, expiresAt: Date.now() + 86_400_000, scopes: ['w_member_social'] },
      },
    });
    expect(account).toMatchObject({ health: 'expiring', healthMessage: expect.stringMatching(/in 1 day/) });

    core.ctx.db.sqlite.prepare(`UPDATE accounts SET token_expires_at = ? WHERE id = ?`).run(Date.now() - 1000, account.id);
    const { id } = core.scheduler!.enqueue(refreshAccountToken, { accountId: account.id }, { accountId: account.id });
    await core.scheduler!.idle();
    expect((await core.call('jobs.get', { jobId: id })).status).toBe('completed');
    expect(await core.call('accounts.get', { accountId: account.id })).toMatchObject({ status: 'expired', health: 'needs_reconnect' });
  });
});

describe('the renewal sweep', () => {
  it('given accounts near expiry, long unrenewed, fresh and disconnected, when the sweep runs, then exactly the first two get one refresh job each', async () => {
    // Nothing listens on port 9: the refreshes it queues fail as transient and wait to retry.
    const core = await startTestCore({ platforms: { baseUrls: { linkedin: 'http://127.0.0.1:9', facebook: 'http://127.0.0.1:9' } } });
    cleanups.push(() => core.cleanup());
    const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const { recordSignIn } = await import('../../electron/core/accounts/accounts');
    const { sweepExpiringTokens } = await import('../../electron/core/accounts/refresh');
    const signIn = (platform: 'linkedin' | 'facebook', id: string, expiresAt: number | null) =>
      recordSignIn(core.ctx, {
        workspaceId: ws.id,
        platform,
        authKind: 'oauth2',
        serverUrl: null,
        result: {
          profile: { platformAccountId: id, username: id, displayName: null, profileUrl: null, avatarUrl: null, serverUrl: null },
          credentials: { accessToken: `access-${id}`, refreshToken: `refresh-${id}`, expiresAt, scopes: [] },
        },
      }).id;
    const nearExpiry = signIn('linkedin', 'near', Date.now() + 10 * 60_000);
    const longUnrenewed = signIn('facebook', 'page-old', null);
    signIn('facebook', 'page-fresh', null);
    const gone = signIn('linkedin', 'gone', Date.now() + 60_000);
    await core.call('accounts.disconnect', { accountId: gone });
    core.ctx.db.sqlite.prepare(`UPDATE accounts SET last_refreshed_at = ? WHERE id = ?`).run(Date.now() - 31 * 86_400_000, longUnrenewed);

    for (let i = 0; i < 2; i++) {
      core.scheduler!.enqueue(sweepExpiringTokens, {}, { uniqueKey: `sweep-${i}` });
      await core.scheduler!.idle();
    }
    const queued = core.ctx.db.sqlite.prepare(`SELECT account_id FROM jobs WHERE type = 'accounts.refresh_token' ORDER BY account_id`).pluck().all();
    expect(queued).toEqual([nearExpiry, longUnrenewed].sort());
  });
});

describe('the callback port for networks that match callback URLs exactly', () => {
  async function freePort(): Promise<number> {
    const { createServer } = await import('node:net');
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    return port;
  }

  it('given a fixed callback port, when an X sign-in starts, then it listens there, the help text names that exact URL, and a second sign-in is told the port is busy', async () => {
    const x = await startXContract();
    cleanups.push(() => x.close());
    const port = await freePort();
    const core = await startTestCore({ platforms: { baseUrls: { x: x.baseUrl }, callbackPort: port } });
    cleanups.push(() => core.cleanup());
    const a = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
    const b = await core.call('workspaces.create', { name: 'Yoga Loft', timezone: 'Europe/Paris' });
    await core.call('accounts.setApp', { platform: 'x', clientId: x.publicClient.clientId });
    expect((await core.call('accounts.platforms', {})).find((p) => p.platform === 'x')?.appHelp).toContain(`http://127.0.0.1:${port}/callback`);

    const started = await core.call('accounts.startConnect', { workspaceId: a.id, platform: 'x' });
    expect(started.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
    await expect(core.call('accounts.startConnect', { workspaceId: b.id, platform: 'x' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(new RegExp(`Port ${port}.*busy`)) });
    expect(await core.call('accounts.cancelConnect', { flowId: started.flowId })).toEqual({ cancelled: true });
  });
});
