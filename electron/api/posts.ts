// Posts: drafts with targets and media, approval, scheduling (now, at, next free slot, repeating),
// rescheduling from the Calendar, cancelling, and each target's publish history.
import { isAbsolute } from 'node:path';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { PLATFORMS } from '../../db/schema/enums';
import { contentTemplates, POST_STATUSES, postRuns } from '../../db/schema/posts';
import type { ApiContext } from '../core/context';
import { transition } from '../core/posts/approval';
import { checkPost } from '../core/posts/checks';
import { listOccurrences, MAX_OCCURRENCE_WINDOW_MS } from '../core/posts/occurrences';
import { importCsv, previewCsv } from '../core/posts/csv-service';
import { createDraft, deletePostRow, getPost, listPosts, PostError, updateDraft } from '../core/posts/posts';
import { cancelPost, findNextSlot, reschedulePost, schedulePost, unschedulePost } from '../core/posts/schedule';
import { deleteHashtagGroup, importHashtagGroups, listHashtagGroups, MAX_HASHTAG_GROUPS, saveHashtagGroup } from '../core/posts/hashtag-groups';
import { createSignature, deleteSignature, listSignatures, updateSignature } from '../core/posts/signatures';
import { area, method } from './contract';
import { id, workspaceId } from './fields';

const postId = id;
const text = z.string().max(20_000);
const epoch = z.number().int().min(0).max(8_640_000_000_000);

const target = z.object({
  accountId: id,
  content: text.nullable().optional(),
  threadParts: z.array(text).max(25).optional(),
  firstComment: text.nullable().optional(),
  nativeScheduling: z.boolean().optional(),
});
const mediaRef = z.object({ mediaId: id, altText: z.string().max(5000).nullable().optional() });
const hashtags = z.array(z.string().trim().regex(/^#?[\p{L}\p{N}_]+$/u, 'a hashtag is letters, digits and _')).max(60);

const draftFields = {
  content: text,
  hashtags: hashtags.optional(),
  targets: z.array(target).max(30),
  media: z.array(mediaRef).max(20).optional(),
  requiresApproval: z.boolean().optional(),
  templateId: id.nullable().optional(),
  campaignId: id.nullable().optional(),
};

const when = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('now') }),
  z.object({ mode: z.literal('at'), at: epoch }),
  z.object({ mode: z.literal('next_slot') }),
  z.object({ mode: z.literal('recurring'), at: epoch, rrule: z.string().min(6).max(500) }),
]);

const csvSource = z.union([
  z.object({ path: z.string().min(1).max(4096).refine((p) => isAbsolute(p), 'give the full path of the file') }),
  z.object({ text: z.string().max(5 * 1024 * 1024) }),
]);

const signatureFields = {
  name: z.string().trim().min(1, 'give the signature a name').max(60),
  content: z.string().trim().min(1, 'write the signature').max(1000),
  /** null: every network. */
  platform: z.enum(PLATFORMS).nullable(),
  isDefault: z.boolean(),
};

const hashtagGroup = z.object({
  name: z.string().trim().min(1, 'give the group a name').max(60),
  hashtags: hashtags.min(1, 'a group needs at least one hashtag'),
});

const normaliseTags = (tags: string[] | undefined) => tags?.map((t) => (t.startsWith('#') ? t : `#${t}`));

export const postsApi = area('posts', {
  'posts.list': method({
    description: 'Posts of a workspace by status, account and time window (Calendar, Queue), with their targets.',
    input: z.object({
      workspaceId,
      statuses: z.array(z.enum(POST_STATUSES)).optional(),
      accountId: id.optional(),
      from: epoch.optional(),
      to: epoch.optional(),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    handler: (ctx, i) => listPosts(ctx.db, i),
  }),
  'posts.occurrences': method({
    description: "Every date the workspace's repeating posts go out on in a window (at most 62 days), in each series' timezone, with the series' posts.",
    input: z
      .object({ workspaceId, from: epoch, to: epoch })
      .refine((i) => i.to > i.from, { message: 'the end must be after the start', path: ['to'] })
      .refine((i) => i.to - i.from <= MAX_OCCURRENCE_WINDOW_MS, { message: `at most ${MAX_OCCURRENCE_WINDOW_MS / 86_400_000} days at a time`, path: ['to'] }),
    handler: (ctx, i) => listOccurrences(ctx.db, i),
  }),
  'posts.get': method({
    description: 'One post with its targets and media.',
    input: z.object({ postId }),
    handler: (ctx, i) => getPost(ctx.db, i.postId),
  }),
  'posts.create': method({
    description: 'Save a new draft: text, accounts (with per-network variants), media. Works offline.',
    input: z.object({ workspaceId, ...draftFields }),
    handler: (ctx, i) => {
      const post = createDraft(ctx.db, { ...i, hashtags: normaliseTags(i.hashtags) });
      ctx.events.emit('posts.changed', { workspaceId: i.workspaceId, postId: post.id });
      return post;
    },
  }),
  'posts.update': method({
    description: 'Change a draft (autosave). An approved post that changes goes back to draft.',
    input: z.object({ postId, ...z.object(draftFields).partial().shape }),
    handler: (ctx, i) => {
      const { postId: pid, ...patch } = i;
      const post = updateDraft(ctx.db, pid, { ...patch, hashtags: normaliseTags(patch.hashtags) });
      ctx.events.emit('posts.changed', { workspaceId: post.workspaceId, postId: pid });
      return post;
    },
  }),
  'posts.delete': method({
    description: 'Delete a post that is not being published; its scheduled jobs are cancelled.',
    input: z.object({ postId }),
    handler: (ctx, i) => {
      const post = getPost(ctx.db, i.postId);
      if (post.status === 'scheduled') unschedulePost(ctx, i.postId);
      deletePostRow(ctx.db, i.postId);
      ctx.events.emit('posts.changed', { workspaceId: post.workspaceId, postId: i.postId });
      return { deleted: true };
    },
  }),
  'posts.submitForApproval': method({
    description: 'Send a draft for approval.',
    input: z.object({ postId }),
    handler: (ctx, i) => approval(ctx, i.postId, 'submit'),
  }),
  'posts.approve': method({
    description: 'Approve a post waiting for approval; it can then be scheduled.',
    input: z.object({ postId }),
    handler: (ctx, i) => approval(ctx, i.postId, 'approve'),
  }),
  'posts.reject': method({
    description: 'Reject a post waiting for approval, with a note for the author.',
    input: z.object({ postId, note: z.string().trim().min(1, 'say what should change').max(2000) }),
    handler: (ctx, i) => approval(ctx, i.postId, 'reject', i.note),
  }),
  'posts.withdraw': method({
    description: 'Take a post out of approval, back to draft.',
    input: z.object({ postId }),
    handler: (ctx, i) => approval(ctx, i.postId, 'withdraw'),
  }),
  'posts.schedule': method({
    description: 'Publish now, at a time, in the next free slot, or on a repeating rule (with an end).',
    input: z.object({ postId, when, missedRunPolicy: z.enum(['publish_late', 'skip', 'ask']).optional() }),
    handler: (ctx, i) => schedulePost(ctx, i.postId, i.when, { missedRunPolicy: i.missedRunPolicy }),
  }),
  'posts.unschedule': method({
    description: 'Take a post off the schedule (back to draft); nothing is lost.',
    input: z.object({ postId }),
    handler: (ctx, i) => unschedulePost(ctx, i.postId),
  }),
  'posts.reschedule': method({
    description: 'Move a post to another time (Calendar drag).',
    input: z.object({ postId, at: epoch }),
    handler: (ctx, i) => reschedulePost(ctx, i.postId, i.at),
  }),
  'posts.cancel': method({
    description: 'Cancel a post: targets that did not go out are cancelled.',
    input: z.object({ postId }),
    handler: (ctx, i) => cancelPost(ctx, i.postId),
  }),
  'posts.validate': method({
    description: "Check a post against each network's rules (text length, media, threads, scheduling window).",
    input: z.object({ postId, publishAt: epoch.nullable().optional() }),
    handler: (ctx, i) => {
      const post = getPost(ctx.db, i.postId);
      return checkPost(ctx, post, i.publishAt ?? post.publishAt, Date.now());
    },
  }),
  'posts.importCsvPreview': method({
    description: 'Read a CSV of posts (text, accounts, time, media, first comment, hashtags) and show what each row would become, with row-level errors.',
    input: z.object({ workspaceId, source: csvSource }),
    handler: (ctx, i) => previewCsv(ctx, i.workspaceId, i.source),
  }),
  'posts.importCsv': method({
    description: 'Import a CSV of posts: every row or none. Rows with a time are scheduled.',
    input: z.object({ workspaceId, source: csvSource }),
    handler: async (ctx, i) => {
      const result = await importCsv(ctx, i.workspaceId, i.source);
      for (const postId of result.postIds) ctx.events.emit('posts.changed', { workspaceId: i.workspaceId, postId });
      return result;
    },
  }),
  'posts.bulk': method({
    description: 'Act on many posts at once from the Queue: move by an offset or to a time, pause (unschedule) or cancel. Each post succeeds or fails on its own.',
    input: z.object({
      postIds: z.array(postId).min(1).max(500),
      action: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('shift'), byMs: z.number().int().min(-366 * 86_400_000).max(366 * 86_400_000) }),
        z.object({ kind: z.literal('move'), at: epoch }),
        z.object({ kind: z.literal('pause') }),
        z.object({ kind: z.literal('cancel') }),
      ]),
    }),
    handler: (ctx, i) => {
      const results: { postId: string; ok: boolean; error?: string }[] = [];
      for (const id of i.postIds) {
        try {
          const post = getPost(ctx.db, id);
          switch (i.action.kind) {
            case 'shift':
              if (post.publishAt === null) throw new PostError('conflict', 'It has no time to move.');
              reschedulePost(ctx, id, post.publishAt + i.action.byMs);
              break;
            case 'move':
              reschedulePost(ctx, id, i.action.at);
              break;
            case 'pause':
              unschedulePost(ctx, id);
              break;
            case 'cancel':
              cancelPost(ctx, id);
              break;
          }
          results.push({ postId: id, ok: true });
        } catch (err) {
          results.push({ postId: id, ok: false, error: err instanceof Error ? err.message : String(err) });
        }
      }
      return { results, ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
    },
  }),
  'posts.templates': method({
    description: "The workspace's post templates (tip, promotion, seasonal, testimonial, fun fact, and your own) with their {placeholders}.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) =>
      ctx.db.orm
        .select()
        .from(contentTemplates)
        .where(and(eq(contentTemplates.workspaceId, i.workspaceId), eq(contentTemplates.active, true), isNull(contentTemplates.deletedAt)))
        .all()
        .map((t) => ({ id: t.id, name: t.name, theme: t.theme, platform: t.platform, text: t.templateText, placeholders: [...new Set([...t.templateText.matchAll(/\{([a-z_][a-z0-9_]*)\}/gi)].map((m) => m[1]!))], builtin: t.isBuiltin })),
  }),
  'posts.nextSlot': method({
    description: 'The next free preferred posting time of the workspace.',
    input: z.object({ workspaceId, after: epoch.optional() }),
    handler: (ctx, i) => ({ at: findNextSlot(ctx, i.workspaceId, i.after ?? Date.now() + 60_000) }),
  }),
  'posts.signatures': method({
    description: "The workspace's signatures (for every network, or for one), defaults marked.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listSignatures(ctx.db, i.workspaceId),
  }),
  'posts.createSignature': method({
    description: 'Save a signature to end posts with; a default one is offered first in Compose.',
    input: z.object({ workspaceId, name: signatureFields.name, content: signatureFields.content, platform: signatureFields.platform.optional(), isDefault: signatureFields.isDefault.optional() }),
    handler: (ctx, i) => createSignature(ctx.db, i.workspaceId, i),
  }),
  'posts.updateSignature': method({
    description: "Change a signature's name, text, network or whether it is the default.",
    input: z.object({ signatureId: id, ...z.object(signatureFields).partial().shape }),
    handler: (ctx, i) => {
      const { signatureId, ...patch } = i;
      return updateSignature(ctx.db, signatureId, patch);
    },
  }),
  'posts.deleteSignature': method({
    description: 'Delete a signature. Posts that already end with it keep their text.',
    input: z.object({ signatureId: id }),
    handler: (ctx, i) => {
      deleteSignature(ctx.db, i.signatureId);
      return { deleted: true };
    },
  }),
  'posts.hashtagGroups': method({
    description: "The workspace's saved hashtag groups, newest first.",
    input: z.object({ workspaceId }),
    handler: (ctx, i) => listHashtagGroups(ctx.db, i.workspaceId),
  }),
  'posts.saveHashtagGroup': method({
    description: 'Save a hashtag group; one with the same name (any case) is replaced.',
    input: z.object({ workspaceId, ...hashtagGroup.shape }),
    handler: (ctx, i) => saveHashtagGroup(ctx.db, i.workspaceId, i),
  }),
  'posts.deleteHashtagGroup': method({
    description: 'Delete a saved hashtag group. Posts keep their hashtags.',
    input: z.object({ groupId: id }),
    handler: (ctx, i) => {
      deleteHashtagGroup(ctx.db, i.groupId);
      return { deleted: true };
    },
  }),
  'posts.importHashtagGroups': method({
    description: 'Move the hashtag groups an older version kept in the window into the workspace (names it already has keep their groups).',
    input: z.object({ workspaceId, groups: z.array(hashtagGroup).max(MAX_HASHTAG_GROUPS * 2) }),
    handler: (ctx, i) => importHashtagGroups(ctx.db, i.workspaceId, i.groups),
  }),
  'posts.runs': method({
    description: 'Every publish attempt of a post, newest first: when, which account, outcome, error.',
    input: z.object({ postId }),
    handler: (ctx, i) => ctx.db.orm.select().from(postRuns).where(eq(postRuns.postId, i.postId)).orderBy(desc(postRuns.createdAt)).limit(200).all(),
  }),
});

function approval(ctx: ApiContext, postId: string, action: 'submit' | 'approve' | 'reject' | 'withdraw', note?: string) {
  transition(ctx.db, postId, action, { note });
  const post = getPost(ctx.db, postId);
  ctx.events.emit('posts.changed', { workspaceId: post.workspaceId, postId });
  return post;
}
