// Fetching each account's inbox on the scheduler, at the seeds' adaptive pace (001 monitored_posts
// next_check_at: "adaptive: 5-30 min"). One 'inbox.poll' job per account at a time; a cheap sweep
// every minute queues the accounts that are due, so new accounts start polling, a crash loses
// nothing and disconnected accounts stop. The pace lives in inbox_poll_state (per device, never
// synced): next_poll_at is the one truth the sweep reads, so "Refresh now", a reply and a poll's
// own result all steer polling by writing it or by queueing a poll directly.
import { and, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { accounts } from '../../../db/schema/accounts';
import { inboxPollState } from '../../../db/schema/inbox';
import { jobs } from '../../../db/schema/jobs';
import { monitoredPosts } from '../../../db/schema/posts';
import type { Database } from '../../../db/client';
import { capabilitiesOf } from '../../platforms/capabilities';
import type { InboxKind } from '../../platforms/connector';
import { PlatformError } from '../../platforms/errors';
import type { CronSpec } from '../../scheduler/cron';
import { defineJob, JobError } from '../../scheduler/definitions';
import { schedulerFor } from '../../scheduler/scheduler';
import { withAccountJob } from '../accounts/session';
import type { ApiContext, CoreApp } from '../context';
import { triageNewMessages } from './ai-triage';
import { ingestItems } from './ingest';
import { InboxError } from './summary';
import type { PollStateView } from './views';

// --- the pace (pure) ------------------------------------------------------------------------------

const MINUTE = 60_000;
export const POLL_MIN_MS = 5 * MINUTE;
export const POLL_MAX_MS = 30 * MINUTE;
/**
 * Quiet polls stretch the interval ×1.5: 5 → 7.5 → 11.3 → 16.9 → 25.3 → 30 minutes, so an account
 * reaches the slowest pace after about an hour of nothing, and one new message brings it back to 5.
 */
export const POLL_GROWTH = 1.5;
/** Failures back off faster (×2) than quiet does, still never beyond POLL_MAX_MS. */
export const POLL_ERROR_GROWTH = 2;
/** A reply sent this recently means the user is at work in the inbox: an answer is likely, keep 5 min. */
export const USER_ACTIVE_MS = 15 * MINUTE;
/**
 * A rate limit's reset is honoured even past 30 minutes (asking earlier only earns another 429),
 * but not past this: a misread reset header must not silence an inbox for days.
 */
export const RATE_LIMIT_MAX_WAIT_MS = 6 * 60 * MINUTE;

export type PollOutcome =
  /** The poll brought at least one new message. */
  | { kind: 'new' }
  | { kind: 'empty' }
  | { kind: 'error' }
  | { kind: 'rate_limited'; retryAfterMs: number | undefined };

export interface PollPace {
  /** The pace to remember (the next outcome grows it from here). */
  intervalMs: number;
  /** How long until the next poll: the interval, or longer when a rate limit says so. */
  delayMs: number;
}

/** The next pace after a poll. `userActive`: the user replied on this account within USER_ACTIVE_MS. */
export function nextPollPace(previousMs: number | null, outcome: PollOutcome, userActive = false): PollPace {
  const prev = Math.min(POLL_MAX_MS, Math.max(POLL_MIN_MS, previousMs ?? POLL_MIN_MS));
  let intervalMs: number;
  switch (outcome.kind) {
    case 'new':
      intervalMs = POLL_MIN_MS;
      break;
    case 'empty':
      intervalMs = userActive ? POLL_MIN_MS : Math.min(POLL_MAX_MS, Math.round(prev * POLL_GROWTH));
      break;
    case 'error':
    case 'rate_limited':
      intervalMs = Math.min(POLL_MAX_MS, Math.round(prev * POLL_ERROR_GROWTH));
      break;
  }
  const wait = outcome.kind === 'rate_limited' ? Math.min(RATE_LIMIT_MAX_WAIT_MS, Math.max(0, outcome.retryAfterMs ?? 0)) : 0;
  return { intervalMs, delayMs: Math.max(intervalMs, wait) };
}

// --- what a poll asks for ---------------------------------------------------------------------------

/** Newer items are asked for from a little before the newest one seen: networks' clocks differ and
 *  their indexes are eventually consistent; ingestion is idempotent, so the overlap costs nothing. */
export const SINCE_OVERLAP_MS = 10 * MINUTE;
/** An account's first poll reads back this far, not its whole history. */
export const FIRST_POLL_LOOKBACK_MS = 7 * 24 * 60 * MINUTE;
/**
 * One poll reads at most this many pages of this many items (1000), so a poll is bounded in time
 * and memory. Pages come newest first: past the cap, older items of that poll are left out (on a
 * first poll of a very busy account, the newest 1000 of the week come in).
 */
export const POLL_PAGE_CAP = 20;
export const POLL_PAGE_SIZE = 50;

type AccountRow = Pick<typeof accounts.$inferSelect, 'id' | 'workspaceId' | 'platform' | 'platformAccountId' | 'status' | 'username' | 'displayName'>;

function loadAccount(db: Database, accountId: string): AccountRow | undefined {
  return db.orm
    .select({
      id: accounts.id,
      workspaceId: accounts.workspaceId,
      platform: accounts.platform,
      platformAccountId: accounts.platformAccountId,
      status: accounts.status,
      username: accounts.username,
      displayName: accounts.displayName,
    })
    .from(accounts)
    .where(and(eq(accounts.id, accountId), isNull(accounts.deletedAt)))
    .get();
}

export interface WatchedPosts {
  /** Monitored posts whose window reaches past `since`: their comments may be in this poll. */
  counted: string[];
  /** Of those, the ones still open after now. */
  open: string[];
}

/**
 * The account's monitored posts as a poll sees them. Posts whose window has ended stop being
 * watched ("stop after the monitoring window": monitoring_enabled = 0), but a window that ended
 * after `since` still counts for this poll: a comment written on day 6 of 7 and fetched on day 8
 * (the computer slept) is in the window, and ingestion keeps it by the comment's own time. A post
 * with no end set is watched until the user stops it.
 */
export function watchedPosts(db: Database, accountId: string, since: number, now: number): WatchedPosts {
  const rows = db.orm
    .select({ id: monitoredPosts.id, endsAt: monitoredPosts.monitoringEndsAt })
    .from(monitoredPosts)
    .where(and(eq(monitoredPosts.accountId, accountId), eq(monitoredPosts.monitoringEnabled, true), isNull(monitoredPosts.deletedAt)))
    .all();
  const ended = rows.filter((r) => r.endsAt !== null && r.endsAt <= now).map((r) => r.id);
  if (ended.length > 0) {
    db.orm.update(monitoredPosts).set({ monitoringEnabled: false, nextCheckAt: null, updatedAt: now }).where(inArray(monitoredPosts.id, ended)).run();
  }
  return {
    counted: rows.filter((r) => r.endsAt === null || r.endsAt > since).map((r) => r.id),
    open: rows.filter((r) => r.endsAt === null || r.endsAt > now).map((r) => r.id),
  };
}

/**
 * DMs and mentions where the network offers them; comments only while a monitored post's window
 * is open, since comments on old posts are what the window is there to stop. (The networks'
 * inbox APIs return comments per account, not per post, so the switch is per account; ingestion
 * keeps only comments under a monitored post, written inside its window.)
 */
export function kindsToPoll(platform: AccountRow['platform'], commentsWatched: boolean): InboxKind[] {
  const caps = capabilitiesOf(platform);
  if (!caps) return [];
  const kinds: InboxKind[] = [];
  if (caps.dms) kinds.push('dm');
  if (caps.mentions) kinds.push('mention');
  if (caps.comments && commentsWatched) kinds.push('comment');
  return kinds;
}

/** Whether the user sent a reply on this account lately (the list's index finds recent threads). */
function userActiveOn(db: Database, account: AccountRow, now: number): boolean {
  const since = now - USER_ACTIVE_MS;
  const row = db.sqlite
    .prepare<[string, number, string, number], { one: number }>(
      `SELECT 1 AS one FROM conversations c
       WHERE c.workspace_id = ? AND c.status IN ('open', 'pending', 'closed') AND c.last_message_at > ? AND c.account_id = ?
         AND EXISTS (SELECT 1 FROM conversation_messages m WHERE m.conversation_id = c.id AND m.sent_at > ?
                     AND m.direction = 'outbound' AND m.is_private_note = 0)
       LIMIT 1`,
    )
    .get(account.workspaceId, since, account.id, since);
  return row !== undefined;
}

function ensureState(db: Database, account: AccountRow, now: number): typeof inboxPollState.$inferSelect {
  db.orm.insert(inboxPollState).values({ accountId: account.id, workspaceId: account.workspaceId, intervalMs: POLL_MIN_MS, createdAt: now, updatedAt: now }).onConflictDoNothing().run();
  const state = db.orm.select().from(inboxPollState).where(eq(inboxPollState.accountId, account.id)).get();
  if (!state) throw new Error(`The poll state of account ${account.id} could not be created.`);
  return state;
}

function describe(err: unknown): string {
  return err instanceof Error && err.message.trim() !== '' ? err.message : 'The inbox could not be fetched, for a reason the network did not give.';
}

function platformCause(err: unknown): PlatformError | null {
  if (err instanceof PlatformError) return err;
  if (err instanceof JobError && err.cause instanceof PlatformError) return err.cause;
  return null;
}

// --- the poll ----------------------------------------------------------------------------------------

export interface PollResult {
  added: number;
  fetched: number;
  pages: number;
  kinds: InboxKind[];
  intervalMs: number;
  nextPollAt: number;
  error?: string;
  skipped?: string;
}

/**
 * Fetch what is new for one account, page by page, and ingest each page as it comes (a poll cut
 * short keeps what it ingested). Failures are recorded on the poll state and paced there; only
 * an account that needs reconnecting throws (the job parks until the user reconnects).
 */
export async function pollAccount(ctx: ApiContext, accountId: string, opts: { signal: AbortSignal; now?: () => number }): Promise<PollResult> {
  const clock = opts.now ?? Date.now;
  const db = ctx.db;
  const account = loadAccount(db, accountId);
  if (!account || account.status !== 'active') {
    return { added: 0, fetched: 0, pages: 0, kinds: [], intervalMs: POLL_MIN_MS, nextPollAt: clock(), skipped: 'The account is not connected.' };
  }
  const started = clock();
  const state = ensureState(db, account, started);
  const since = state.newestSeenAt === null ? started - FIRST_POLL_LOOKBACK_MS : state.newestSeenAt - SINCE_OVERLAP_MS;
  const watched = watchedPosts(db, account.id, since, started);
  const kinds = kindsToPoll(account.platform, watched.counted.length > 0);
  const ingestAs = { id: account.id, workspaceId: account.workspaceId, platform: account.platform, platformAccountId: account.platformAccountId };

  ctx.events.emit('inbox.poll', { workspaceId: account.workspaceId, accountId: account.id, status: 'polling' });
  let added = 0;
  let fetched = 0;
  let pages = 0;
  let newest = state.newestSeenAt;
  let failure: unknown = null;
  /** New customer messages, for the AI's triage once the poll is recorded. */
  const inbound: string[] = [];
  const fetchKinds = async (asked: InboxKind[]): Promise<void> => {
    await withAccountJob(ctx, account.id, async (connector, connected) => {
      let cursor: string | null = null;
      // withAccountJob may run this again after renewing the token: start over, ingestion is idempotent.
      pages = 0;
      do {
        const page = await connector.fetchInbox(connected, { kinds: asked, cursor, since, limit: POLL_PAGE_SIZE, signal: opts.signal });
        pages++;
        fetched += page.items.length;
        const now = clock();
        for (const item of page.items) {
          // A post dated in the future (a skewed clock) must not push `since` past real messages.
          const at = Math.min(item.createdAt, now);
          if (Number.isFinite(at) && (newest === null || at > newest)) newest = at;
        }
        if (page.items.length > 0) {
          const ingested = ingestItems(ctx, ingestAs, page.items, now);
          added += ingested.added;
          inbound.push(...ingested.inboundMessageIds);
        }
        cursor = page.nextCursor;
      } while (cursor !== null && pages < POLL_PAGE_CAP && !opts.signal.aborted);
    });
  };
  /** A problem worth showing that did not stop the poll (DMs refused, the rest fetched). */
  let note: string | null = null;
  if (kinds.length > 0) {
    try {
      try {
        await fetchKinds(kinds);
      } catch (err) {
        // Some sign-ins may read mentions but not DMs (a Bluesky app password without DM access):
        // that must not keep the rest of the inbox from arriving. Say so, and fetch the rest.
        const rest = kinds.filter((k) => k !== 'dm');
        if (platformCause(err)?.category !== 'permanent' || rest.length === kinds.length || rest.length === 0 || opts.signal.aborted) throw err;
        note = describe(err);
        await fetchKinds(rest);
      }
    } catch (err) {
      failure = opts.signal.aborted ? new Error('The check was stopped before it finished (it took too long, or Postdesk was closing).', { cause: err }) : err;
    }
  }

  const now = clock();
  const cause = platformCause(failure);
  const held = failure instanceof JobError && failure.hold !== undefined;
  const outcome: PollOutcome =
    failure === null
      ? added > 0
        ? { kind: 'new' }
        : { kind: 'empty' }
      : cause?.category === 'rate_limit' || (failure instanceof JobError && failure.retryAfterMs !== undefined)
        ? { kind: 'rate_limited', retryAfterMs: cause?.retryAfterMs ?? (failure instanceof JobError ? failure.retryAfterMs : undefined) }
        : { kind: 'error' };
  const pace = nextPollPace(state.intervalMs, outcome, failure === null && added === 0 && userActiveOn(db, account, now));
  const nextPollAt = now + pace.delayMs;
  const error = failure === null ? note : describe(failure);
  db.orm.transaction((tx) => {
    tx.update(inboxPollState)
      .set({
        intervalMs: pace.intervalMs,
        lastPollAt: now,
        nextPollAt,
        lastError: error,
        newestSeenAt: newest,
        ...(added > 0 ? { lastActivityAt: now } : {}),
        updatedAt: now,
      })
      .where(eq(inboxPollState.accountId, account.id))
      .run();
    if (failure === null && kinds.includes('comment')) {
      const open = new Set(watched.open);
      for (const id of watched.counted) {
        tx.update(monitoredPosts).set({ lastCheckAt: now, nextCheckAt: open.has(id) ? nextPollAt : null, updatedAt: now }).where(eq(monitoredPosts.id, id)).run();
      }
    }
  });
  if (failure === null) {
    ctx.events.emit('inbox.poll', { workspaceId: account.workspaceId, accountId: account.id, status: 'done', added, ...(note === null ? {} : { error: note }) });
  } else {
    ctx.events.emit('inbox.poll', { workspaceId: account.workspaceId, accountId: account.id, status: 'failed', added, error: error ?? describe(failure) });
  }
  // The AI triages new customer messages beside the poll, not inside it: a slow model must not hold
  // the account's next poll, and the poll's result does not depend on it. It sends nothing, skips
  // what rules decided and threads with AI off; a message it misses (the app closed mid-call) is
  // triaged from the thread view (inboxAi.triage).
  if (inbound.length > 0) void triageNewMessages(ctx, inbound).catch((err: unknown) => console.warn('[inbox] AI triage after a poll failed:', err));
  // Parked until the user reconnects (the sweep sees the held job and queues no other); or stopped,
  // cancelled or timed out, which the runner handles.
  if (held || opts.signal.aborted) throw failure;
  return { added, fetched, pages, kinds, intervalMs: pace.intervalMs, nextPollAt, ...(error === null ? {} : { error }) };
}

const pollPayload = z.object({ accountId: z.string() });

export const pollInbox = defineJob<z.infer<typeof pollPayload>, PollResult, CoreApp>({
  type: 'inbox.poll',
  payload: pollPayload,
  // Failures are paced by the poll state, not by retries: the next poll is the retry.
  maxAttempts: 1,
  // After a laptop wakes, every account is due at once: a second apart, not a burst.
  catchUpSpacingMs: 1_000,
  timeoutMs: 5 * MINUTE,
  handler: ({ app, payload, signal, now }) => pollAccount(app.ctx, payload.accountId, { signal, now }),
});

// --- queueing polls ----------------------------------------------------------------------------------

/** Accounts with a poll queued or running (held ones included: they wait for a reconnect). */
function accountsPolling(db: Database, accountIds?: readonly string[]): Set<string> {
  const rows = db.orm
    .select({ accountId: jobs.accountId })
    .from(jobs)
    .where(and(eq(jobs.type, pollInbox.type), inArray(jobs.status, ['pending', 'running']), accountIds ? inArray(jobs.accountId, [...accountIds]) : undefined))
    .all();
  return new Set(rows.flatMap((r) => (r.accountId === null ? [] : [r.accountId])));
}

function canPoll(platform: AccountRow['platform']): boolean {
  return kindsToPoll(platform, true).length > 0;
}

/** The sweep: queue a poll for every active account that is due and has none queued or running. */
export function enqueueDuePolls(ctx: ApiContext, now = Date.now()): { queued: number } {
  const db = ctx.db;
  const scheduler = schedulerFor(db);
  if (!scheduler) return { queued: 0 };
  return db.orm.transaction(() => {
    const due = db.orm
      .select({ id: accounts.id, workspaceId: accounts.workspaceId, platform: accounts.platform })
      .from(accounts)
      .leftJoin(inboxPollState, eq(inboxPollState.accountId, accounts.id))
      .where(
        and(
          eq(accounts.status, 'active'),
          isNull(accounts.deletedAt),
          or(isNull(inboxPollState.accountId), isNull(inboxPollState.nextPollAt), lte(inboxPollState.nextPollAt, now)),
        ),
      )
      .all()
      .filter((a) => canPoll(a.platform));
    if (due.length === 0) return { queued: 0 };
    const busy = accountsPolling(db, due.map((a) => a.id));
    let queued = 0;
    for (const a of due) {
      if (busy.has(a.id)) continue;
      scheduler.enqueue(pollInbox, { accountId: a.id }, { runAt: now, workspaceId: a.workspaceId, accountId: a.id });
      queued++;
    }
    return { queued };
  });
}

export const pollSweep = defineJob<Record<string, never>, { queued: number }, CoreApp>({
  type: 'inbox.poll_sweep',
  payload: z.object({}).strict() as z.ZodType<Record<string, never>>,
  maxAttempts: 3,
  missedRunPolicy: 'run_now',
  handler: ({ app, now }) => enqueueDuePolls(app.ctx, now()),
});

export function pollCrons(): CronSpec[] {
  return [{ name: 'Check inboxes that are due', jobType: pollSweep.type, cronExpression: '* * * * *', timezone: 'UTC', workspaceId: null, missedRunPolicy: 'run_once' }];
}

/**
 * "Refresh now": a poll right away for one account or every active account of the workspace. A
 * poll already queued is brought forward instead of doubled. One already running may have fetched
 * before the user pressed Refresh, so another is queued behind it (ingestion is idempotent).
 */
export function pollNow(ctx: ApiContext, workspaceId: string, accountId?: string, now = Date.now()): { queued: number } {
  const db = ctx.db;
  const scheduler = schedulerFor(db);
  if (!scheduler) throw new InboxError('conflict', 'Fetching is not running in this window; restart Postdesk.');
  let targets: { id: string; platform: AccountRow['platform'] }[];
  if (accountId !== undefined) {
    const a = loadAccount(db, accountId);
    if (!a || a.workspaceId !== workspaceId) throw new InboxError('not_found', 'That account is not in this workspace (it may have been removed).');
    if (a.status !== 'active') {
      throw new InboxError('conflict', `${a.username ?? a.displayName ?? 'This account'} ${a.status === 'disconnected' ? 'is disconnected' : 'needs reconnecting'}; reconnect it to fetch its messages.`);
    }
    targets = [a];
  } else {
    targets = db.orm
      .select({ id: accounts.id, platform: accounts.platform })
      .from(accounts)
      .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.status, 'active'), isNull(accounts.deletedAt)))
      .all();
  }
  targets = targets.filter((t) => canPoll(t.platform));
  if (targets.length === 0) return { queued: 0 };

  const queued = db.orm
    .select({ id: jobs.id, accountId: jobs.accountId, runAt: jobs.runAt })
    .from(jobs)
    .where(and(eq(jobs.type, pollInbox.type), eq(jobs.status, 'pending'), inArray(jobs.accountId, targets.map((t) => t.id))))
    .all();
  const toBringForward: string[] = [];
  db.orm.transaction(() => {
    for (const t of targets) {
      const pending = queued.find((j) => j.accountId === t.id);
      if (pending) {
        if (pending.runAt > now) toBringForward.push(pending.id);
        continue;
      }
      scheduler.enqueue(pollInbox, { accountId: t.id }, { runAt: now, workspaceId, accountId: t.id, priority: 1 });
    }
  });
  // The scheduler's own "run now": same job, same attempts, the runner wakes for it.
  for (const id of toBringForward) scheduler.retry(id);
  return { queued: targets.length };
}

/** After the user replies on an account, look for the answer sooner (their reply makes one likely). */
export function expectActivity(db: Pick<Database['orm'], 'update'>, accountId: string, now: number): void {
  db.update(inboxPollState)
    .set({ intervalMs: POLL_MIN_MS, nextPollAt: sql`MIN(COALESCE(${inboxPollState.nextPollAt}, ${now + POLL_MIN_MS}), ${now + POLL_MIN_MS})`, updatedAt: now })
    .where(eq(inboxPollState.accountId, accountId))
    .run();
}

// --- what the Settings / inbox header shows ---------------------------------------------------------------

function autoReplyOf(metadata: Record<string, unknown>): boolean {
  const inbox = metadata['inbox'];
  return typeof inbox === 'object' && inbox !== null && (inbox as Record<string, unknown>)['autoReply'] === true;
}

export function listPollStates(db: Database, workspaceId: string): PollStateView[] {
  const rows = db.orm
    .select({ account: accounts, state: inboxPollState })
    .from(accounts)
    .leftJoin(inboxPollState, eq(inboxPollState.accountId, accounts.id))
    .where(and(eq(accounts.workspaceId, workspaceId), isNull(accounts.deletedAt)))
    .orderBy(accounts.platform, accounts.username)
    .all();
  return rows
    .filter((r) => canPoll(r.account.platform))
    .map(({ account: a, state: s }) => ({
      accountId: a.id,
      platform: a.platform,
      accountLabel: a.username ?? a.displayName ?? a.platform,
      intervalMs: s?.intervalMs ?? POLL_MIN_MS,
      lastPollAt: s?.lastPollAt ?? null,
      // Only accounts that can poll have a next poll; the others wait for a reconnect.
      nextPollAt: a.status === 'active' ? (s?.nextPollAt ?? null) : null,
      lastActivityAt: s?.lastActivityAt ?? null,
      lastError: s?.lastError ?? (a.status === 'active' ? null : a.lastError),
      autoReply: autoReplyOf(a.metadata),
    }));
}
