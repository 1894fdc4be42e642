// For agencies, each client is a workspace (003 clients / admin_clients). The client overview is
// one line per workspace for a calendar month: posts published, the engagement they earned, ad
// spend, and AI cost (the same ai_cost_tracking figures as Settings → AI → Usage). "Record for
// billing" writes the month's AI use into client_billing (003), one row per client and month,
// replaced when recorded again so the ledger never counts a month twice.
//
// Months are UTC calendar months, like the AI usage report they are billed from, so the two always
// agree on what "November" holds.
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { ApiError } from '../../api/errors';
import { usageReport } from '../ai/usage';
import { engagementTotals } from '../analytics/dashboard';
import type { ApiContext } from '../context';
import { listWorkspaces } from '../workspaces/workspaces';

export interface ClientMonth {
  workspaceId: string;
  name: string;
  archived: boolean;
  /** Posts with at least one network publishing in the month. */
  postsPublished: number;
  /** Each network a post went to counts once. */
  publications: number;
  likes: number;
  comments: number;
  shares: number;
  reach: number;
  impressions: number;
  engagements: number;
  /** The seeds' rate averaged over the month's publications that report reach (as on the Analytics page); null when none does. */
  engagementRate: number | null;
  activeCampaigns: number;
  adSpend: { currency: string | null; amount: number }[];
  ai: { costUsd: number; costNanoUsd: number; cost: string; tokens: number; generations: number };
  /** What client_billing holds for this month (null: not recorded yet). */
  billed: { costUsd: number; tokens: number; billedAt: number } | null;
}

export interface ClientOverview {
  month: string;
  from: string;
  to: string;
  clients: ClientMonth[];
  totals: { postsPublished: number; engagements: number; aiCostUsd: number; aiCostNanoUsd: number };
}

export function monthRange(month: string): { from: string; to: string; startMs: number; endMs: number } {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new ApiError('invalid_input', `"${month}" isn't a month. Write it as 2026-11.`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const startMs = Date.UTC(y, mo - 1, 1);
  const endMs = Date.UTC(y, mo, 1);
  const last = new Date(endMs - 86_400_000).toISOString().slice(0, 10);
  return { from: `${month}-01`, to: last, startMs, endMs };
}

const billingNote = (month: string) => `AI use ${month}`;

export function clientOverview(db: Database, month: string): ClientOverview {
  const { from, to, startMs, endMs } = monthRange(month);
  const published = db.sqlite.prepare(
    `SELECT COUNT(DISTINCT t.post_id) AS posts
       FROM post_targets t
      WHERE t.workspace_id = ? AND t.status = 'published' AND t.deleted_at IS NULL AND t.published_at >= ? AND t.published_at < ?`,
  );
  const campaignsActive = db.sqlite.prepare(
    `SELECT COUNT(*) AS n FROM campaigns WHERE workspace_id = ? AND deleted_at IS NULL AND status IN ('ready', 'launched', 'paused')
        AND (starts_at IS NULL OR starts_at < ?) AND (ends_at IS NULL OR ends_at >= ?)`,
  );
  const spend = db.sqlite.prepare(
    `SELECT a.currency, ROUND(SUM(m.spend), 2) AS amount FROM ad_metrics m JOIN ad_campaigns c ON c.id = m.ad_campaign_id JOIN ad_accounts a ON a.id = c.ad_account_id
      WHERE m.workspace_id = ? AND m.date >= ? AND m.date <= ? GROUP BY a.currency ORDER BY amount DESC`,
  );
  const billed = db.sqlite.prepare(
    `SELECT cost, tokens_used AS tokens, billed_at AS billedAt FROM client_billing WHERE workspace_id = ? AND billed_at = ? AND description = ? AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 1`,
  );
  const clients = listWorkspaces(db).map((ws): ClientMonth => {
    const posts = (published.get(ws.id, startMs, endMs) as { posts: number }).posts;
    // The Analytics page's own totals, so a client's month reads the same there and here.
    const e = engagementTotals(db, ws.id, { from: startMs, to: endMs });
    const usage = usageReport(db, ws.id, from, to).total;
    const b = billed.get(ws.id, startMs, billingNote(month)) as { cost: number; tokens: number; billedAt: number } | undefined;
    return {
      workspaceId: ws.id,
      name: ws.name,
      archived: ws.archivedAt !== null,
      postsPublished: posts,
      publications: e.posts,
      likes: e.likes,
      comments: e.comments,
      shares: e.shares,
      reach: e.reach,
      impressions: e.impressions,
      engagements: e.engagements,
      engagementRate: e.engagementRate,
      activeCampaigns: (campaignsActive.get(ws.id, endMs, startMs) as { n: number }).n,
      adSpend: spend.all(ws.id, from, to) as { currency: string | null; amount: number }[],
      ai: { costUsd: usage.costUsd, costNanoUsd: usage.costNanoUsd, cost: usage.cost, tokens: usage.tokens, generations: usage.generations },
      billed: b ? { costUsd: b.cost, tokens: b.tokens, billedAt: b.billedAt } : null,
    };
  });
  const aiNano = clients.reduce((n, c) => n + c.ai.costNanoUsd, 0);
  return {
    month,
    from,
    to,
    clients,
    totals: {
      postsPublished: clients.reduce((n, c) => n + c.postsPublished, 0),
      engagements: clients.reduce((n, c) => n + c.engagements, 0),
      aiCostUsd: aiNano / 1e9,
      aiCostNanoUsd: aiNano,
    },
  };
}

/**
 * Writes each client's AI use for the month into client_billing (one row per client and month,
 * replacing an earlier recording of the same month). Clients with no AI use get no row.
 */
export function recordBilling(ctx: ApiContext, month: string, userId: string | null = null): ClientOverview {
  const overview = clientOverview(ctx.db, month);
  const { startMs } = monthRange(month);
  const note = billingNote(month);
  const now = Date.now();
  const db = ctx.db.sqlite;
  const drop = db.prepare(`DELETE FROM client_billing WHERE workspace_id = ? AND billed_at = ? AND description = ?`);
  const ins = db.prepare(
    `INSERT INTO client_billing (id, workspace_id, billed_at, tokens_used, cost, user_id, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const c of overview.clients) {
      drop.run(c.workspaceId, startMs, note);
      if (c.ai.costNanoUsd > 0 || c.ai.tokens > 0) ins.run(newId(), c.workspaceId, startMs, c.ai.tokens, c.ai.costUsd, userId, note, now, now);
    }
  })();
  for (const c of overview.clients) ctx.events.emit('campaigns.changed', { workspaceId: c.workspaceId, campaignId: null });
  return clientOverview(ctx.db, month);
}
