// The credit ledger: credit_balances holds the running balance and the monthly allowance,
// credit_transactions every move with the balance after it. Credits are a local allowance the user
// sets (Settings → AI → monthly credits), not a payment system: with an allowance of 0 (the default)
// credits are counted in usage but never limited, and the ledger does not move.
//
// Every function here runs inside the caller's transaction when there is one, so a deduction is
// committed with the generation it pays for or not at all.
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { creditBalances, creditTransactions, type CREDIT_TRANSACTION_TYPES } from '../../../db/schema/billing';

/** 00:00 UTC on the first day of the month after `now`. */
export function nextMonthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

function balanceRow(db: Database, workspaceId: string) {
  return db.orm.select().from(creditBalances).where(eq(creditBalances.workspaceId, workspaceId)).get();
}

function move(
  db: Database,
  workspaceId: string,
  type: (typeof CREDIT_TRANSACTION_TYPES)[number],
  amount: number,
  balanceAfter: number,
  reason: string,
  extra: { aiGenerationId?: string; metadata?: Record<string, unknown>; now: number },
): void {
  db.orm
    .insert(creditTransactions)
    .values({
      workspaceId,
      transactionType: type,
      creditsAmount: amount,
      creditsBalanceAfter: balanceAfter,
      reason,
      aiGenerationId: extra.aiGenerationId ?? null,
      metadata: extra.metadata ?? {},
      createdAt: extra.now,
      updatedAt: extra.now,
    })
    .run();
}

/** Set the monthly allowance. The balance moves by the difference (never below 0), logged. */
export function setPlanCredits(db: Database, workspaceId: string, plan: number, now = Date.now()): void {
  db.sqlite.transaction(() => {
    const row = balanceRow(db, workspaceId);
    if (!row) {
      db.orm.insert(creditBalances).values({ workspaceId, planCredits: plan, creditsBalance: plan, nextResetAt: nextMonthStart(now) }).run();
      if (plan > 0) move(db, workspaceId, 'monthly_reset', plan, plan, `Monthly allowance of ${plan} credits`, { now });
      return;
    }
    if (row.planCredits === plan) return;
    const balance = Math.max(0, row.creditsBalance + (plan - row.planCredits));
    db.orm
      .update(creditBalances)
      .set({ planCredits: plan, creditsBalance: balance, nextResetAt: row.nextResetAt ?? nextMonthStart(now), updatedAt: now })
      .where(eq(creditBalances.id, row.id))
      .run();
    move(db, workspaceId, 'adjustment', balance - row.creditsBalance, balance, `Monthly allowance changed from ${row.planCredits} to ${plan} credits`, { now });
  })();
}

export interface CreditState {
  /** False: no allowance set, credits are not limited. */
  tracked: boolean;
  balance: number;
}

/** The balance now, after the monthly reset if one fell due (written, with its ledger entry). */
export function currentCredits(db: Database, workspaceId: string, now = Date.now()): CreditState {
  return db.sqlite.transaction((): CreditState => {
    const row = balanceRow(db, workspaceId);
    if (!row) return { tracked: false, balance: 0 };
    if (row.planCredits > 0 && (row.nextResetAt === null || row.nextResetAt <= now)) {
      db.orm
        .update(creditBalances)
        .set({ creditsBalance: row.planCredits, nextResetAt: nextMonthStart(now), updatedAt: now })
        .where(eq(creditBalances.id, row.id))
        .run();
      move(db, workspaceId, 'monthly_reset', row.planCredits - row.creditsBalance, row.planCredits, `New month: balance reset to ${row.planCredits} credits`, { now });
      return { tracked: true, balance: row.planCredits };
    }
    return { tracked: row.planCredits > 0 || row.creditsBalance > 0, balance: row.creditsBalance };
  })();
}

/** Deduct a call's credits against its generation. A concurrent call may have spent what the budget
 * check saw: the deduction then stops at 0 and the shortfall is recorded, never a negative balance. */
export function chargeCredits(db: Database, workspaceId: string, credits: number, aiGenerationId: string, now = Date.now()): number | null {
  if (credits <= 0) return null;
  const state = currentCredits(db, workspaceId, now);
  if (!state.tracked) return null;
  const deducted = Math.min(credits, state.balance);
  const after = state.balance - deducted;
  db.orm.update(creditBalances).set({ creditsBalance: after, updatedAt: now }).where(eq(creditBalances.workspaceId, workspaceId)).run();
  move(db, workspaceId, 'deduction', -deducted, after, 'AI call', {
    aiGenerationId,
    now,
    metadata: deducted < credits ? { requested: credits, shortfall: credits - deducted } : { requested: credits },
  });
  return after;
}
