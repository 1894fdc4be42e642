// Saved sign-ins behind a passphrase, through the real API on real files: setting one re-seals
// everything, a restarted app is locked until it is entered, a wrong one is refused, removing it
// goes back to the key file, and a change cut short by a crash is finished on the next unlock.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { loadCredentials } from '../../electron/core/accounts/credentials';
import { PASSPHRASE_FILE_NAME } from '../../electron/core/secrets';
import { tempDir } from '../helpers/db';
import { startTestCore, type TestCore } from '../helpers/core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ACCESS = 'mastodon-access-7Hq2-unique-token-c0ffee';
const REFRESH = 'mastodon-refresh-9Zx1-unique-token-beef42';

async function coreIn(dir: string): Promise<TestCore> {
  const core = await startTestCore({ dataDir: dir, scheduler: false });
  cleanups.push(() => core.close());
  return core;
}

async function withSavedSignIn(core: TestCore): Promise<{ accountId: string }> {
  const ws = await core.call('workspaces.create', { name: 'Bakery', timezone: 'Europe/Paris' });
  const account = recordSignIn(core.ctx, {
    workspaceId: ws.id,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: 'https://bakers.social',
    result: {
      profile: { platformAccountId: '1099', username: 'crumb', displayName: 'Crumb Bakery', profileUrl: null, avatarUrl: null, serverUrl: 'https://bakers.social' },
      credentials: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: null, scopes: ['read', 'write'] },
    },
  });
  return { accountId: account.id };
}

function dbBytes(dir: string): Buffer {
  const file = join(dir, 'postdesk.db');
  return Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
}

describe('a passphrase for saved sign-ins', () => {
  it('given saved tokens, when a passphrase is set and the app restarts, then it is locked until the right passphrase is entered, and the tokens were never in clear on disk', async () => {
    const { dir, cleanup } = tempDir('postdesk-vault-');
    cleanups.push(cleanup);
    let core = await coreIn(dir);
    const { accountId } = await withSavedSignIn(core);
    expect(await core.call('security.status', {})).toMatchObject({ state: 'unlocked', kind: 'key-file', passphraseSet: false, warning: null });

    await expect(core.call('security.setPassphrase', { passphrase: 'short' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await core.call('security.setPassphrase', { passphrase: 'correct horse battery' })).toMatchObject({ state: 'unlocked', kind: 'passphrase', passphraseSet: true });
    expect(loadCredentials(core.ctx.db, core.ctx.vault, accountId)).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH });
    await core.close();
    cleanups.pop();

    const bytes = dbBytes(dir);
    expect(bytes.includes(Buffer.from(ACCESS))).toBe(false);
    expect(bytes.includes(Buffer.from(REFRESH))).toBe(false);
    expect(bytes.includes(Buffer.from('Crumb Bakery'))).toBe(true); // the scan's control: clear text is found

    core = await coreIn(dir);
    expect(await core.call('security.status', {})).toMatchObject({ state: 'locked', passphraseSet: true });
    expect(() => loadCredentials(core.ctx.db, core.ctx.vault, accountId)).toThrow(/locked/);
    await expect(core.call('accounts.setApp', { platform: 'x', clientId: 'abc', clientSecret: 'shh' })).rejects.toMatchObject({ code: 'locked' });
    await expect(core.call('security.unlock', { passphrase: 'wrong horse battery' })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/not the one/) });
    expect(await core.call('security.unlock', { passphrase: 'correct horse battery' })).toMatchObject({ state: 'unlocked' });
    expect(loadCredentials(core.ctx.db, core.ctx.vault, accountId).accessToken).toBe(ACCESS);
  });

  it('given a passphrase, when it is removed, then secrets move back to the key file and the next start is unlocked', async () => {
    const { dir, cleanup } = tempDir('postdesk-vault-');
    cleanups.push(cleanup);
    let core = await coreIn(dir);
    const { accountId } = await withSavedSignIn(core);
    await core.call('security.setPassphrase', { passphrase: 'correct horse battery' });
    expect(await core.call('security.removePassphrase', {})).toMatchObject({ state: 'unlocked', kind: 'key-file', passphraseSet: false });
    expect(existsSync(join(dir, PASSPHRASE_FILE_NAME))).toBe(false);
    await core.close();
    cleanups.pop();

    core = await coreIn(dir);
    expect(await core.call('security.status', {})).toMatchObject({ state: 'unlocked', passphraseSet: false });
    expect(loadCredentials(core.ctx.db, core.ctx.vault, accountId).refreshToken).toBe(REFRESH);
  });

  it('given a passphrase change cut short after the re-seal, when the new passphrase is entered, then the staged key is promoted and the tokens open', async () => {
    const { dir, cleanup } = tempDir('postdesk-vault-');
    cleanups.push(cleanup);
    let core = await coreIn(dir);
    const { accountId } = await withSavedSignIn(core);
    await core.call('security.setPassphrase', { passphrase: 'first passphrase' });
    const oldFile = join(dir, 'old-passphrase.json');
    copyFileSync(join(dir, PASSPHRASE_FILE_NAME), oldFile);
    await core.call('security.setPassphrase', { passphrase: 'second passphrase' });
    await core.close();
    cleanups.pop();

    // The crash: secrets are sealed with the second key, but the file swap never happened.
    mkdirSync(join(dir, 'passphrase-staging'), { recursive: true });
    copyFileSync(join(dir, PASSPHRASE_FILE_NAME), join(dir, 'passphrase-staging', PASSPHRASE_FILE_NAME));
    copyFileSync(oldFile, join(dir, PASSPHRASE_FILE_NAME));

    core = await coreIn(dir);
    expect(await core.call('security.unlock', { passphrase: 'second passphrase' })).toMatchObject({ state: 'unlocked' });
    expect(loadCredentials(core.ctx.db, core.ctx.vault, accountId).accessToken).toBe(ACCESS);
    expect(existsSync(join(dir, 'passphrase-staging'))).toBe(false);
  });
});

describe('work that needs a locked sign-in', () => {
  it('given the app restarted locked, when a token refresh comes due, then it waits paused (no attempts spent) and runs once the passphrase is entered', async () => {
    const { dir, cleanup } = tempDir('postdesk-vault-');
    cleanups.push(cleanup);
    let core = await coreIn(dir);
    const ws = await core.call('workspaces.create', { name: 'Bakery', timezone: 'Europe/Paris' });
    // A server that cannot renew this token: once released, the refresh fails for its own reason, not the lock.
    const account = recordSignIn(core.ctx, {
      workspaceId: ws.id,
      platform: 'mastodon',
      authKind: 'oauth2',
      serverUrl: 'http://127.0.0.1:9',
      result: {
        profile: { platformAccountId: '7', username: 'crumb', displayName: null, profileUrl: null, avatarUrl: null, serverUrl: 'http://127.0.0.1:9' },
        credentials: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: Date.now() + 60_000, scopes: [] },
      },
    });
    await core.call('security.setPassphrase', { passphrase: 'correct horse battery' });
    await core.close();
    cleanups.pop();

    core = await startTestCore({ dataDir: dir });
    cleanups.push(() => core.close());
    const { refreshAccountToken } = await import('../../electron/core/accounts/refresh');
    const { id } = core.scheduler!.enqueue(refreshAccountToken, { accountId: account.id }, { accountId: account.id });
    await core.scheduler!.idle();
    expect(await core.call('jobs.get', { jobId: id })).toMatchObject({ state: 'paused', attempts: 0, lastError: expect.stringMatching(/locked/) });

    await core.call('security.unlock', { passphrase: 'correct horse battery' });
    await core.scheduler!.idle();
    const job = await core.call('jobs.get', { jobId: id });
    expect(job.state).not.toBe('paused');
    expect(job.attempts).toBe(1);
    expect(job.lastError).not.toMatch(/locked/); // it ran: what failed now is the refresh itself
  });
});
