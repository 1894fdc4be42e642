// Accounts in words: who an account is, how healthy it is, how long its sign-in lasts, and the
// one-line warning the shell shows when accounts need reconnecting. Pure, so it is unit-tested.
import type { ApiOutput } from '../../../electron/api';
import { relativeTime } from '../queue/time';

export type AccountView = ApiOutput<'accounts.list'>[number];
export type AccountHealth = AccountView['health'];
export type PlatformInfo = ApiOutput<'accounts.platforms'>[number];
export type PlatformId = PlatformInfo['platform'];

export type Tone = 'success' | 'warning' | 'danger' | 'muted';

export const HEALTH_INFO: Record<AccountHealth, { label: string; tone: Tone }> = {
  healthy: { label: 'Healthy', tone: 'success' },
  expiring: { label: 'Expiring soon', tone: 'warning' },
  needs_reconnect: { label: 'Needs reconnecting', tone: 'danger' },
  error: { label: 'Check failed', tone: 'danger' },
  disconnected: { label: 'Disconnected', tone: 'muted' },
};

/** Names for when the engine's platform list is not loaded (or the network is not in this build). */
const FALLBACK_NAMES: Readonly<Record<string, string>> = {
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  x: 'X',
  facebook: 'Facebook Pages',
  instagram: 'Instagram',
  linkedin: 'LinkedIn',
};

export function platformName(platform: string, platforms?: readonly PlatformInfo[] | null): string {
  return platforms?.find((p) => p.platform === platform)?.name ?? FALLBACK_NAMES[platform] ?? platform;
}

/** Networks where the @handle is how people know an account. */
const HANDLE_NETWORKS: ReadonlySet<string> = new Set(['bluesky', 'mastodon', 'x', 'instagram']);

/** "@alice.bsky.social" where handles are a thing; the plain username elsewhere; null when none. */
export function accountHandle(a: Pick<AccountView, 'platform' | 'username'>): string | null {
  const u = a.username?.trim();
  if (!u) return null;
  return HANDLE_NETWORKS.has(a.platform) && !u.startsWith('@') ? `@${u}` : u;
}

/** The account's name as a person would say it: its display name, else its handle, else its id. */
export function accountName(a: Pick<AccountView, 'platform' | 'username' | 'displayName' | 'platformAccountId'>): string {
  return a.displayName?.trim() || accountHandle(a) || a.platformAccountId;
}

/** Networks where accounts live on a server of the user's choice, so the server is part of who they are. */
const SERVER_NETWORKS: ReadonlySet<string> = new Set(['bluesky', 'mastodon']);

/** "bsky.social", "127.0.0.1:2583": the account's server where that matters, else null. */
export function serverHost(a: Pick<AccountView, 'platform' | 'serverUrl'>): string | null {
  if (!SERVER_NETWORKS.has(a.platform) || !a.serverUrl) return null;
  try {
    return new URL(a.serverUrl).host;
  } catch {
    return a.serverUrl;
  }
}

/** Two letters for the avatar: initials of the display name, else the handle's first letters. */
export function accountInitials(a: Pick<AccountView, 'platform' | 'username' | 'displayName' | 'platformAccountId'>): string {
  const name = a.displayName?.trim();
  if (name) {
    const words = name.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    const first = words[0];
    const second = words[1];
    if (first && second) return ([...first][0]! + [...second][0]!).toUpperCase();
    if (first) return [...first.replace(/[^\p{L}\p{N}]/gu, '')].slice(0, 2).join('').toUpperCase() || '?';
  }
  const handle = (a.username ?? a.platformAccountId).replace(/^@/, '');
  const letters = [...handle.replace(/[^\p{L}\p{N}]/gu, '')].slice(0, 2).join('');
  return letters ? letters.toUpperCase() : '?';
}

/**
 * The sign-in's lifetime in words. A healthy account's short-lived token is renewed by Postdesk
 * (Bluesky's last two hours), so its end is not news; an expiring or expired one is.
 */
export function signInText(a: Pick<AccountView, 'authKind' | 'tokenExpiresAt' | 'status' | 'health'>, now: number): string {
  if (a.status === 'disconnected') return 'Signed out: no sign-in is kept on this computer';
  if (a.tokenExpiresAt === null) return a.authKind === 'app_password' ? 'App password, no expiry date' : 'No expiry date';
  if (a.tokenExpiresAt <= now) return `Token expired ${relativeTime(a.tokenExpiresAt, now)}`;
  const when = relativeTime(a.tokenExpiresAt, now);
  if (a.health === 'healthy') return `Renews by itself (current token has ${when.replace(/^in /, '')} left)`;
  return `Token expires ${when}`;
}

/** Which accounts the reconnect action applies to. */
export function canReconnect(a: Pick<AccountView, 'health'>): boolean {
  return a.health === 'needs_reconnect' || a.health === 'disconnected' || a.health === 'error';
}

/** Accounts whose posts are paused until the user reconnects them (what the shell warns about). */
export function needingReconnect<A extends Pick<AccountView, 'health'>>(accounts: readonly A[]): A[] {
  return accounts.filter((a) => a.health === 'needs_reconnect');
}

/** The shell banner's sentence for accounts that need reconnecting; null when there are none. */
export function reconnectBannerText(accounts: readonly AccountView[], platforms?: readonly PlatformInfo[] | null): string | null {
  const due = needingReconnect(accounts);
  const first = due[0];
  if (!first) return null;
  if (due.length === 1) {
    return `${accountHandle(first) ?? accountName(first)} on ${platformName(first.platform, platforms)} needs reconnecting — its scheduled posts are paused`;
  }
  return `${due.length} accounts need reconnecting — their scheduled posts are paused`;
}

/** The page subtitle: how many accounts and what needs attention. */
export function summaryText(accounts: readonly Pick<AccountView, 'health'>[]): string {
  if (accounts.length === 0) return 'Connect the social accounts you publish to and answer from.';
  const parts = [`${accounts.length} ${accounts.length === 1 ? 'account' : 'accounts'}`];
  const healthy = accounts.filter((a) => a.health === 'healthy').length;
  const attention = accounts.filter((a) => a.health === 'needs_reconnect' || a.health === 'error').length;
  const expiring = accounts.filter((a) => a.health === 'expiring').length;
  const off = accounts.filter((a) => a.health === 'disconnected').length;
  if (healthy > 0) parts.push(`${healthy} healthy`);
  if (attention > 0) parts.push(`${attention} ${attention === 1 ? 'needs' : 'need'} attention`);
  if (expiring > 0) parts.push(`${expiring} expiring soon`);
  if (off > 0) parts.push(`${off} disconnected`);
  return parts.join(' · ');
}

/** How an account is written in the header of a dialog about it: "@alice.bsky.social (Bluesky)". */
export function accountRef(a: AccountView, platforms?: readonly PlatformInfo[] | null): string {
  return `${accountHandle(a) ?? accountName(a)} (${platformName(a.platform, platforms)})`;
}
