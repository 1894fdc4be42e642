// Step 5: comments received on the monitored (published) posts: praise, questions, friends
// tagged, complaints and spam, some threaded, many triaged by the AI and answered. Counts per post
// were decided by the posts step; comments are inserted in the order they were written.
import * as schema from '../schema';
import type { CommentKind } from './brand';
import { HOUR, MINUTE, writer, type SeedContext, type SeededTarget } from './context';
import { commentId, personHandle, personId } from './platforms';
import { TextMaker } from './text';

interface CommentPlan {
  id: string;
  target: SeededTarget;
  kind: CommentKind;
  platformCommentId: string;
  parentId: string | null;
  customerId: string | null;
  authorId: string;
  authorName: string;
  text: string;
  likes: number;
  triage: (typeof schema.TRIAGE_DECISIONS)[number] | null;
  reply: string | null;
  repliedAt: number | null;
  hidden: boolean;
  isRead: boolean;
  at: number;
  decisionId: string | null;
}

export function seedComments(ctx: SeedContext): void {
  const rng = ctx.rng.fork('comments');
  const ids = ctx.rng.fork('comments.ids');
  const text = new TextMaker(ctx.brand, ctx.rng.fork('comments.text'));
  const kinds = ctx.brand.comments.map((k) => [k, k.weight] as const);
  const known = new Map<schema.Platform, { id: string; name: string; externalId: string }[]>();
  for (const c of ctx.customers) {
    for (const [platform, ident] of Object.entries(c.identities) as [schema.Platform, { externalId: string }][]) {
      const list = known.get(platform) ?? [];
      list.push({ id: c.id, name: c.name, externalId: ident.externalId });
      known.set(platform, list);
    }
  }

  const plans: CommentPlan[] = [];
  for (const target of ctx.targets) {
    const onPost: CommentPlan[] = [];
    const platform = target.account.platform;
    const people = known.get(platform) ?? [];
    for (let i = 0; i < target.comments; i++) {
      const kind = rng.weighted(kinds);
      let at = target.publishedAt + MINUTE + Math.round(rng.exp(10 * HOUR));
      if (at >= ctx.now) at = target.publishedAt + Math.round(rng.next() * (ctx.now - MINUTE - target.publishedAt));
      const customer = people.length > 0 && kind.key !== 'spam' && rng.chance(0.3) ? rng.pick(people) : null;
      const authorName = customer?.name ?? text.fullName();
      const handle = personHandle(rng, platform, authorName);
      const first = authorName.split(' ')[0] ?? authorName;
      const age = ctx.now - at;
      const triaged = age > 10 * MINUTE && rng.chance(0.75);
      const triage = triaged ? (rng.chance(0.95) ? kind.triage : rng.pick(schema.TRIAGE_DECISIONS)) : null;
      const which = rng.int(0, kind.texts.length - 1);
      const answer = kind.answers?.[which] ?? (kind.replies.length > 0 ? rng.pick(kind.replies) : null);
      const replied = triage === 'respond' && answer !== null && rng.chance(0.7);
      const repliedAt = replied ? Math.min(ctx.now - MINUTE, at + MINUTE + Math.round(rng.exp(2 * HOUR))) : null;
      onPost.push({
        id: '',
        target,
        kind,
        platformCommentId: commentId(rng, platform, target.platformPostId),
        parentId: null,
        customerId: customer?.id ?? null,
        authorId: customer?.externalId ?? personId(rng, platform),
        authorName: platform === 'x' || platform === 'bluesky' || platform === 'mastodon' ? handle : authorName,
        text: text.fill(kind.texts[which] as string, first),
        likes: Math.min(5000, Math.floor(rng.heavy(1.6)) - 1),
        triage,
        reply: replied && answer !== null ? text.fill(answer, first) : null,
        repliedAt,
        hidden: kind.key === 'spam' && rng.chance(0.7),
        isRead: age > 2 * 24 * HOUR || rng.chance(0.4),
        at,
        decisionId: null,
      });
    }
    onPost.sort((a, b) => a.at - b.at);
    // Some comments answer an earlier one on the same post.
    for (let i = 1; i < onPost.length; i++) {
      if (rng.chance(0.1)) (onPost[i] as CommentPlan).parentId = (onPost[rng.int(0, i - 1)] as CommentPlan).platformCommentId;
    }
    plans.push(...onPost);
  }
  plans.sort((a, b) => a.at - b.at);
  for (const p of plans) p.id = ids.uuidv7(p.at);

  const cw = writer(ctx, schema.comments, [
    'id', 'workspaceId', 'accountId', 'monitoredPostId', 'targetId', 'customerId', 'platform', 'platformCommentId', 'platformPostId',
    'authorName', 'authorId', 'text', 'parentId', 'likeCount', 'triage', 'aiReplyText', 'repliedAt', 'hidden', 'isRead', 'commentedAt', 'createdAt', 'updatedAt',
  ], plans.length);
  for (const p of plans) {
    cw.add({
      id: p.id,
      workspaceId: ctx.workspaceId,
      accountId: p.target.account.id,
      monitoredPostId: p.target.monitoredPostId,
      targetId: p.target.targetId,
      customerId: p.customerId,
      platform: p.target.account.platform,
      platformCommentId: p.platformCommentId,
      platformPostId: p.target.platformPostId,
      authorName: p.authorName,
      authorId: p.authorId,
      text: p.text,
      parentId: p.parentId,
      likeCount: p.likes,
      triage: p.triage,
      aiReplyText: p.reply,
      repliedAt: p.repliedAt,
      hidden: p.hidden,
      isRead: p.isRead,
      commentedAt: p.at,
      createdAt: p.at,
      updatedAt: p.repliedAt ?? p.at,
    });
  }
  cw.close();

  // Half the triaged comments keep the AI's decision record; comments point back at it.
  const dw = writer(ctx, schema.aiDecisions, ['id', 'workspaceId', 'commentId', 'decision', 'confidence', 'reason', 'matchedRule', 'messageText', 'snapshotJson', 'model', 'createdAt', 'updatedAt']);
  for (const p of plans) {
    if (p.triage === null || !rng.chance(0.5)) continue;
    const at = p.at + rng.int(1000, 60_000);
    p.decisionId = ids.uuidv7(at);
    dw.add({
      id: p.decisionId,
      workspaceId: ctx.workspaceId,
      commentId: p.id,
      decision: p.triage,
      confidence: Math.round((0.6 + rng.next() * 0.39) * 100) / 100,
      reason: p.triage === 'respond' ? `A ${p.kind.key} worth a reply.` : p.triage === 'escalate' ? 'Negative comment: the owner should answer.' : p.kind.key === 'spam' ? 'Spam.' : 'Friends tagging each other; nothing to answer.',
      matchedRule: p.kind.key === 'spam' ? 'ignore example: promotion' : null,
      messageText: p.text.slice(0, 500),
      snapshotJson: { kind: p.kind.key },
      model: 'anthropic/claude-3.5-haiku',
      createdAt: at,
      updatedAt: at,
    });
  }
  dw.close();
  const link = ctx.sqlite.prepare(`UPDATE comments SET ai_decision_id = ? WHERE id = ?`);
  const linkAll = ctx.sqlite.transaction((rows: CommentPlan[]) => {
    for (const p of rows) if (p.decisionId) link.run(p.decisionId, p.id);
  });
  for (let i = 0; i < plans.length; i += 10_000) linkAll(plans.slice(i, i + 10_000));
}
