// Usage and credits: a local meter and cap, not a payment system. 004 user_usage becomes
// usage_monthly, 001 user_credits + 000 CreditBalance one credit_balances row per workspace,
// 001/000 credit_transactions the ledger, 000 FeatureUsage per-feature consumption and 003
// client_billing what an agency bills a client for AI use.
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { aiGenerations } from './ai';
import {
  enumCheck,
  enumText,
  epochMs,
  id,
  json,
  nonNegative,
  syncedTimestamps,
  timestamps,
} from './columns';
import { users, workspaceRef } from './workspaces';

/** 004 user_usage: one row per workspace and calendar month. */
export const usageMonthly = sqliteTable(
  'usage_monthly',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** 'YYYY-MM' (004: the first day of the month). */
    month: text('month').notNull(),
    campaignsGenerated: integer('campaigns_generated').notNull().default(0),
    aiCreditsUsed: integer('ai_credits_used').notNull().default(0),
    /** AI spend this month in integer nano-dollars (1e-9 USD): what the monthly budget is checked against. */
    aiCostNanoUsd: integer('ai_cost_nano_usd').notNull().default(0),
    storageBytesUsed: integer('storage_bytes_used').notNull().default(0),
    apiCallsMade: integer('api_calls_made').notNull().default(0),
    postsPublished: integer('posts_published').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('usage_monthly_workspace_month_unique').on(t.workspaceId, t.month),
    check('usage_monthly_month_check', sql`${t.month} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'`),
  ],
);

/** 001 user_credits / 000 CreditBalance: the running balance and monthly allowance. */
export const creditBalances = sqliteTable(
  'credit_balances',
  {
    id: id(),
    workspaceId: workspaceRef(),
    creditsBalance: integer('credits_balance').notNull().default(0),
    /** Monthly allowance the balance is reset to. */
    planCredits: integer('plan_credits').notNull().default(0),
    nextResetAt: epochMs('next_reset_at'),
    storageUsedMb: real('storage_used_mb').notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('credit_balances_workspace_unique').on(t.workspaceId),
    nonNegative('credit_balances', t.creditsBalance),
    nonNegative('credit_balances', t.planCredits),
    nonNegative('credit_balances', t.storageUsedMb),
  ],
);

export const CREDIT_TRANSACTION_TYPES = [
  'deduction',
  'refund',
  'purchase',
  'monthly_reset',
  'trial_grant',
  'bonus',
  'adjustment',
] as const;

/** Append-only ledger: positive amounts add, negative deduct; the balance never goes below 0. */
export const creditTransactions = sqliteTable(
  'credit_transactions',
  {
    id: id(),
    workspaceId: workspaceRef(),
    transactionType: enumText('transaction_type', CREDIT_TRANSACTION_TYPES).notNull(),
    creditsAmount: integer('credits_amount').notNull(),
    creditsBalanceAfter: integer('credits_balance_after').notNull(),
    reason: text('reason'),
    aiGenerationId: text('ai_generation_id').references((): AnySQLiteColumn => aiGenerations.id, {
      onDelete: 'set null',
    }),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    index('credit_transactions_workspace_created_idx').on(t.workspaceId, t.createdAt),
    index('credit_transactions_generation_idx').on(t.aiGenerationId),
    enumCheck('credit_transactions', t.transactionType, CREDIT_TRANSACTION_TYPES),
    nonNegative('credit_transactions', t.creditsBalanceAfter),
  ],
);

/** 000 FeatureUsage: API consumption per feature (publishing calls, AI calls, stock searches). */
export const featureUsage = sqliteTable(
  'feature_usage',
  {
    id: id(),
    workspaceId: workspaceRef(),
    feature: text('feature').notNull(),
    quantity: integer('quantity').notNull().default(1),
    /** 'calls', 'tokens', 'requests', ... */
    unit: text('unit').notNull().default('calls'),
    creditsUsed: integer('credits_used').notNull().default(0),
    cost: real('cost').notNull().default(0),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...timestamps(),
  },
  (t) => [
    index('feature_usage_workspace_feature_created_idx').on(t.workspaceId, t.feature, t.createdAt),
    nonNegative('feature_usage', t.quantity),
    nonNegative('feature_usage', t.creditsUsed),
    nonNegative('feature_usage', t.cost),
  ],
);

/** 003 client_billing: AI spend to bill back to a client (workspace); admin_id is user_id. */
export const clientBilling = sqliteTable(
  'client_billing',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** 003 timestamp. */
    billedAt: epochMs('billed_at').notNull(),
    tokensUsed: real('tokens_used').notNull(),
    cost: real('cost').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    description: text('description'),
    ...syncedTimestamps(),
  },
  (t) => [
    index('client_billing_workspace_billed_idx').on(t.workspaceId, t.billedAt),
    nonNegative('client_billing', t.tokensUsed),
    nonNegative('client_billing', t.cost),
  ],
);
