// Composed posts: one text published to several accounts, each target with its own variant,
// thread, first comment and status. Drafts are plain rows, so composing works with no network.
// Scheduling and publishing live in ./schedule and ./publish; the approval flow in ./approval.
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { accounts } from '../../../db/schema/accounts';
import { media } from '../../../db/schema/media';
import { postMedia, posts, postTargets, type POST_STATUSES, type TARGET_STATUSES } from '../../../db/schema/posts';
import type { Platform } from '../../../db/schema/enums';

export type PostStatus = (typeof POST_STATUSES)[number];
export type TargetStatus = (typeof TARGET_STATUSES)[number];

export class PostError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

export interface TargetInput {
  accountId: string;
  /** This network's own text; null or absent: the post's text. */
  content?: string | null | undefined;
  threadParts?: string[] | undefined;
  firstComment?: string | null | undefined;
  /** Let the network hold the post (Mastodon, Facebook) so it goes out with this computer off. */
  nativeScheduling?: boolean | undefined;
}

export interface MediaRef {
  mediaId: string;
  altText?: string | null | undefined;
}

export interface DraftInput {
  workspaceId: string;
  content: string;
  hashtags?: string[] | undefined;
  targets: TargetInput[];
  media?: MediaRef[] | undefined;
  requiresApproval?: boolean | undefined;
  templateId?: string | null | undefined;
  campaignId?: string | null | undefined;
  source?: 'manual' | 'imported' | 'template' | 'agent' | undefined;
}

export interface TargetView {
  id: string;
  accountId: string;
  platform: Platform;
  accountName: string;
  accountStatus: string;
  content: string | null;
  /** What will be sent: the variant, or the post's text. */
  text: string;
  status: TargetStatus;
  publishAt: number | null;
  platformPostId: string | null;
  platformUrl: string | null;
  publishedAt: number | null;
  errorMessage: string | null;
  nativeScheduling: boolean;
  firstComment: string | null;
  threadParts: string[];
}

export interface PostMediaView {
  mediaId: string;
  position: number;
  kind: string;
  mimeType: string | null;
  filename: string;
  sizeBytes: number | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  altText: string | null;
  url: string;
  /** Where the network can fetch it itself (Instagram needs one); null for files only on this computer. */
  publicUrl: string | null;
}

export interface PostView {
  id: string;
  workspaceId: string;
  content: string;
  status: PostStatus;
  source: string;
  publishAt: number | null;
  timezone: string | null;
  rrule: string | null;
  missedRunPolicy: 'publish_late' | 'skip' | 'ask';
  requiresApproval: boolean;
  approvedAt: number | null;
  rejectionNote: string | null;
  hashtags: string[];
  templateId: string | null;
  campaignId: string | null;
  publishedAt: number | null;
  createdAt: number;
  updatedAt: number;
  targets: TargetView[];
  media: PostMediaView[];
}

type PostRow = typeof posts.$inferSelect;

function targetsOf(db: Database, postIds: readonly string[]): Map<string, TargetView[]> {
  const out = new Map<string, TargetView[]>();
  if (postIds.length === 0) return out;
  const rows = db.orm
    .select({ t: postTargets, username: accounts.username, displayName: accounts.displayName, accountStatus: accounts.status, post: posts.content })
    .from(postTargets)
    .innerJoin(accounts, eq(accounts.id, postTargets.accountId))
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(inArray(postTargets.postId, [...postIds]))
    .orderBy(asc(postTargets.platform), asc(postTargets.createdAt))
    .all();
  for (const r of rows) {
    const t = r.t;
    const view: TargetView = {
      id: t.id,
      accountId: t.accountId,
      platform: t.platform,
      accountName: r.username ?? r.displayName ?? t.platform,
      accountStatus: r.accountStatus,
      content: t.content,
      text: t.content ?? r.post,
      status: t.status,
      publishAt: t.publishAt,
      platformPostId: t.platformPostId,
      platformUrl: t.platformUrl,
      publishedAt: t.publishedAt,
      errorMessage: t.errorMessage,
      nativeScheduling: t.nativeScheduling,
      firstComment: t.firstComment,
      threadParts: t.threadParts,
    };
    out.set(t.postId, [...(out.get(t.postId) ?? []), view]);
  }
  return out;
}

function mediaOf(db: Database, postIds: readonly string[]): Map<string, PostMediaView[]> {
  const out = new Map<string, PostMediaView[]>();
  if (postIds.length === 0) return out;
  const rows = db.orm
    .select({ pm: postMedia, m: media })
    .from(postMedia)
    .innerJoin(media, eq(media.id, postMedia.mediaId))
    .where(inArray(postMedia.postId, [...postIds]))
    .orderBy(asc(postMedia.position))
    .all();
  for (const { pm, m } of rows) {
    const view: PostMediaView = {
      mediaId: m.id,
      position: pm.position,
      kind: m.kind,
      mimeType: m.mimeType,
      filename: m.filename,
      sizeBytes: m.sizeBytes,
      width: m.width,
      height: m.height,
      durationMs: m.durationMs,
      altText: pm.altText ?? m.altText,
      url: `/media/${m.id}`,
      publicUrl: m.url !== null && m.url.startsWith('https://') ? m.url : null,
    };
    out.set(pm.postId, [...(out.get(pm.postId) ?? []), view]);
  }
  return out;
}

function toViews(db: Database, rows: readonly PostRow[]): PostView[] {
  const ids = rows.map((r) => r.id);
  const targets = targetsOf(db, ids);
  const mediaByPost = mediaOf(db, ids);
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspaceId,
    content: r.content,
    status: r.status,
    source: r.source,
    publishAt: r.publishAt,
    timezone: r.timezone,
    rrule: r.rrule,
    missedRunPolicy: r.missedRunPolicy,
    requiresApproval: r.requiresApproval,
    approvedAt: r.approvedAt,
    rejectionNote: r.rejectionNote,
    hashtags: r.hashtags,
    templateId: r.templateId,
    campaignId: r.campaignId,
    publishedAt: r.publishedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    targets: targets.get(r.id) ?? [],
    media: mediaByPost.get(r.id) ?? [],
  }));
}

export function postRow(db: Database, postId: string): PostRow {
  const row = db.orm.select().from(posts).where(and(eq(posts.id, postId), isNull(posts.deletedAt))).get();
  if (!row) throw new PostError('not_found', 'That post no longer exists; it may have been deleted in another window.');
  return row;
}

export function getPost(db: Database, postId: string): PostView {
  return toViews(db, [postRow(db, postId)])[0]!;
}

/** Several posts at once (deleted ones left out), in no particular order. */
export function getPostsByIds(db: Database, postIds: readonly string[]): PostView[] {
  if (postIds.length === 0) return [];
  const rows = db.orm
    .select()
    .from(posts)
    .where(and(inArray(posts.id, [...postIds]), isNull(posts.deletedAt)))
    .all();
  return toViews(db, rows);
}

export interface PostFilter {
  workspaceId: string;
  statuses?: PostStatus[] | undefined;
  accountId?: string | undefined;
  /** Posts whose time falls in [from, to) (epoch ms); unscheduled drafts are left out. */
  from?: number | undefined;
  to?: number | undefined;
  limit: number;
  offset: number;
}

export function listPosts(db: Database, f: PostFilter): { items: PostView[]; total: number } {
  const conds: (SQL | undefined)[] = [eq(posts.workspaceId, f.workspaceId), isNull(posts.deletedAt)];
  if (f.statuses && f.statuses.length > 0) conds.push(inArray(posts.status, f.statuses));
  if (f.from !== undefined) conds.push(gte(posts.publishAt, f.from));
  if (f.to !== undefined) conds.push(lt(posts.publishAt, f.to));
  if (f.accountId) conds.push(sql`EXISTS (SELECT 1 FROM post_targets pt WHERE pt.post_id = ${posts.id} AND pt.account_id = ${f.accountId})`);
  const where = and(...conds);
  const total = db.orm.select({ n: sql<number>`count(*)` }).from(posts).where(where).get()?.n ?? 0;
  const rows = db.orm
    .select()
    .from(posts)
    .where(where)
    // Scheduled work by time; drafts (no time) last, newest first.
    .orderBy(sql`${posts.publishAt} IS NULL`, asc(posts.publishAt), desc(posts.updatedAt))
    .limit(f.limit)
    .offset(f.offset)
    .all();
  return { items: toViews(db, rows), total };
}

function checkAccounts(db: Database, workspaceId: string, targets: readonly TargetInput[]): Map<string, { platform: Platform; status: string }> {
  const ids = [...new Set(targets.map((t) => t.accountId))];
  if (ids.length !== targets.length) throw new PostError('invalid', 'An account is listed twice; each account gets one copy of the post.');
  const rows = ids.length === 0 ? [] : db.orm.select().from(accounts).where(and(inArray(accounts.id, ids), eq(accounts.workspaceId, workspaceId))).all();
  const found = new Map(rows.map((r) => [r.id, { platform: r.platform, status: r.status }]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new PostError('invalid', `${missing.length === 1 ? 'An account' : `${missing.length} accounts`} of this post no longer belong to this workspace.`);
  return found;
}

function writeTargets(db: Database, postId: string, workspaceId: string, targets: readonly TargetInput[], now: number): void {
  const accountsById = checkAccounts(db, workspaceId, targets);
  const keep = new Set(targets.map((t) => t.accountId));
  const existing = db.orm.select().from(postTargets).where(eq(postTargets.postId, postId)).all();
  for (const row of existing) {
    if (!keep.has(row.accountId)) db.orm.delete(postTargets).where(eq(postTargets.id, row.id)).run();
  }
  for (const t of targets) {
    const fields = {
      content: t.content === undefined || t.content === null || t.content.trim() === '' ? null : t.content,
      threadParts: (t.threadParts ?? []).filter((p) => p.trim() !== ''),
      firstComment: t.firstComment === undefined || t.firstComment === null || t.firstComment.trim() === '' ? null : t.firstComment,
      nativeScheduling: t.nativeScheduling ?? false,
      updatedAt: now,
    };
    const row = existing.find((e) => e.accountId === t.accountId);
    if (row) db.orm.update(postTargets).set(fields).where(eq(postTargets.id, row.id)).run();
    else db.orm.insert(postTargets).values({ ...fields, postId, workspaceId, accountId: t.accountId, platform: accountsById.get(t.accountId)!.platform }).run();
  }
}

function writeMedia(db: Database, postId: string, workspaceId: string, refs: readonly MediaRef[], now: number): void {
  const ids = refs.map((r) => r.mediaId);
  if (new Set(ids).size !== ids.length) throw new PostError('invalid', 'The same picture or video is attached twice.');
  if (ids.length > 0) {
    const found = db.orm.select({ id: media.id }).from(media).where(and(inArray(media.id, ids), eq(media.workspaceId, workspaceId), isNull(media.deletedAt))).all();
    if (found.length !== ids.length) throw new PostError('invalid', 'An attached file is no longer in the media library.');
  }
  db.orm.delete(postMedia).where(eq(postMedia.postId, postId)).run();
  refs.forEach((r, position) => {
    db.orm
      .insert(postMedia)
      .values({ postId, workspaceId, mediaId: r.mediaId, position, altText: r.altText ?? null, updatedAt: now })
      .run();
  });
}

/** A new draft: text, targets, media. Nothing is scheduled yet. */
export function createDraft(db: Database, input: DraftInput, now = Date.now()): PostView {
  const id = db.orm.transaction(() => {
    const row = db.orm
      .insert(posts)
      .values({
        workspaceId: input.workspaceId,
        content: input.content,
        hashtags: input.hashtags ?? [],
        requiresApproval: input.requiresApproval ?? false,
        templateId: input.templateId ?? null,
        campaignId: input.campaignId ?? null,
        source: input.source ?? 'manual',
        status: 'draft',
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: posts.id })
      .get();
    writeTargets(db, row.id, input.workspaceId, input.targets, now);
    writeMedia(db, row.id, input.workspaceId, input.media ?? [], now);
    return row.id;
  });
  return getPost(db, id);
}

export type DraftPatch = Partial<Omit<DraftInput, 'workspaceId' | 'source'>>;

/** Statuses whose text can still change (a scheduled post is unscheduled around the edit by the caller). */
const EDITABLE: ReadonlySet<PostStatus> = new Set(['draft', 'pending_approval', 'approved', 'rejected', 'failed', 'cancelled']);

export function updateDraft(db: Database, postId: string, patch: DraftPatch, now = Date.now()): PostView {
  db.orm.transaction(() => {
    const row = postRow(db, postId);
    if (!EDITABLE.has(row.status)) {
      throw new PostError('conflict', row.status === 'scheduled' ? 'Unschedule the post to edit it.' : `A ${row.status.replace('_', ' ')} post cannot be edited.`);
    }
    const contentChanged = patch.content !== undefined && patch.content !== row.content;
    const changed = contentChanged || patch.targets !== undefined || patch.media !== undefined || patch.hashtags !== undefined;
    db.orm
      .update(posts)
      .set({
        ...(patch.content !== undefined ? { content: patch.content } : {}),
        ...(patch.hashtags !== undefined ? { hashtags: patch.hashtags } : {}),
        ...(patch.requiresApproval !== undefined ? { requiresApproval: patch.requiresApproval } : {}),
        ...(patch.templateId !== undefined ? { templateId: patch.templateId } : {}),
        ...(patch.campaignId !== undefined ? { campaignId: patch.campaignId } : {}),
        // An approval covers the text that was approved: a real edit sends it back to draft.
        ...(changed && (row.status === 'approved' || row.status === 'pending_approval' || row.status === 'rejected') ? { status: 'draft' as const, approvedAt: null, approvedBy: null } : {}),
        updatedAt: now,
      })
      .where(eq(posts.id, postId))
      .run();
    if (patch.targets) writeTargets(db, postId, row.workspaceId, patch.targets, now);
    if (patch.media) writeMedia(db, postId, row.workspaceId, patch.media, now);
  });
  return getPost(db, postId);
}

/** Soft delete (sync keeps the tombstone); the caller cancels its jobs first. */
export function deletePostRow(db: Database, postId: string, now = Date.now()): void {
  const row = postRow(db, postId);
  if (row.status === 'publishing') throw new PostError('conflict', 'The post is being published right now; wait for it to finish.');
  db.orm.update(posts).set({ deletedAt: now, updatedAt: now }).where(eq(posts.id, postId)).run();
}

/** Posts that occupy a slot for an account: scheduled (or publishing) around a time. */
export function takenTimes(db: Database, workspaceId: string, from: number, to: number): number[] {
  return db.orm
    .select({ at: sql<number>`COALESCE(${postTargets.publishAt}, ${posts.publishAt})` })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(
      and(
        eq(posts.workspaceId, workspaceId),
        isNull(posts.deletedAt),
        or(inArray(posts.status, ['scheduled', 'publishing']), inArray(postTargets.status, ['scheduled', 'publishing'])),
        gte(sql`COALESCE(${postTargets.publishAt}, ${posts.publishAt})`, from),
        lt(sql`COALESCE(${postTargets.publishAt}, ${posts.publishAt})`, to),
      ),
    )
    .all()
    .map((r) => r.at);
}
