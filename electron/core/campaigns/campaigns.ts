// Campaigns: a goal, an audience, dates, a budget and a status (004's list), with the posts that
// belong to it (posts.campaign_id), the ad campaigns linked to it and its assets. Archiving is a
// status, not a delete: conversions and ad figures stay attached and the campaign can come back.
import { and, desc, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { CAMPAIGN_STATUSES, type CAMPAIGN_TYPES, campaigns } from '../../../db/schema/campaigns';
import { newId } from '../../../db/schema/columns';
import { posts } from '../../../db/schema/posts';
import { ApiError } from '../../api/errors';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';

export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
type CampaignRow = typeof campaigns.$inferSelect;

export interface Budget {
  amount: number;
  /** ISO 4217, e.g. "USD". */
  currency: string;
}

export interface CampaignView {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  status: CampaignStatus;
  type: CampaignType;
  /** The goals, most important first ("200 workshop sign-ups"). */
  goals: string[];
  targetAudience: string | null;
  startsAt: number | null;
  endsAt: number | null;
  launchedAt: number | null;
  budget: Budget | null;
  color: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface CampaignInput {
  name?: string | undefined;
  description?: string | null | undefined;
  status?: CampaignStatus | undefined;
  type?: CampaignType | undefined;
  goals?: string[] | undefined;
  targetAudience?: string | null | undefined;
  startsAt?: number | null | undefined;
  endsAt?: number | null | undefined;
  budget?: Budget | null | undefined;
  color?: string | null | undefined;
}

function budgetOf(payload: Record<string, unknown>): Budget | null {
  const b = payload['budget'];
  if (typeof b !== 'object' || b === null) return null;
  const { amount, currency } = b as Record<string, unknown>;
  return typeof amount === 'number' && typeof currency === 'string' ? { amount, currency } : null;
}

export function toCampaignView(row: CampaignRow): CampaignView {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    description: row.description,
    status: row.status,
    type: row.type,
    goals: row.goals,
    targetAudience: row.targetAudience,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    launchedAt: row.launchedAt,
    // 004 has no budget column; 003 keeps a campaign's free-form fields in its payload, so it lives there.
    budget: budgetOf(row.payload),
    color: row.color,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function campaignRow(db: Database, campaignId: string): CampaignRow {
  const row = db.orm
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, campaignId), isNull(campaigns.deletedAt)))
    .get();
  if (!row) throw new ApiError('not_found', 'That campaign does not exist (it may have been deleted). Pick it again from the list.');
  return row;
}

export function getCampaign(db: Database, campaignId: string): CampaignView {
  return toCampaignView(campaignRow(db, campaignId));
}

function checkDates(startsAt: number | null, endsAt: number | null): void {
  if (startsAt !== null && endsAt !== null && endsAt < startsAt) {
    throw new ApiError('invalid_input', 'The campaign ends before it starts. Choose an end date on or after the start date.', [
      { path: ['endsAt'], message: 'must be on or after the start date' },
    ]);
  }
}

function emit(ctx: ApiContext, workspaceId: string, campaignId: string | null) {
  ctx.events.emit('campaigns.changed', { workspaceId, campaignId });
}

export function createCampaign(ctx: ApiContext, input: CampaignInput & { workspaceId: string; name: string }): CampaignView {
  getWorkspace(ctx.db, input.workspaceId);
  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  checkDates(startsAt, endsAt);
  const id = newId();
  const now = Date.now();
  const status = input.status ?? 'draft';
  ctx.db.orm
    .insert(campaigns)
    .values({
      id,
      workspaceId: input.workspaceId,
      name: input.name.trim(),
      description: input.description ?? null,
      status,
      type: input.type ?? 'social',
      goals: input.goals ?? [],
      targetAudience: input.targetAudience ?? null,
      startsAt,
      endsAt,
      launchedAt: status === 'launched' ? now : null,
      color: input.color ?? null,
      payload: input.budget ? { budget: input.budget } : {},
      createdAt: now,
      updatedAt: now,
    })
    .run();
  emit(ctx, input.workspaceId, id);
  return getCampaign(ctx.db, id);
}

export function updateCampaign(ctx: ApiContext, campaignId: string, patch: CampaignInput): CampaignView {
  const row = campaignRow(ctx.db, campaignId);
  const startsAt = patch.startsAt === undefined ? row.startsAt : patch.startsAt;
  const endsAt = patch.endsAt === undefined ? row.endsAt : patch.endsAt;
  checkDates(startsAt, endsAt);
  const now = Date.now();
  const set: Partial<typeof campaigns.$inferInsert> = { updatedAt: now, startsAt, endsAt };
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.type !== undefined) set.type = patch.type;
  if (patch.goals !== undefined) set.goals = patch.goals;
  if (patch.targetAudience !== undefined) set.targetAudience = patch.targetAudience;
  if (patch.color !== undefined) set.color = patch.color;
  if (patch.status !== undefined && patch.status !== row.status) {
    set.status = patch.status;
    if (patch.status === 'launched' && row.launchedAt === null) set.launchedAt = now;
    // Remember what an archived campaign was, so un-archiving puts it back as it was.
    if (patch.status === 'archived') set.payload = { ...row.payload, statusBeforeArchive: row.status };
  }
  if (patch.budget !== undefined) {
    const payload = { ...(set.payload ?? row.payload) };
    if (patch.budget === null) delete payload['budget'];
    else payload['budget'] = patch.budget;
    set.payload = payload;
  }
  ctx.db.orm.update(campaigns).set(set).where(eq(campaigns.id, campaignId)).run();
  emit(ctx, row.workspaceId, campaignId);
  return getCampaign(ctx.db, campaignId);
}

export function archiveCampaign(ctx: ApiContext, campaignId: string, archived: boolean): CampaignView {
  const row = campaignRow(ctx.db, campaignId);
  if (archived) return row.status === 'archived' ? toCampaignView(row) : updateCampaign(ctx, campaignId, { status: 'archived' });
  if (row.status !== 'archived') return toCampaignView(row);
  const before = row.payload['statusBeforeArchive'];
  const status = (CAMPAIGN_STATUSES as readonly string[]).includes(String(before)) && before !== 'archived' ? (before as CampaignStatus) : 'draft';
  return updateCampaign(ctx, campaignId, { status });
}

export interface CampaignListItem extends CampaignView {
  postCount: number;
  adCampaignCount: number;
  componentCount: number;
}

export function listCampaigns(db: Database, workspaceId: string, opts: { includeArchived?: boolean } = {}): CampaignListItem[] {
  getWorkspace(db, workspaceId);
  const rows = db.orm
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.workspaceId, workspaceId), isNull(campaigns.deletedAt), opts.includeArchived ? undefined : ne(campaigns.status, 'archived')))
    .orderBy(desc(campaigns.createdAt))
    .all();
  if (rows.length === 0) return [];
  // One grouped count per related table, not three queries per campaign.
  const counts = (sql: string) =>
    new Map((db.sqlite.prepare(sql).all(workspaceId) as { id: string; n: number }[]).map((r) => [r.id, r.n]));
  const postsN = counts(`SELECT campaign_id AS id, COUNT(*) AS n FROM posts WHERE workspace_id = ? AND campaign_id IS NOT NULL AND deleted_at IS NULL GROUP BY campaign_id`);
  const adsN = counts(`SELECT campaign_id AS id, COUNT(*) AS n FROM ad_campaigns WHERE workspace_id = ? AND campaign_id IS NOT NULL AND deleted_at IS NULL GROUP BY campaign_id`);
  const compN = counts(
    `SELECT c.campaign_id AS id, COUNT(*) AS n FROM campaign_components c WHERE c.workspace_id = ? AND c.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM campaign_components n WHERE n.parent_component_id = c.id AND n.deleted_at IS NULL)
     GROUP BY c.campaign_id`,
  );
  return rows.map((r) => ({ ...toCampaignView(r), postCount: postsN.get(r.id) ?? 0, adCampaignCount: adsN.get(r.id) ?? 0, componentCount: compN.get(r.id) ?? 0 }));
}

// ---- posts ----

export interface CampaignPost {
  id: string;
  text: string;
  status: string;
  publishAt: number | null;
  publishedAt: number | null;
  /** Per network it went to: where it stands and its latest figures (null before metrics are fetched). */
  targets: {
    id: string;
    platform: string;
    status: string;
    likes: number | null;
    comments: number | null;
    shares: number | null;
    impressions: number | null;
    reach: number | null;
    clicks: number | null;
    engagementRate: number | null;
  }[];
}

export function campaignPosts(db: Database, campaignId: string): CampaignPost[] {
  const rows = db.sqlite
    .prepare(
      `SELECT p.id, p.content AS text, p.status, p.publish_at AS publishAt, p.published_at AS publishedAt,
              t.id AS targetId, t.platform, t.status AS targetStatus,
              m.likes, m.comments, m.shares, m.impressions, m.reach, m.clicks, m.engagement_rate AS engagementRate
         FROM posts p
         LEFT JOIN post_targets t ON t.post_id = p.id AND t.deleted_at IS NULL
         LEFT JOIN post_metrics m ON m.target_id = t.id
        WHERE p.campaign_id = ? AND p.deleted_at IS NULL
        ORDER BY COALESCE(p.published_at, p.publish_at, p.created_at) DESC, p.id, t.id`,
    )
    .all(campaignId) as ({ id: string; text: string; status: string; publishAt: number | null; publishedAt: number | null; targetId: string | null; platform: string | null; targetStatus: string | null } & Record<'likes' | 'comments' | 'shares' | 'impressions' | 'reach' | 'clicks' | 'engagementRate', number | null>)[];
  const out = new Map<string, CampaignPost>();
  for (const r of rows) {
    let p = out.get(r.id);
    if (!p) {
      p = { id: r.id, text: r.text, status: r.status, publishAt: r.publishAt, publishedAt: r.publishedAt, targets: [] };
      out.set(r.id, p);
    }
    if (r.targetId) {
      p.targets.push({
        id: r.targetId,
        platform: r.platform ?? 'unknown',
        status: r.targetStatus ?? 'pending',
        likes: r.likes,
        comments: r.comments,
        shares: r.shares,
        impressions: r.impressions,
        reach: r.reach,
        clicks: r.clicks,
        engagementRate: r.engagementRate,
      });
    }
  }
  return [...out.values()];
}

/** Posts of the workspace not in this campaign, newest first, for the "attach posts" picker. */
export function attachablePosts(db: Database, campaignId: string, query: string | undefined, limit = 50) {
  const c = campaignRow(db, campaignId);
  const like = query?.trim() ? `%${query.trim().replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  return db.sqlite
    .prepare(
      `SELECT p.id, p.content AS text, p.status, p.publish_at AS publishAt, p.published_at AS publishedAt, p.campaign_id AS campaignId,
              (SELECT name FROM campaigns WHERE id = p.campaign_id) AS campaignName
         FROM posts p
        WHERE p.workspace_id = ? AND p.deleted_at IS NULL AND (p.campaign_id IS NULL OR p.campaign_id <> ?)
          AND (? IS NULL OR p.content LIKE ? ESCAPE '\\')
        ORDER BY COALESCE(p.published_at, p.publish_at, p.created_at) DESC
        LIMIT ?`,
    )
    .all(c.workspaceId, campaignId, like, like, limit) as {
    id: string;
    text: string;
    status: string;
    publishAt: number | null;
    publishedAt: number | null;
    campaignId: string | null;
    campaignName: string | null;
  }[];
}

/** A post belongs to one campaign at most: attaching moves it from any other. */
export function attachPosts(ctx: ApiContext, campaignId: string, postIds: string[]): { attached: number } {
  const c = campaignRow(ctx.db, campaignId);
  const found = ctx.db.orm
    .select({ id: posts.id, workspaceId: posts.workspaceId })
    .from(posts)
    .where(and(inArray(posts.id, postIds), isNull(posts.deletedAt)))
    .all();
  const missing = postIds.filter((id) => !found.some((f) => f.id === id && f.workspaceId === c.workspaceId));
  if (missing.length > 0) {
    throw new ApiError('not_found', `${missing.length === 1 ? 'One post was' : `${missing.length} posts were`} not found in this campaign's workspace (deleted, or in another workspace). Refresh the list and pick again.`);
  }
  ctx.db.orm.update(posts).set({ campaignId, updatedAt: Date.now() }).where(inArray(posts.id, postIds)).run();
  emit(ctx, c.workspaceId, campaignId);
  return { attached: postIds.length };
}

export function detachPost(ctx: ApiContext, campaignId: string, postId: string): { detached: boolean } {
  const c = campaignRow(ctx.db, campaignId);
  const r = ctx.db.orm
    .update(posts)
    .set({ campaignId: null, updatedAt: Date.now() })
    .where(and(eq(posts.id, postId), eq(posts.campaignId, campaignId)))
    .run();
  emit(ctx, c.workspaceId, campaignId);
  return { detached: r.changes > 0 };
}
