// Accounts in words on the Accounts page and in the shell's banner: names and handles, servers,
// initials, health, the sign-in's lifetime, the page's summary and the monitoring rule.
import { describe, expect, it } from 'vitest';
import {
  accountHandle,
  accountInitials,
  accountName,
  canReconnect,
  HEALTH_INFO,
  platformName,
  reconnectBannerText,
  serverHost,
  signInText,
  summaryText,
  type AccountView,
  type PlatformInfo,
} from '../../renderer/pages/accounts/account-labels';
import { monitoringProblems, monitoringSummary, parseWhole } from '../../renderer/pages/accounts/monitoring';
import { passphraseProblems, protectionText } from '../../renderer/pages/accounts/security-store';

const NOW = Date.UTC(2026, 10, 23, 20, 0, 0);
const DAY = 86_400_000;

/** An account as accounts.list returns it: a healthy Bluesky account on bsky.social. */
function account(over: Partial<AccountView> = {}): AccountView {
  return {
    id: '01a209c8-5d75-7e69-b3d8-361524ad0468',
    workspaceId: '01a209c8-0000-7000-8000-000000000001',
    platform: 'bluesky',
    platformAccountId: 'did:plc:ewvi7nxzyoun6zhxrhs64oiz',
    username: 'kofi-and-crumb.bsky.social',
    displayName: 'Kōfi & Crumb',
    profileUrl: 'https://bsky.app/profile/kofi-and-crumb.bsky.social',
    avatarUrl: null,
    serverUrl: 'https://bsky.social',
    authKind: 'app_password',
    status: 'active',
    health: 'healthy',
    healthMessage: 'Connected and working.',
    scopes: [],
    tokenExpiresAt: null,
    connectedAt: NOW - 3 * DAY,
    lastRefreshedAt: NOW - 2 * 3_600_000,
    lastError: null,
    pausedJobs: 0,
    defaults: { hashtags: [] },
    monitoring: { autoMonitorEnabled: true, autoMonitorCount: 5, monitoringDurationDays: 7, inherited: true },
    ...over,
  };
}

const BLUESKY: PlatformInfo = {
  platform: 'bluesky',
  name: 'Bluesky',
  authKind: 'app_password',
  needsApp: false,
  needsClientSecret: false,
  appConfigured: true,
  appHelp: null,
  passwordHelp: 'Use an app password.',
  serverLabel: 'Server (PDS)',
  serverPlaceholder: 'bsky.social',
  capabilities: { textLimit: 300, threads: true, firstComment: false, nativeScheduling: false, dms: false, comments: true, metrics: true, altText: true },
};

describe('who an account is', () => {
  it('given a handle network, then the handle reads with an @ (once), and the display name is the name', () => {
    const a = account();
    expect(accountHandle(a)).toBe('@kofi-and-crumb.bsky.social');
    expect(accountHandle(account({ username: '@already' }))).toBe('@already');
    expect(accountName(a)).toBe('Kōfi & Crumb');
  });

  it('given no display name, then the handle names it; given neither, its platform id does', () => {
    expect(accountName(account({ displayName: '  ' }))).toBe('@kofi-and-crumb.bsky.social');
    expect(accountName(account({ displayName: null, username: null }))).toBe('did:plc:ewvi7nxzyoun6zhxrhs64oiz');
  });

  it('given a Facebook Page, then its username is shown without an @', () => {
    expect(accountHandle(account({ platform: 'facebook', username: 'kofiandcrumb' }))).toBe('kofiandcrumb');
    expect(accountHandle(account({ username: null }))).toBeNull();
  });

  it('given initials, then two words give two letters, symbols are skipped, and a handle stands in for a missing name', () => {
    expect(accountInitials(account())).toBe('KC');
    expect(accountInitials(account({ displayName: 'Ōsaka' }))).toBe('ŌS');
    expect(accountInitials(account({ displayName: null }))).toBe('KO');
    expect(accountInitials(account({ displayName: null, username: '@__' , platformAccountId: '__' }))).toBe('?');
  });

  it('given a server network, then its host is shown (with a port for a local PDS); other networks show none', () => {
    expect(serverHost(account())).toBe('bsky.social');
    expect(serverHost(account({ serverUrl: 'http://127.0.0.1:2583' }))).toBe('127.0.0.1:2583');
    expect(serverHost(account({ platform: 'x', serverUrl: 'https://api.x.com' }))).toBeNull();
    expect(serverHost(account({ serverUrl: null }))).toBeNull();
  });

  it('given the engine’s platform list, then its name wins; without it, the built-in name; unknown stays raw', () => {
    expect(platformName('bluesky', [{ ...BLUESKY, name: 'Bluesky Social' }])).toBe('Bluesky Social');
    expect(platformName('facebook', null)).toBe('Facebook Pages');
    expect(platformName('threads', [])).toBe('threads');
  });
});

describe('health and sign-in', () => {
  it('given each health, then it has a label and a tone, and reconnect is offered only where it helps', () => {
    expect(HEALTH_INFO.healthy).toEqual({ label: 'Healthy', tone: 'success' });
    expect(HEALTH_INFO.needs_reconnect.tone).toBe('danger');
    expect(HEALTH_INFO.disconnected.tone).toBe('muted');
    expect(canReconnect(account())).toBe(false);
    expect(canReconnect(account({ health: 'expiring' }))).toBe(false);
    expect(canReconnect(account({ health: 'needs_reconnect' }))).toBe(true);
    expect(canReconnect(account({ health: 'disconnected' }))).toBe(true);
  });

  it('given tokens with and without an end, then the sign-in line says when it ends, ended, or that it does not', () => {
    expect(signInText(account(), NOW)).toBe('App password, no expiry date');
    expect(signInText(account({ authKind: 'oauth2', tokenExpiresAt: NOW + 2 * DAY, health: 'expiring' }), NOW)).toBe('Token expires in 2 days');
    expect(signInText(account({ tokenExpiresAt: NOW + 2 * 3_600_000 }), NOW)).toBe('Renews by itself (current token has 2 h left)');
    expect(signInText(account({ authKind: 'oauth2', tokenExpiresAt: NOW - 5 * 60_000 }), NOW)).toBe('Token expired 5 min ago');
    expect(signInText(account({ status: 'disconnected', health: 'disconnected' }), NOW)).toBe('Signed out: no sign-in is kept on this computer');
  });

  it('given one account needing a reconnect, then the banner names it and its network; several are counted; none is silence', () => {
    const bad = account({ health: 'needs_reconnect', status: 'expired' });
    expect(reconnectBannerText([account(), bad], [BLUESKY])).toBe('@kofi-and-crumb.bsky.social on Bluesky needs reconnecting — its scheduled posts are paused');
    const other = account({ id: 'b', platform: 'mastodon', username: 'kofi@mastodon.social', health: 'needs_reconnect' });
    expect(reconnectBannerText([bad, other], [BLUESKY])).toBe('2 accounts need reconnecting — their scheduled posts are paused');
    // A disconnected account was the user's choice: no banner for it.
    expect(reconnectBannerText([account({ health: 'disconnected' })], [BLUESKY])).toBeNull();
    expect(reconnectBannerText([], null)).toBeNull();
  });

  it('given a mix of accounts, then the summary counts what matters and stays quiet about zeros', () => {
    expect(summaryText([])).toBe('Connect the social accounts you publish to and answer from.');
    expect(summaryText([account()])).toBe('1 account · 1 healthy');
    expect(summaryText([account(), account({ health: 'needs_reconnect' }), account({ health: 'error' }), account({ health: 'disconnected' }), account({ health: 'expiring' })])).toBe(
      '5 accounts · 1 healthy · 2 need attention · 1 expiring soon · 1 disconnected',
    );
  });
});

describe('monitoring rule and passphrase checks', () => {
  it('given typed numbers, then only whole numbers parse', () => {
    expect(parseWhole(' 7 ')).toBe(7);
    expect(parseWhole('2.5')).toBeNull();
    expect(parseWhole('')).toBeNull();
    expect(parseWhole('7 days')).toBeNull();
  });

  it('given numbers outside the engine’s limits, then each field says its range; inherited or off rules are not checked', () => {
    expect(monitoringProblems({ inherit: false, enabled: true, count: '0', days: '31' })).toEqual({ autoMonitorCount: 'Use 1 to 20 posts.', monitoringDurationDays: 'Use 1 to 30 days.' });
    expect(monitoringProblems({ inherit: false, enabled: true, count: 'x', days: '7' })).toEqual({ autoMonitorCount: 'Enter a whole number of posts, 1 to 20.' });
    expect(monitoringProblems({ inherit: false, enabled: true, count: '20', days: '1' })).toEqual({});
    expect(monitoringProblems({ inherit: true, enabled: true, count: '0', days: '0' })).toEqual({});
    expect(monitoringProblems({ inherit: false, enabled: false, count: '', days: '' })).toEqual({});
  });

  it('given a rule, then the card says it in a sentence with singulars and where it comes from', () => {
    expect(monitoringSummary({ autoMonitorEnabled: true, autoMonitorCount: 5, monitoringDurationDays: 7, inherited: true })).toBe(
      'Watches its latest 5 posts for comments for 7 days (workspace default)',
    );
    expect(monitoringSummary({ autoMonitorEnabled: true, autoMonitorCount: 1, monitoringDurationDays: 1, inherited: false })).toBe('Watches its latest 1 post for comments for 1 day');
    expect(monitoringSummary({ autoMonitorEnabled: false, autoMonitorCount: 5, monitoringDurationDays: 7, inherited: false })).toBe('Does not watch posts for comments');
  });

  it('given a new passphrase, then it needs 8 characters and the same text twice', () => {
    expect(passphraseProblems('short', 'short')).toEqual({ passphrase: 'Too short: use at least 8 characters.' });
    expect(passphraseProblems('correct horse', 'correct hors')).toEqual({ repeat: 'The two do not match. Type the same passphrase twice.' });
    expect(passphraseProblems('correct horse', 'correct horse')).toEqual({});
  });

  it('given each key kind, then Security names what protects the sign-ins', () => {
    expect(protectionText('safe-storage').title).toBe('Your system keychain');
    expect(protectionText('passphrase').title).toBe('Your passphrase');
    expect(protectionText('key-file').title).toBe('A key file in the data folder');
    expect(protectionText('env-key').detail).toContain('POSTDESK_SECRET_KEY');
    expect(protectionText(null).title).toBe('Locked');
  });
});
