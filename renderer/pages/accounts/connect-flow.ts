// The "Connect account" dialog as a small state machine: pick a network, then either the app
// password form (Bluesky) or the browser sign-in (OAuth: your own developer app first where the
// network needs one, the server for networks with many servers, then waiting for the browser).
// The browser sign-in's outcome arrives as `accounts.connect` events; `applyConnectEvent` decides
// what each one does to the dialog. Pure, so every path is unit-tested without a browser.
import type { EventPayload } from '../../../electron/api';
import { ApiCallError } from '../../api/errors';
import { fieldErrors, type FieldErrors } from '../../lib/issues';
import type { AccountView, PlatformId, PlatformInfo } from './account-labels';

export type ConnectEvent = EventPayload<'accounts.connect'>;

/** What the dialog was opened for: a new account, or reconnecting one (fields prefilled). */
export interface ConnectTarget {
  platform?: PlatformId;
  /** The account's server (PDS, instance) to prefill. */
  server?: string;
  /** The account's handle to prefill (app-password networks). */
  identifier?: string;
  /** Reconnecting this account: the dialog says so. */
  accountId?: string;
}

export type ConnectStep =
  | { kind: 'pick' }
  | { kind: 'password'; platform: PlatformId }
  | { kind: 'app'; platform: PlatformId }
  /** Networks with many servers (Mastodon): which one, then on to the browser. */
  | { kind: 'server'; platform: PlatformId; server: string }
  /** One click to open the browser: a click, so the sign-in window is not taken for a popup. */
  | { kind: 'ready'; platform: PlatformId; server: string }
  | { kind: 'waiting'; platform: PlatformId; server: string; flowId: string; authorizeUrl: string; opened: boolean }
  | { kind: 'failed'; platform: PlatformId; server: string; error: string };

/** The step after choosing a network (or opening the dialog for one). */
export function firstStep(info: PlatformInfo, server = ''): ConnectStep {
  if (info.authKind === 'app_password') return { kind: 'password', platform: info.platform };
  if (info.needsApp && !info.appConfigured) return { kind: 'app', platform: info.platform };
  return browserStep(info, server);
}

/** The browser sign-in's first step: the server where there is one to choose, else the button. */
export function browserStep(info: PlatformInfo, server = ''): ConnectStep {
  if (info.serverLabel !== null) return { kind: 'server', platform: info.platform, server };
  return { kind: 'ready', platform: info.platform, server };
}

/**
 * Where "Back" leads from a step (a cancelled sign-in goes there too). A dialog opened for one
 * network (reconnecting an account) has no network list to go back to.
 */
export function backStep(step: ConnectStep, info: PlatformInfo | undefined, openedFor: ConnectTarget): ConnectStep {
  switch (step.kind) {
    case 'pick':
      return step;
    case 'waiting':
    case 'failed':
      return info ? browserStep(info, step.server) : { kind: 'pick' };
    default:
      return openedFor.platform ? step : { kind: 'pick' };
  }
}

export function canGoBack(step: ConnectStep, info: PlatformInfo | undefined, openedFor: ConnectTarget): boolean {
  return backStep(step, info, openedFor) !== step;
}

export type ConnectOutcome = { kind: 'step'; step: ConnectStep } | { kind: 'connected'; accountId: string | null } | { kind: 'ignore' };

/**
 * What an `accounts.connect` event does to the dialog. Only events for the flow being shown
 * count: an older flow for the same network (cancelled when this one started) says nothing here.
 */
export function applyConnectEvent(step: ConnectStep, e: ConnectEvent, back: ConnectStep): ConnectOutcome {
  if (step.kind !== 'waiting' || e.flowId !== step.flowId) return { kind: 'ignore' };
  switch (e.status) {
    case 'waiting':
      return e.authorizeUrl && e.authorizeUrl !== step.authorizeUrl ? { kind: 'step', step: { ...step, authorizeUrl: e.authorizeUrl } } : { kind: 'ignore' };
    case 'connected':
      return { kind: 'connected', accountId: e.accountId ?? null };
    case 'failed':
      return { kind: 'step', step: { kind: 'failed', platform: step.platform, server: step.server, error: e.error ?? 'The sign-in did not finish.' } };
    case 'cancelled':
      return { kind: 'step', step: back };
  }
}

/** The dialog's title for a step. */
export function stepTitle(step: ConnectStep, name: string | null, reconnecting: boolean): string {
  if (step.kind === 'pick' || name === null) return 'Connect an account';
  const verb = reconnecting ? 'Reconnect' : 'Connect';
  switch (step.kind) {
    case 'app':
      return `${name}: your developer app`;
    case 'waiting':
      return `Finish signing in to ${name}`;
    case 'failed':
      return `${name} did not connect`;
    default:
      return `${verb} ${name}`;
  }
}

/** Networks in the order the picker shows them: ready to connect first, then the ones needing setup. */
export function pickerOrder(platforms: readonly PlatformInfo[]): PlatformInfo[] {
  const setup = (p: PlatformInfo) => (p.needsApp && !p.appConfigured ? 1 : 0);
  return [...platforms].sort((a, b) => setup(a) - setup(b));
}

/** One line under a network's name in the picker: how it signs in, and a capability worth knowing. */
export function platformBlurb(p: PlatformInfo): string {
  const how = p.authKind === 'app_password' ? 'Handle and app password' : p.needsApp ? (p.appConfigured ? 'Browser sign-in with your app' : 'Needs your developer app first') : 'Sign in through your browser';
  const can: string[] = [];
  if (p.capabilities.threads) can.push('threads');
  if (p.capabilities.nativeScheduling) can.push('native scheduling');
  if (p.capabilities.dms) can.push('DMs');
  else if (p.capabilities.comments) can.push('comments');
  const limit = `${p.capabilities.textLimit.toLocaleString('en')} characters`;
  return [how, limit, ...can].join(' · ');
}

export const PASSWORD_FIELDS = ['serverUrl', 'identifier', 'password'] as const;
export type PasswordField = (typeof PASSWORD_FIELDS)[number];

/** Where an error without field issues belongs: the server field when the message quotes what was typed there. */
export function passwordErrors(err: unknown, server: string): { fields: FieldErrors<PasswordField>; failure: unknown } {
  if (err instanceof ApiCallError && err.code === 'invalid_input') {
    if (err.issues.length > 0) {
      const fields = fieldErrors(err.issues, PASSWORD_FIELDS);
      return fields._form ? { fields: { ...fields, _form: undefined }, failure: err } : { fields, failure: null };
    }
    if (server.trim() !== '' && err.message.startsWith(`"${server.trim()}"`)) return { fields: { serverUrl: err.message }, failure: null };
  }
  return { fields: {}, failure: err };
}

/** How a saved server reads in the form: "bsky.social" for https, the full address otherwise. */
function serverField(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? `${u.host}${u.pathname.replace(/\/+$/, '')}` : url;
  } catch {
    return url;
  }
}

/** The dialog opened to reconnect an account: its network, server and handle filled in. */
export function reconnectTarget(a: Pick<AccountView, 'id' | 'platform' | 'serverUrl' | 'username'>): ConnectTarget {
  const server = serverField(a.serverUrl);
  return {
    platform: a.platform,
    accountId: a.id,
    ...(server ? { server } : {}),
    ...(a.username ? { identifier: a.username.replace(/^@/, '') } : {}),
  };
}
