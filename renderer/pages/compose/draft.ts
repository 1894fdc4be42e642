// The composer's draft: what the user is editing, in the shape the editor needs, and its round
// trip to the API (posts.create / posts.update / posts.get). Autosave compares drafts by value,
// so saving is skipped when nothing changed. Pure, so tested without a browser.
import type { ApiInput, ApiOutput } from '../../../electron/api';

export type PostView = ApiOutput<'posts.get'>;
export type TargetView = PostView['targets'][number];
export type PostMediaView = PostView['media'][number];
export type PostStatus = PostView['status'];
export type MissedRunPolicy = PostView['missedRunPolicy'];

export interface TargetDraft {
  accountId: string;
  /** This network's own text; null: the main text. */
  content: string | null;
  /** Replies that follow the post, where the network has threads. */
  threadParts: string[];
  firstComment: string;
  nativeScheduling: boolean;
}

export interface MediaDraft {
  mediaId: string;
  altText: string;
  /** What the tray shows; not sent back. */
  url: string;
  filename: string;
  kind: string;
  mimeType: string | null;
  sizeBytes: number | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  /** Where a network can fetch it itself (Instagram needs one); null for files only on this computer. */
  publicUrl: string | null;
}

export interface Draft {
  content: string;
  hashtags: string[];
  targets: TargetDraft[];
  media: MediaDraft[];
  requiresApproval: boolean;
  /** The template the text started from. */
  templateId: string | null;
}

export const EMPTY_DRAFT: Draft = { content: '', hashtags: [], targets: [], media: [], requiresApproval: false, templateId: null };

export function newTarget(accountId: string): TargetDraft {
  return { accountId, content: null, threadParts: [], firstComment: '', nativeScheduling: false };
}

export function draftFromPost(p: PostView): Draft {
  return {
    content: p.content,
    hashtags: [...p.hashtags],
    targets: p.targets.map((t) => ({
      accountId: t.accountId,
      content: t.content,
      threadParts: [...t.threadParts],
      firstComment: t.firstComment ?? '',
      nativeScheduling: t.nativeScheduling,
    })),
    media: p.media.map(mediaFromView),
    requiresApproval: p.requiresApproval,
    templateId: p.templateId,
  };
}

export function mediaFromView(
  m: Pick<PostMediaView, 'mediaId' | 'altText' | 'url' | 'filename' | 'kind' | 'mimeType' | 'sizeBytes' | 'width' | 'height' | 'durationMs' | 'publicUrl'>,
): MediaDraft {
  return {
    mediaId: m.mediaId,
    altText: m.altText ?? '',
    url: m.url,
    filename: m.filename,
    kind: m.kind,
    mimeType: m.mimeType,
    sizeBytes: m.sizeBytes,
    width: m.width,
    height: m.height,
    durationMs: m.durationMs,
    publicUrl: m.publicUrl,
  };
}

/** Nothing worth keeping yet: no text, no accounts, no media (no empty drafts pile up). */
export function isBlank(d: Draft): boolean {
  return d.content.trim() === '' && d.targets.length === 0 && d.media.length === 0 && d.hashtags.length === 0;
}

type DraftFields = Omit<ApiInput<'posts.create'>, 'workspaceId'>;

function fields(d: Draft): DraftFields {
  return {
    content: d.content,
    hashtags: d.hashtags,
    targets: d.targets.map((t) => ({
      accountId: t.accountId,
      content: t.content,
      threadParts: t.threadParts,
      firstComment: t.firstComment.trim() === '' ? null : t.firstComment,
      nativeScheduling: t.nativeScheduling,
    })),
    media: d.media.map((m) => ({ mediaId: m.mediaId, altText: m.altText.trim() === '' ? null : m.altText })),
    requiresApproval: d.requiresApproval,
    templateId: d.templateId,
  };
}

export function createInput(workspaceId: string, d: Draft): ApiInput<'posts.create'> {
  return { workspaceId, ...fields(d) };
}

export function updateInput(postId: string, d: Draft): ApiInput<'posts.update'> {
  return { postId, ...fields(d) };
}

/**
 * The draft as the engine stores it, for comparing: the engine drops blank variants, thread
 * parts and comments, so a draft that differs only in those saved the same.
 */
function normal(d: Draft): string {
  const f = fields(d);
  return JSON.stringify({
    ...f,
    targets: f.targets.map((t) => ({
      ...t,
      content: t.content === null || t.content === undefined || t.content.trim() === '' ? null : t.content,
      threadParts: (t.threadParts ?? []).filter((p) => p.trim() !== ''),
    })),
  });
}

export function sameDraft(a: Draft, b: Draft): boolean {
  return normal(a) === normal(b);
}

/** Statuses whose text can change (the engine's EDITABLE; a scheduled post is unscheduled first). */
const EDITABLE: ReadonlySet<PostStatus> = new Set(['draft', 'pending_approval', 'approved', 'rejected', 'failed', 'cancelled']);

export function isEditable(status: PostStatus | null): boolean {
  return status === null || EDITABLE.has(status);
}

/** Statuses the engine can schedule from (core/posts/schedule SCHEDULABLE). */
const SCHEDULABLE: ReadonlySet<PostStatus> = new Set(['draft', 'approved', 'failed', 'cancelled', 'partially_published']);

export interface PostActions {
  editable: boolean;
  /** Schedule is offered (it may still be blocked by validation or approval). */
  canSchedule: boolean;
  /** Approval must come first. */
  needsApproval: boolean;
  canSubmit: boolean;
  canApprove: boolean;
  canWithdraw: boolean;
  canUnschedule: boolean;
  /** An edit sends an approved or pending post back to draft: say so before it happens. */
  editResetsApproval: boolean;
}

export function postActions(post: Pick<PostView, 'status' | 'requiresApproval' | 'approvedAt'> | null, requiresApproval: boolean): PostActions {
  const status = post?.status ?? 'draft';
  const approved = post?.approvedAt != null && status === 'approved';
  const needs = requiresApproval && !approved;
  return {
    editable: isEditable(post?.status ?? null),
    canSchedule: SCHEDULABLE.has(status) && !needs,
    needsApproval: needs && (status === 'draft' || status === 'rejected' || status === 'pending_approval'),
    canSubmit: requiresApproval && (status === 'draft' || status === 'rejected'),
    canApprove: status === 'pending_approval',
    canWithdraw: status === 'pending_approval' || status === 'approved' || status === 'rejected',
    canUnschedule: status === 'scheduled' || status === 'failed' || status === 'partially_published',
    editResetsApproval: status === 'approved' || status === 'pending_approval',
  };
}

export const STATUS_LABEL: Record<PostStatus, string> = {
  draft: 'Draft',
  pending_approval: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Changes requested',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  partially_published: 'Partly published',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export const STATUS_TONE: Record<PostStatus, 'neutral' | 'accent' | 'warning' | 'danger' | 'success' | 'muted'> = {
  draft: 'neutral',
  pending_approval: 'warning',
  approved: 'success',
  rejected: 'danger',
  scheduled: 'accent',
  publishing: 'accent',
  published: 'success',
  partially_published: 'warning',
  failed: 'danger',
  cancelled: 'muted',
};

/** Move one item of a list (media order); out-of-range moves change nothing. */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length || to < 0 || to >= list.length || from === to) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}
