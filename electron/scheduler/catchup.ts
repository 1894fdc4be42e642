// Work that came due while Postdesk was closed or the machine slept. At startup and on resume:
// - a first attempt overdue by more than the grace time was "missed": its policy runs it now,
//   skips it (cancelled, with the reason kept) or holds it until the user decides;
// - overdue jobs of types that ask for spacing (publishes) are spread out, a few seconds apart,
//   in their original order, instead of all firing at once.
import type BetterSqlite3 from 'better-sqlite3';
import type { MissedRunPolicy } from './definitions';
import { nextRecurringAt, type JobStore, type QueuedInfo } from './store';

interface OverdueRow {
  id: string;
  type: string;
  workspace_id: string | null;
  run_at: number;
  due_at: number | null;
  attempts: number;
  missed_run_policy: MissedRunPolicy | null;
  recurrence: string | null;
  series_key: string | null;
}

export interface MissedJob {
  id: string;
  type: string;
  workspaceId: string | null;
  dueAt: number;
  action: MissedRunPolicy;
  runAt: number | null;
}

export interface CatchUpResult {
  missed: MissedJob[];
  /** Next occurrences of skipped recurring jobs. */
  queued: QueuedInfo[];
  spaced: number;
}

export interface CatchUpPolicy {
  policyOf(type: string): MissedRunPolicy;
  spacingOf(type: string): number;
  maxAttemptsOf(type: string): number;
}

/** Rows handled per transaction, so a large backlog never blocks the event loop for long. */
const BATCH = 500;
const MAX_ROWS = 20_000;

export class CatchUp {
  private readonly levels: BetterSqlite3.Statement<[], { p: number }>;
  private readonly overdue: BetterSqlite3.Statement<{ p: number; now: number; cut: number; spaced: string; types: string; n: number }, OverdueRow>;
  private readonly skip: BetterSqlite3.Statement<{ id: string; now: number; reason: string }, { id: string }>;
  private readonly hold: BetterSqlite3.Statement<{ id: string; now: number }>;
  private readonly move: BetterSqlite3.Statement<{ id: string; now: number; runAt: number }>;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly store: JobStore,
  ) {
    const pending = `status = 'pending' AND hold IS NULL`;
    this.levels = sqlite.prepare(
      `WITH RECURSIVE lv(p) AS (
         SELECT MAX(priority) FROM jobs WHERE ${pending}
         UNION ALL
         SELECT (SELECT MAX(priority) FROM jobs WHERE ${pending} AND priority < lv.p) FROM lv WHERE lv.p IS NOT NULL
       ) SELECT p FROM lv WHERE p IS NOT NULL`,
    );
    this.overdue = sqlite.prepare(
      `SELECT id, type, workspace_id, run_at, due_at, attempts, missed_run_policy, recurrence, series_key FROM jobs
       WHERE ${pending} AND priority = @p AND run_at < @now AND type IN (SELECT value FROM json_each(@types))
         AND (run_at < @cut OR type IN (SELECT value FROM json_each(@spaced)))
       ORDER BY run_at LIMIT @n`,
    );
    this.skip = sqlite.prepare(
      `UPDATE jobs SET status = 'cancelled', last_error = @reason, completed_at = @now, updated_at = @now
       WHERE id = @id AND ${pending} RETURNING id`,
    );
    this.hold = sqlite.prepare(`UPDATE jobs SET hold = 'missed', updated_at = @now WHERE id = @id AND ${pending}`);
    this.move = sqlite.prepare(`UPDATE jobs SET run_at = @runAt, updated_at = @now WHERE id = @id AND ${pending}`);
  }

  /**
   * Find overdue jobs and apply policies, in small transactions with a yield between them.
   * The runner does not claim while this runs, so nothing missed starts before its policy applied.
   */
  async run(now: number, graceMs: number, typesJson: string, spacedJson: string, policy: CatchUpPolicy): Promise<CatchUpResult> {
    const rows: OverdueRow[] = [];
    for (const { p } of this.levels.all()) {
      rows.push(...this.overdue.all({ p, now, cut: now - graceMs, spaced: spacedJson, types: typesJson, n: MAX_ROWS - rows.length }));
      if (rows.length >= MAX_ROWS) break;
    }
    rows.sort((a, b) => a.run_at - b.run_at);

    const result: CatchUpResult = { missed: [], queued: [], spaced: 0 };
    const nextSlot = new Map<string, number>();
    const actions: (() => void)[] = [];
    for (const row of rows) {
      const dueAt = row.due_at ?? row.run_at;
      const missed = row.attempts === 0 && row.run_at < now - graceMs;
      const action: MissedRunPolicy = missed ? (row.missed_run_policy ?? policy.policyOf(row.type)) : 'run_now';
      const ref = { id: row.id, type: row.type, workspaceId: row.workspace_id, dueAt };
      if (action === 'skip') {
        const when = new Date(dueAt).toISOString();
        actions.push(() => {
          if (!this.skip.get({ id: row.id, now, reason: `Skipped: it was due at ${when} while Postdesk was not running (missed-run policy: skip).` })) return;
          result.missed.push({ ...ref, action, runAt: null });
          if (row.recurrence) {
            const at = nextRecurringAt(row, now, graceMs);
            const q = at === null ? null : this.store.insertNextOccurrence(row, at, now, policy.maxAttemptsOf(row.type));
            if (q) result.queued.push(q);
          }
        });
        continue;
      }
      if (action === 'ask') {
        actions.push(() => {
          this.hold.run({ id: row.id, now });
          result.missed.push({ ...ref, action, runAt: null });
        });
        continue;
      }
      const spacing = policy.spacingOf(row.type);
      let runAt = row.run_at;
      if (spacing > 0) {
        const slot = nextSlot.get(row.type) ?? now;
        runAt = slot;
        nextSlot.set(row.type, slot + spacing);
        if (runAt !== row.run_at) {
          actions.push(() => {
            this.move.run({ id: row.id, now, runAt });
            result.spaced++;
          });
        }
      }
      if (missed) actions.push(() => result.missed.push({ ...ref, action, runAt: Math.max(runAt, now) }));
    }
    for (let i = 0; i < actions.length; i += BATCH) {
      if (i > 0) await new Promise((r) => setImmediate(r));
      const chunk = actions.slice(i, i + BATCH);
      this.store.write(() => chunk.forEach((a) => a()));
    }
    return result;
  }
}
