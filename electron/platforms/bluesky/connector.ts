// Bluesky over the AT Protocol's XRPC: app-password sessions, posts as app.bsky.feed.post records
// in the account's repo on its PDS, replies and mentions from notifications, DMs via the chat
// service. See docs/PLATFORMS.md "Bluesky" for the contract and its sources.
import { CAPABILITIES } from '../capabilities';
import {
  hasPublishMarker,
  type AccountCredentials,
  type AuthResult,
  type ConnectorAccount,
  type ConnectorOptions,
  type FindPublishedOptions,
  type InboxItem,
  type InboxQuery,
  type Page,
  type PlatformConnector,
  type PostMetrics,
  type PostPart,
  type PublishedItem,
  type PublishedLookup,
  type PublishRequest,
  type PublishResult,
  type ReplyRequest,
} from '../connector';
import { PlatformError } from '../errors';
import { HttpClient } from '../http';
import { createSession, deleteSession, refreshSession } from './auth';
import { detectFacets } from './facets';
import { assertDmAccess, fetchInbox, hinted, postUrl, sendMessage } from './inbox';
import { checkPart, uploadEmbed } from './media';
import { MAX_PARTS, rkeyFor } from './rkey';
import { createdRecordSchema, listRecordsSchema, postsSchema, postValueSchema, recordSchema, resolveHandleSchema } from './schemas';
import { parseAtUri, Xrpc, xrpcCode, type XrpcCall } from './xrpc';

const POST = 'app.bsky.feed.post';
const DEFAULT_BASE_URL = 'https://bsky.social';
/** app.bsky.feed.getPosts takes at most 25 URIs per call. */
const POSTS_PER_CALL = 25;
/** A marker lookup reads at most this many pages of 100 records (keys derived from old job ids sort late). */
const MARKER_SCAN_PAGES = 10;

interface StrongRef {
  uri: string;
  cid: string;
}

function permanent(message: string): PlatformError {
  return new PlatformError({ platform: 'bluesky', category: 'permanent', message, effect: 'none' });
}

/** The same failure, with how far a thread got, so the user knows what is already public. */
function withProgress(err: unknown, done: number, total: number): unknown {
  if (!(err instanceof PlatformError) || done === 0) return err;
  return new PlatformError({
    platform: 'bluesky',
    category: err.category,
    status: err.status,
    code: err.code,
    effect: err.effect,
    traceId: err.traceId,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
    message: `${err.message} ${done} of ${total} posts of the thread are published; trying again continues with post ${done + 1} without repeating them.`,
    cause: err,
  });
}

class BlueskyConnector implements PlatformConnector {
  readonly platform = 'bluesky' as const;
  readonly capabilities = CAPABILITIES.bluesky;
  readonly auth = { kind: 'app_password' } as const;
  readonly defaultBaseUrl = DEFAULT_BASE_URL;
  readonly #xrpc: Xrpc;
  readonly #now: () => number;

  constructor(opts: ConnectorOptions) {
    this.#now = opts.now ?? Date.now;
    this.#xrpc = new Xrpc(
      new HttpClient({ platform: 'bluesky', ...(opts.fetch ? { fetch: opts.fetch } : {}), now: this.#now, ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) }),
    );
  }

  // --- auth -----------------------------------------------------------------------------------

  async completeAuth(input: Parameters<PlatformConnector['completeAuth']>[0]): Promise<AuthResult> {
    if (!('login' in input)) throw permanent('Bluesky accounts connect with an app password (Settings > Privacy and security > App passwords).');
    return createSession(this.#xrpc, input.baseUrl || DEFAULT_BASE_URL, input.login.identifier, input.login.password);
  }

  refresh(account: ConnectorAccount): Promise<AccountCredentials> {
    return refreshSession(this.#xrpc, account);
  }

  revoke(account: ConnectorAccount): Promise<void> {
    return deleteSession(this.#xrpc, account);
  }

  // --- records --------------------------------------------------------------------------------

  #call(account: ConnectorAccount, signal?: AbortSignal): XrpcCall {
    return { baseUrl: account.baseUrl, token: account.credentials.accessToken, signal };
  }

  /** A post record of this account's repo, or null when there is none at that key. */
  async #getOwnRecord(account: ConnectorAccount, rkey: string, signal?: AbortSignal) {
    try {
      return await this.#xrpc.query(this.#call(account, signal), 'com.atproto.repo.getRecord', { repo: account.platformAccountId, collection: POST, rkey }, recordSchema);
    } catch (err) {
      if (xrpcCode(err) === 'RecordNotFound') return null;
      throw err;
    }
  }

  /** Any post by URI (a reply's parent may live on another PDS; Bluesky's PDS forwards those reads). */
  async #getPost(account: ConnectorAccount, uri: string, signal?: AbortSignal) {
    const at = parseAtUri(uri);
    if (!at || at.collection !== POST) throw new PlatformError({ platform: 'bluesky', category: 'validation', message: 'That is not a Bluesky post address.', effect: 'none' });
    const rec = await this.#xrpc.query(this.#call(account, signal), 'com.atproto.repo.getRecord', { repo: at.repo, collection: at.collection, rkey: at.rkey }, recordSchema);
    const value = postValueSchema.safeParse(rec.value);
    return { ref: { uri: rec.uri, cid: rec.cid }, root: value.success ? (value.data.reply?.root ?? null) : null };
  }

  /** Reply refs for answering `uri`: its root is the parent's root, or the parent itself. */
  async #replyRefs(account: ConnectorAccount, uri: string, signal?: AbortSignal): Promise<{ root: StrongRef; parent: StrongRef }> {
    const parent = await this.#getPost(account, uri, signal);
    return { root: parent.root ?? parent.ref, parent: parent.ref };
  }

  async #resolveHandle(account: ConnectorAccount, handle: string, signal?: AbortSignal): Promise<string | null> {
    try {
      const out = await this.#xrpc.query({ baseUrl: account.baseUrl, token: null, signal }, 'com.atproto.identity.resolveHandle', { handle }, resolveHandleSchema);
      return out.did;
    } catch (err) {
      // A handle that doesn't resolve stays plain text; a caller's abort is not that.
      if (signal?.aborted) throw err;
      return null;
    }
  }

  /**
   * Create one post at its derived key, or adopt the one an earlier attempt made there. The PDS
   * refuses an existing key (500 on Bluesky's PDS, other PDSes may say 400), so after any failure
   * but auth and rate limits the key is read back before giving up.
   */
  async #createOrAdopt(account: ConnectorAccount, rkey: string, part: PostPart, reply: { root: StrongRef; parent: StrongRef } | null, language: string | null, signal?: AbortSignal): Promise<PublishedItem & { cid: string }> {
    const call = this.#call(account, signal);
    // With media, look first: a retry must not upload the files again for a post already made.
    if (part.media.length > 0) {
      const existing = await this.#getOwnRecord(account, rkey, signal);
      if (existing) return this.#adopt(existing, part);
    }
    const facets = await detectFacets(part.text, (h) => this.#resolveHandle(account, h, signal));
    const embed = await uploadEmbed(this.#xrpc, call, part.media);
    const record = {
      $type: POST,
      text: part.text,
      createdAt: new Date(this.#now()).toISOString(),
      ...(language ? { langs: [language] } : {}),
      ...(facets.length > 0 ? { facets } : {}),
      ...(embed ? { embed } : {}),
      ...(reply ? { reply } : {}),
    };
    try {
      const out = await this.#xrpc.procedure(call, 'com.atproto.repo.createRecord', { json: { repo: account.platformAccountId, collection: POST, rkey, record } }, createdRecordSchema);
      return { platformPostId: out.uri, url: postUrl(out.uri), cid: out.cid };
    } catch (err) {
      if (!(err instanceof PlatformError) || err.category === 'auth' || err.category === 'rate_limit') throw err;
      const existing = await this.#getOwnRecord(account, rkey, signal).catch(() => null);
      if (existing) return this.#adopt(existing, part);
      throw err;
    }
  }

  #adopt(existing: { uri: string; cid: string; value: Record<string, unknown> }, part: PostPart): PublishedItem & { cid: string } {
    const value = postValueSchema.safeParse(existing.value);
    // The key is ours by derivation; a different text there means a collision, never "success".
    if (!value.success || value.data.text !== part.text) {
      throw permanent(`A different Bluesky post already uses the address Postdesk derived for this one (${existing.uri}); nothing was published.`);
    }
    return { platformPostId: existing.uri, url: postUrl(existing.uri), cid: existing.cid };
  }

  async publish(account: ConnectorAccount, request: PublishRequest): Promise<PublishResult> {
    if (request.scheduleAt !== null) throw permanent("Bluesky can't hold a post for later; Postdesk publishes it at the scheduled time instead.");
    if (request.firstComment !== null) throw permanent('Bluesky has no first comment; add it as the next post of a thread instead.');
    const parts = [request.root, ...request.thread];
    if (parts.length > MAX_PARTS) throw new PlatformError({ platform: 'bluesky', category: 'validation', message: `A thread can have at most ${MAX_PARTS} posts.`, effect: 'none' });
    parts.forEach((p, i) => checkPart(p, i === 0 ? 'The post' : `Post ${i + 1} of the thread`));

    const signal = request.signal;
    const items: PublishedItem[] = [];
    let reply = request.inReplyTo === null ? null : await this.#replyRefs(account, request.inReplyTo, signal);
    for (const [i, part] of parts.entries()) {
      try {
        const item = await this.#createOrAdopt(account, rkeyFor(request.idempotencyKey, i), part, reply, request.language, signal);
        items.push(item);
        const ref = { uri: item.platformPostId, cid: item.cid };
        reply = { root: reply?.root ?? ref, parent: ref };
      } catch (err) {
        throw withProgress(err, i, parts.length);
      }
    }
    const [root, ...thread] = items;
    if (!root) throw permanent('Nothing to publish.');
    return { root, thread, firstComment: null, scheduledOnPlatform: false, publishedAt: this.#now() };
  }

  async findPublished(account: ConnectorAccount, lookup: PublishedLookup, opts: FindPublishedOptions): Promise<PublishedItem | null> {
    if (lookup.idempotencyKey !== undefined) {
      // The key names the record: it is there or it isn't, whenever it was made.
      const rec = await this.#getOwnRecord(account, rkeyFor(lookup.idempotencyKey, 0), opts.signal);
      return rec ? { platformPostId: rec.uri, url: postUrl(rec.uri), cid: rec.cid } : null;
    }
    const marker = lookup.marker;
    let cursor: string | undefined;
    for (let page = 0; page < MARKER_SCAN_PAGES; page++) {
      const out = await this.#xrpc.query(
        this.#call(account, opts.signal),
        'com.atproto.repo.listRecords',
        { repo: account.platformAccountId, collection: POST, limit: 100, ...(cursor ? { cursor } : {}) },
        listRecordsSchema,
      );
      let newer = false;
      for (const rec of out.records) {
        const value = postValueSchema.safeParse(rec.value);
        if (!value.success) continue;
        const created = Date.parse(value.data.createdAt);
        if (Number.isNaN(created) || created < opts.since) continue;
        newer = true;
        if (hasPublishMarker(value.data.text, marker)) return { platformPostId: rec.uri, url: postUrl(rec.uri), cid: rec.cid };
      }
      // Keys sort by time; a whole page older than `since` means nothing newer follows.
      if (!out.cursor || out.records.length === 0 || !newer) return null;
      cursor = out.cursor;
    }
    return null;
  }

  async delete(account: ConnectorAccount, platformPostId: string, signal?: AbortSignal): Promise<void> {
    const at = parseAtUri(platformPostId);
    if (!at || at.collection !== POST) throw new PlatformError({ platform: 'bluesky', category: 'validation', message: 'That is not a Bluesky post address.', effect: 'none' });
    if (at.repo !== account.platformAccountId) throw permanent('That post belongs to another Bluesky account; only its author can delete it.');
    // Deleting a record that is already gone succeeds, so repeating this is safe.
    await this.#xrpc.procedureNoOutput(this.#call(account, signal), 'com.atproto.repo.deleteRecord', { repo: at.repo, collection: at.collection, rkey: at.rkey }, true);
  }

  // --- inbox and metrics ----------------------------------------------------------------------

  fetchInbox(account: ConnectorAccount, query: InboxQuery): Promise<Page<InboxItem>> {
    return fetchInbox(this.#xrpc, this.#call(account, query.signal), { did: account.platformAccountId, scopes: account.credentials.scopes }, query);
  }

  async reply(account: ConnectorAccount, request: ReplyRequest): Promise<PublishedItem> {
    if (request.to.kind === 'dm') {
      if (request.media.length > 0) throw new PlatformError({ platform: 'bluesky', category: 'media', message: 'Bluesky direct messages take text only.', effect: 'none' });
      assertDmAccess(account.credentials.scopes);
      const id = await sendMessage(this.#xrpc, this.#call(account, request.signal), request.to.threadId, request.text);
      return { platformPostId: id, url: null };
    }
    const part: PostPart = { text: request.text, media: request.media };
    checkPart(part, 'The reply');
    const refs = await this.#replyRefs(account, request.to.platformMessageId, request.signal);
    return this.#createOrAdopt(account, rkeyFor(request.idempotencyKey, 0), part, refs, null, request.signal);
  }

  async fetchMetrics(account: ConnectorAccount, platformPostIds: readonly string[], signal?: AbortSignal): Promise<readonly PostMetrics[]> {
    const out: PostMetrics[] = [];
    for (let i = 0; i < platformPostIds.length; i += POSTS_PER_CALL) {
      const uris = platformPostIds.slice(i, i + POSTS_PER_CALL);
      const page = await hinted(this.#xrpc.query(this.#call(account, signal), 'app.bsky.feed.getPosts', { uris }, postsSchema), 'post statistics');
      const fetchedAt = this.#now();
      // A deleted or hidden post is simply absent from the answer; it gets no metrics row.
      for (const p of page.posts) {
        const values: PostMetrics['values'] = {};
        if (p.likeCount !== undefined) values.likes = p.likeCount;
        if (p.repostCount !== undefined) values.reposts = p.repostCount;
        if (p.replyCount !== undefined) values.replies = p.replyCount;
        if (p.quoteCount !== undefined) values.quotes = p.quoteCount;
        if (p.bookmarkCount !== undefined) values.bookmarks = p.bookmarkCount;
        out.push({ platformPostId: p.uri, fetchedAt, values });
      }
    }
    return out;
  }
}

export function createBlueskyConnector(opts: ConnectorOptions = {}): PlatformConnector {
  return new BlueskyConnector(opts);
}
