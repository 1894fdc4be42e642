// When sync rounds run, per running core: one SyncService (created with the core's database and
// secret vault, closed with the core) and the triggers around it.
//
// - Periodic: the 'sync.run' cron every 5 minutes, enabled only while connected and not paused.
// - On change: the capture triggers append to sync_outbox in the writer's own transaction, so
//   "the outbox has rows" is the one signal that synced data changed, whoever wrote it. Reading it
//   is a single-row lookup on the outbox's primary key; it is read when the core emits any event
//   (services emit one after their writes) and, as a backstop for writers that emit none (worker
//   threads, imports), every 15 s. A change starts a round a few seconds after the last write
//   (trailing debounce, capped so a steady stream of edits still syncs).
// - Errors: a failed round backs the automatic rounds off (30 s doubling to 15 min) and arms
//   one retry at the end of the wait; "Sync now" is never held back.
// - Startup: one round shortly after the core opens, to catch up with the other devices.
// - Paused or not connected: no automatic round runs and the cron is disabled.
// A round never runs twice at once (SyncService.syncNow joins the running one).
import type { EventName } from '../../api/events';
import { schedulerFor } from '../../scheduler/scheduler';
import type { CronSpec } from '../../scheduler/cron';
import type { ApiContext } from '../context';
import type { SyncProgress, SyncRoundResult } from './engine';
import { SyncError, SyncService } from './service';

export const SYNC_JOB_TYPE = 'sync.run';
export const SYNC_CRON_NAME = 'Sync with the cloud database';

export const SYNC_REASONS = ['manual', 'periodic', 'change', 'retry', 'resume'] as const;
export type SyncReason = (typeof SYNC_REASONS)[number];

export interface SyncScheduleOptions {
  /** Quiet time after the last local write before a round starts (default 3 s). */
  debounceMs?: number;
  /** A steady stream of writes still syncs at least this often (default 20 s). */
  maxWaitMs?: number;
  /** Backstop look at the outbox for writers that emit no event (default 15 s). */
  watchMs?: number;
  /** First wait after a network failure, doubled per failure up to backoffMaxMs (default 30 s / 15 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Periodic round (default every 5 minutes). */
  cronExpression?: string;
  /** A round soon after the core starts, for what other devices did meanwhile (default 2 s). */
  startupDelayMs?: number;
}

export type RoundOutcome =
  | ({ ran: true } & SyncRoundResult)
  | { ran: false; skipped: 'not_connected' | 'paused' | 'backoff' | 'no_workspaces' };

/** Events that say nothing about local data: they never trigger a look at the outbox. */
const QUIET_EVENTS = /^(sync\.|jobs\.|ai\.stream|app\.notice|knowledge\.progress|topics\.progress|archive\.progress)/;

/** How often progress events go out during a round (the last one always does). */
const PROGRESS_EVERY_MS = 100;

export function progressFraction(p: SyncProgress): number {
  return p.total > 0 ? Math.min(1, p.done / p.total) : 0;
}

export class SyncController {
  private svc: SyncService;
  /** Sync was set up but the vault was locked when the service opened: reopen it once unlocked. */
  private lockedAtOpen: boolean;
  private readonly opts: Required<SyncScheduleOptions>;
  private debounceTimer: NodeJS.Timeout | null = null;
  private firstChangeAt: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly watchTimer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly abort = new AbortController();
  private failures = 0;
  private retryAt: number | null = null;
  private inFlight: Promise<RoundOutcome> | null = null;
  private closed = false;

  constructor(
    private readonly ctx: ApiContext,
    opts: SyncScheduleOptions = {},
  ) {
    this.opts = {
      debounceMs: opts.debounceMs ?? 3_000,
      maxWaitMs: opts.maxWaitMs ?? 20_000,
      watchMs: opts.watchMs ?? 15_000,
      backoffBaseMs: opts.backoffBaseMs ?? 30_000,
      backoffMaxMs: opts.backoffMaxMs ?? 15 * 60_000,
      cronExpression: opts.cronExpression ?? '*/5 * * * *',
      startupDelayMs: opts.startupDelayMs ?? 2_000,
    };
    this.svc = new SyncService({ db: ctx.db, vault: ctx.vault });
    this.lockedAtOpen = this.setUpButLocked();
    this.unsubscribe = ctx.events.subscribe((event: EventName) => {
      if (!QUIET_EVENTS.test(event)) this.noticeWrites();
    });
    this.watchTimer = setInterval(() => this.noticeWrites(), this.opts.watchMs);
    this.watchTimer.unref();
    // Not at once: the scheduler is created after this controller, and startup has other work.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.request('resume');
    }, this.opts.startupDelayMs);
    this.retryTimer.unref();
  }

  /**
   * The service, reopened once after the secret vault was unlocked: with a passphrase, the
   * connection string cannot be read at startup, so sync stays off until the user unlocks.
   */
  get service(): SyncService {
    if (this.lockedAtOpen && this.ctx.vault.status().state === 'unlocked') {
      this.lockedAtOpen = false;
      this.svc = new SyncService({ db: this.ctx.db, vault: this.ctx.vault });
      // The cron was left disabled at startup; what was written meanwhile goes out shortly.
      if (this.svc.status().connected) {
        this.stateChanged('connected');
        this.noticeWrites();
        this.request('resume');
      }
    }
    return this.svc;
  }

  private setUpButLocked(): boolean {
    const row = this.ctx.db.sqlite.prepare('SELECT connected_at AS at FROM sync_state WHERE id = 1').get() as { at: number | null } | undefined;
    return row !== undefined && row.at !== null && !this.svc.status().connected && this.ctx.vault.status().state === 'locked';
  }

  /** Sync is set up on this device but waits for the saved sign-ins (and its string) to be unlocked. */
  get waitingForUnlock(): boolean {
    return this.lockedAtOpen && this.ctx.vault.status().state === 'locked';
  }

  /** Automatic rounds may run: connected, not paused, at least one workspace chosen. */
  private active(): boolean {
    const s = this.service.status();
    return s.connected && !s.paused && s.workspaces.length > 0;
  }

  /** The periodic round's cron, enabled only while automatic rounds may run. */
  cronSpec(): CronSpec {
    return {
      name: SYNC_CRON_NAME,
      jobType: SYNC_JOB_TYPE,
      cronExpression: this.opts.cronExpression,
      timezone: 'UTC',
      workspaceId: null,
      payload: { reason: 'periodic' },
      missedRunPolicy: 'run_once',
      enabled: this.active(),
    };
  }

  /** Connected, paused, resumed, workspaces chosen or disconnected: re-arm what depends on it. */
  stateChanged(reason: 'connected' | 'disconnected' | 'paused' | 'resumed' | 'workspaces'): void {
    const scheduler = schedulerFor(this.ctx.db);
    if (scheduler && scheduler.runner.definitions.has(SYNC_JOB_TYPE)) scheduler.upsertCron(this.cronSpec());
    if (reason === 'paused' || reason === 'disconnected') this.clearTimers();
    if (reason === 'resumed') {
      this.failures = 0;
      this.retryAt = null;
      this.noticeWrites();
    }
    this.ctx.events.emit('sync.changed', { reason });
  }

  /** Cheap look at the outbox; when it holds captured writes, a round follows shortly. */
  noticeWrites(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.debounceTimer) {
      // Changes are already waiting: a later write moves the round back, up to maxWaitMs.
      if (this.firstChangeAt !== null && now - this.firstChangeAt < this.opts.maxWaitMs) this.armDebounce(now);
      return;
    }
    let has: boolean;
    try {
      has = this.ctx.db.sqlite.prepare('SELECT 1 FROM sync_outbox LIMIT 1').get() !== undefined;
    } catch {
      return; // the database is closing (restore, shutdown)
    }
    if (!has || !this.active()) return;
    this.firstChangeAt = now;
    this.armDebounce(now);
  }

  private armDebounce(now: number): void {
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    const left = this.opts.maxWaitMs - (now - (this.firstChangeAt ?? now));
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      this.firstChangeAt = null;
      this.request('change');
    }, Math.max(0, Math.min(this.opts.debounceMs, left)));
    this.debounceTimer.unref();
  }

  private clearTimers(): void {
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.debounceTimer = null;
    this.retryTimer = null;
    this.firstChangeAt = null;
  }

  /**
   * Ask for a round: as a 'sync.run' job when this core runs a scheduler (it shows on the Queue
   * page with its progress), directly otherwise. No second job is queued while one waits or runs.
   */
  request(reason: SyncReason): void {
    if (this.closed || !this.active()) return;
    const scheduler = schedulerFor(this.ctx.db);
    if (scheduler && scheduler.runner.definitions.has(SYNC_JOB_TYPE)) {
      const waiting = this.ctx.db.sqlite.prepare(`SELECT 1 FROM jobs WHERE type = ? AND status IN ('pending', 'running') LIMIT 1`).get(SYNC_JOB_TYPE);
      if (waiting) return;
      scheduler.enqueueType(SYNC_JOB_TYPE, { reason });
      scheduler.runner.wake();
      return;
    }
    void this.round(reason).catch(() => undefined);
  }

  /**
   * One round with progress ('sync.progress' events; `report` for the job's own progress).
   * Automatic rounds skip while paused, not connected or backing off; "Sync now" only while
   * not connected (the service says why) or paused.
   */
  async round(reason: SyncReason, report?: (p: SyncProgress) => void, signal?: AbortSignal): Promise<RoundOutcome> {
    const s = this.service.status();
    if (!s.connected) {
      if (reason === 'manual' && this.waitingForUnlock) {
        throw new SyncError('Sync waits for your saved sign-ins to be unlocked (its connection string is kept with them). Enter your passphrase in Settings → Security.', 'not_connected');
      }
      if (reason === 'manual') throw new SyncError('Sync is not set up on this device. Connect a Postgres database first.', 'not_connected');
      return { ran: false, skipped: 'not_connected' };
    }
    if (s.paused) return { ran: false, skipped: 'paused' };
    if (s.workspaces.length === 0) return { ran: false, skipped: 'no_workspaces' };
    if (reason !== 'manual' && this.retryAt !== null && Date.now() < this.retryAt) return { ran: false, skipped: 'backoff' };
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.runRound(reason, report, signal).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async runRound(reason: SyncReason, report: ((p: SyncProgress) => void) | undefined, signal: AbortSignal | undefined): Promise<RoundOutcome> {
    // This round takes every change captured so far: a pending debounce is covered by it.
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
    this.firstChangeAt = null;
    const signals = [this.abort.signal, ...(signal ? [signal] : [])];
    let last = 0;
    let lastPhase: SyncProgress['phase'] | null = null;
    const emit = (p: SyncProgress, force = false) => {
      report?.(p);
      const now = Date.now();
      // The first and the last report of each phase always go out, so a quick round still shows
      // its steps and a bar never stops short of what was done.
      if (!force && p.phase === lastPhase && p.done < p.total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      lastPhase = p.phase;
      this.ctx.events.emit('sync.progress', { status: 'running', reason, phase: p.phase, done: p.done, total: p.total, fraction: progressFraction(p), error: null });
    };
    emit({ phase: 'prepare', done: 0, total: 0 }, true);
    try {
      const r = await this.service.syncNow({ signal: AbortSignal.any(signals), onProgress: (p) => emit(p) });
      this.failures = 0;
      this.retryAt = null;
      this.ctx.events.emit('sync.progress', { status: 'done', reason, phase: 'pull', done: 1, total: 1, fraction: 1, error: null });
      this.ctx.events.emit('sync.changed', { reason: 'synced', pushed: r.pushed, pulled: r.pulled, conflicts: r.conflicts });
      // Writes made while the round ran are in the outbox again: they get their own round.
      this.noticeWrites();
      return { ran: true, ...r };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Whatever failed (network, a refused workspace, a local write), automatic rounds wait before
      // trying again instead of failing on every edit; "Sync now" still tries at once.
      if (!this.closed && !this.abort.signal.aborted && !signal?.aborted) this.backOff();
      this.ctx.events.emit('sync.progress', { status: 'failed', reason, phase: 'prepare', done: 0, total: 0, fraction: 0, error: message });
      this.ctx.events.emit('sync.changed', { reason: 'failed', error: message });
      throw err;
    }
  }

  private backOff(): void {
    this.failures++;
    const wait = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** (this.failures - 1));
    this.retryAt = Date.now() + wait;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryAt = null;
      this.request('retry');
    }, wait);
    this.retryTimer.unref();
  }

  /** When the next automatic round may try again after a network failure (null: not waiting). */
  get backoffUntil(): number | null {
    return this.retryAt;
  }

  /** With the core: stop the timers, stop a running round at its next batch, close the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    clearInterval(this.watchTimer);
    this.unsubscribe();
    this.abort.abort(new Error('Postdesk is closing; sync stopped and continues next time.'));
    await this.inFlight?.catch(() => undefined);
    await this.svc.close();
  }
}

const byCtx = new WeakMap<ApiContext, SyncController>();

/** Create the core's sync controller (app.ts, when the database opens). */
export function openSync(ctx: ApiContext, opts: SyncScheduleOptions = {}): SyncController {
  const c = new SyncController(ctx, opts);
  byCtx.set(ctx, c);
  return c;
}

export function syncOf(ctx: ApiContext): SyncController | undefined {
  return byCtx.get(ctx);
}

/** Close with the core (app.ts shutdown, and before a restore swaps the file). */
export async function closeSync(ctx: ApiContext): Promise<void> {
  const c = byCtx.get(ctx);
  byCtx.delete(ctx);
  await c?.close();
}
