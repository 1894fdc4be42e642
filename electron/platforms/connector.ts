// The one interface every network sits behind (DESIGN.md "Platforms"). Connectors speak the
// platform's real HTTP API from a configurable base URL; this module holds only the shapes they
// share and small pure helpers. Secrets travel in `AccountCredentials` and never leave the core.
import type { Platform } from '../../db/schema/enums';
import type { PlatformCapabilities } from './capabilities';
import type { FetchLike } from './http';

// --- auth ---------------------------------------------------------------------------------------

/**
 * OAuth 2 authorization code with PKCE (RFC 7636) through a loopback redirect
 * (RFC 8252 §7.3: http://127.0.0.1:<ephemeral port>/callback), opened in the system browser.
 */
export interface OAuthPkceAuth {
  kind: 'oauth2';
  authorizeUrl: string;
  tokenUrl: string;
  scopes: readonly string[];
  /** The user's own app client id where the platform requires one (X, Meta, LinkedIn). */
  clientIdSource: 'user_app' | 'dynamic_registration';
  /** Some platforms still want the secret at the token endpoint even with PKCE (Meta, LinkedIn). */
  needsClientSecret: boolean;
}

/** Bluesky app passwords: createSession with a handle and a password made for this app. */
export interface AppPasswordAuth {
  kind: 'app_password';
}

export type AuthMethod = OAuthPkceAuth | AppPasswordAuth;

/** What a connector needs to sign requests. Kept in account_secrets, encrypted; never in the renderer. */
export interface AccountCredentials {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms; null when the platform doesn't say (Mastodon tokens don't expire by default). */
  expiresAt: number | null;
  scopes: readonly string[];
}

/** The start of a PKCE flow: open `url`, then hand the callback's query to `completeAuth`. */
export interface AuthStart {
  url: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface AuthCallback {
  code: string;
  state: string;
  codeVerifier: string;
  redirectUri: string;
}

export interface AppPasswordLogin {
  identifier: string;
  password: string;
}

/** The account as the platform reports it after sign-in. */
export interface ConnectedProfile {
  platformAccountId: string;
  username: string | null;
  displayName: string | null;
  profileUrl: string | null;
  avatarUrl: string | null;
  /** The PDS or instance that actually serves the account (may differ from the entry server). */
  serverUrl: string | null;
}

export interface AuthResult {
  profile: ConnectedProfile;
  credentials: AccountCredentials;
}

/** Where and as whom a connector acts. */
export interface ConnectorAccount {
  platformAccountId: string;
  /** Mastodon instance, Bluesky PDS, or an override for tests; each connector has its default. */
  baseUrl: string;
  credentials: AccountCredentials;
}

// --- publishing ---------------------------------------------------------------------------------

export type MediaKind = 'image' | 'gif' | 'video' | 'document';

export interface MediaInput {
  kind: MediaKind;
  mimeType: string;
  /** A local file path (connectors upload the bytes) ... */
  path: string | null;
  /** ... or a public URL, which Instagram requires because it fetches the media itself. */
  url: string | null;
  sizeBytes: number;
  altText: string | null;
  width?: number;
  height?: number;
  durationMs?: number;
}

export interface PostPart {
  text: string;
  media: readonly MediaInput[];
}

export interface PublishRequest {
  /** The first post; `thread` continues it as replies to itself, `firstComment` comments under it. */
  root: PostPart;
  thread: readonly PostPart[];
  firstComment: string | null;
  /** Ask the platform to hold the post until then (epoch ms); null publishes now. */
  scheduleAt: number | null;
  /** From the scheduler's job; sent where the platform accepts one, and embedded as a marker where it doesn't. */
  idempotencyKey: string;
  /** Reply to someone else's post (inbox replies use `reply` instead). */
  inReplyTo: string | null;
  language: string | null;
  signal?: AbortSignal;
}

export interface PublishedItem {
  /** The platform's id (Bluesky at:// URI, Mastodon status id, tweet id, Graph id, LinkedIn URN). */
  platformPostId: string;
  url: string | null;
  /** Bluesky's record cid, needed for reply refs. */
  cid?: string;
}

export interface PublishResult {
  root: PublishedItem;
  thread: readonly PublishedItem[];
  firstComment: PublishedItem | null;
  /** True when the platform holds the post for later (its id is a scheduled-post id). */
  scheduledOnPlatform: boolean;
  publishedAt: number | null;
}

/** A post handed to the network to publish later (PublishResult.scheduledOnPlatform), as `checkScheduled` finds it. */
export interface HeldPost {
  /** The id `publish` returned for it. */
  platformPostId: string;
  /** When it was to go out (epoch ms). */
  scheduledAt: number;
  /** The text that was sent, for networks that give the published post a new id. */
  text: string;
}

/**
 * held: the network still holds it (its own time, which the user may have changed there);
 * published: it went out, with its live id and URL; gone: neither held nor on the profile (deleted
 * or cancelled on the network, or dropped by it).
 */
export type HeldPostState =
  | { state: 'held'; scheduledAt: number | null }
  | { state: 'published'; item: PublishedItem; publishedAt: number | null }
  | { state: 'gone' };

/** What `findPublished` looks for after a crash: the key the platform stored, or a marker in the text. */
export type PublishedLookup = { idempotencyKey: string; marker?: never } | { marker: string; idempotencyKey?: never };

export interface FindPublishedOptions {
  /** Only posts created at or after this time (epoch ms): the attempt's start, minus clock skew. */
  since: number;
  signal?: AbortSignal;
}

// --- inbox ----------------------------------------------------------------------------------------

export type InboxKind = 'dm' | 'comment' | 'mention';

export interface InboxItem {
  kind: InboxKind;
  platformMessageId: string;
  /** The conversation or post this belongs to, so replies thread correctly. */
  threadId: string;
  parentId: string | null;
  authorId: string;
  authorHandle: string | null;
  authorName: string | null;
  text: string;
  createdAt: number;
  url: string | null;
  /** Until when a reply is allowed (Meta's messaging window); null when unlimited. */
  replyDeadline: number | null;
}

export interface InboxQuery {
  kinds: readonly InboxKind[];
  /** The opaque cursor from the previous page; null starts from the newest. */
  cursor: string | null;
  /** Stop at items older than this (epoch ms). */
  since: number | null;
  limit: number;
  signal?: AbortSignal;
}

export interface Page<T> {
  items: readonly T[];
  /** null when there is nothing more. */
  nextCursor: string | null;
}

export interface ReplyRequest {
  /** The InboxItem being answered. */
  to: Pick<InboxItem, 'kind' | 'platformMessageId' | 'threadId' | 'replyDeadline'>;
  text: string;
  media: readonly MediaInput[];
  idempotencyKey: string;
  signal?: AbortSignal;
}

// --- metrics --------------------------------------------------------------------------------------

export const METRIC_NAMES = ['impressions', 'reach', 'likes', 'reposts', 'replies', 'quotes', 'bookmarks', 'clicks', 'video_views', 'engagements'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface PostMetrics {
  platformPostId: string;
  fetchedAt: number;
  /** Only what the platform reported; a missing metric is absent, never 0. */
  values: Partial<Record<MetricName, number>>;
}

// --- the interface --------------------------------------------------------------------------------

/**
 * Every method throws `PlatformError` (./errors) on failure; none reports success it didn't get.
 * Methods a platform can't do are absent from its capabilities and throw a 'permanent' error.
 */
export interface PlatformConnector {
  readonly platform: Platform;
  readonly capabilities: PlatformCapabilities;
  readonly auth: AuthMethod;
  readonly defaultBaseUrl: string;

  /** PKCE: build the authorize URL for a loopback redirect. */
  beginAuth?(opts: { baseUrl: string; clientId: string; redirectUri: string; state: string; codeVerifier: string }): AuthStart;
  /** PKCE: exchange the code; app password: create the session. */
  completeAuth(input: { baseUrl: string; clientId?: string; clientSecret?: string } & ({ callback: AuthCallback } | { login: AppPasswordLogin })): Promise<AuthResult>;
  /** New credentials before expiry; an 'auth' PlatformError means the user must reconnect. */
  refresh(account: ConnectorAccount, client?: { clientId: string; clientSecret?: string }): Promise<AccountCredentials>;
  /** Revoke tokens on disconnect where the platform offers it (some need the app's client id for it). */
  revoke?(account: ConnectorAccount, client?: { clientId: string; clientSecret?: string }): Promise<void>;

  publish(account: ConnectorAccount, request: PublishRequest): Promise<PublishResult>;
  /** Reconcile: did an earlier attempt go out? Returns it, or null when certainly not found. */
  findPublished(account: ConnectorAccount, lookup: PublishedLookup, opts: FindPublishedOptions): Promise<PublishedItem | null>;
  delete(account: ConnectorAccount, platformPostId: string, signal?: AbortSignal): Promise<void>;
  /** Did a post the network held for later go out? Only where capabilities.scheduling.native. */
  checkScheduled?(account: ConnectorAccount, held: HeldPost, signal?: AbortSignal): Promise<HeldPostState>;

  fetchInbox(account: ConnectorAccount, query: InboxQuery): Promise<Page<InboxItem>>;
  reply(account: ConnectorAccount, request: ReplyRequest): Promise<PublishedItem>;

  fetchMetrics(account: ConnectorAccount, platformPostIds: readonly string[], signal?: AbortSignal): Promise<readonly PostMetrics[]>;
}

// --- small pure helpers ---------------------------------------------------------------------------

/**
 * The marker appended where a platform takes no idempotency key, so `findPublished` can recognise
 * our own post. Short and inert: a zero-width-free token that reads as a tag-like suffix.
 */
export function publishMarker(idempotencyKey: string): string {
  const compact = idempotencyKey.replace(/[^A-Za-z0-9]/g, '').slice(-10);
  return `pd${compact}`;
}

/** Whether text contains the marker as a whole word. */
export function hasPublishMarker(text: string, marker: string): boolean {
  return new RegExp(`(^|\\W)${marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\W|$)`).test(text);
}

/** RFC 8252 §7.3 loopback redirect: an IP literal, never "localhost", on the port we listen on. */
export function loopbackRedirectUri(port: number, path = '/callback'): string {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`Not a TCP port: ${port}`);
  return `http://127.0.0.1:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Seconds-from-now `expires_in` (RFC 6749 §5.1) as an epoch ms, with a margin so refresh runs early. */
export function expiresAtFrom(expiresInSeconds: number | null | undefined, now: number, marginMs = 60_000): number | null {
  if (expiresInSeconds === null || expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds)) return null;
  return now + expiresInSeconds * 1000 - marginMs;
}

/** Whether a reply window has closed (Meta's 24 h messaging / 7 d private-reply windows). */
export function replyWindowOpen(item: Pick<InboxItem, 'replyDeadline'>, now: number): boolean {
  return item.replyDeadline === null || now < item.replyDeadline;
}

/** Join a base URL and a path without doubling or dropping slashes (instances often end in '/'). */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** What every connector factory takes: injected fetch and clock for tests, nothing else. */
export interface ConnectorOptions {
  fetch?: FetchLike;
  now?: () => number;
  /** Per-request timeout; uploads may use longer ones of their own. */
  timeoutMs?: number;
}
