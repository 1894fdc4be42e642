// Step 3: the content calendar. Past posts went out to one to three accounts (with platform ids,
// URLs, publish attempts, metrics and their history, and comment monitoring); future ones are
// scheduled or awaiting approval; drafts have no date. Comment counts per published post are
// decided here so post_metrics.comments agrees with the comments step.
import * as schema from '../schema';
import type { Theme } from './brand';
import { DAY, HOUR, MINUTE, growingTime, writer, type SeedContext, type SeededAccount } from './context';
import { postRef } from './platforms';
import { preview, TextMaker } from './text';

type PostStatus = (typeof schema.POST_STATUSES)[number];
type TargetStatus = (typeof schema.TARGET_STATUSES)[number];

interface TargetPlan {
  id: string;
  account: SeededAccount;
  status: TargetStatus;
  content: string | null;
  platformPostId: string | null;
  platformUrl: string | null;
  publishedAt: number | null;
  error: string | null;
  retries: number;
  firstComment: string | null;
  monitoredPostId: string | null;
}

interface PostPlan {
  id: string;
  createdAt: number;
  publishAt: number | null;
  status: PostStatus;
  source: (typeof schema.POST_SOURCES)[number];
  content: string;
  hashtags: string[];
  rrule: string | null;
  requiresApproval: boolean;
  campaignId: string | null;
  templateId: string | null;
  targets: TargetPlan[];
}

const PUBLISH_ERRORS: Partial<Record<schema.Platform, string[]>> = {
  instagram: ['Instagram rejected the image: the aspect ratio must be between 4:5 and 1.91:1.', 'Instagram: the media could not be fetched from the upload URL (HTTP 403).'],
  facebook: ['Facebook: the Page access token has expired. Reconnect the account and try again.', 'Facebook: (#368) The action attempted has been deemed abusive or is otherwise disallowed.'],
  x: ['X: 429 Too Many Requests. Gave up after 3 retries.', 'X: the post is a duplicate of a recent post (187).'],
  bluesky: ['Bluesky: the post is longer than 300 characters.', 'Bluesky: the app password was revoked. Reconnect the account.'],
  mastodon: ['Mastodon: the server did not answer (timeout after 30 s).'],
  linkedin: ['LinkedIn: the organisation token lacks w_organization_social.'],
};

const THEMES: readonly (readonly [Theme | 'announcement', number])[] = [
  ['promotion', 3],
  ['tip', 2],
  ['seasonal', 2],
  ['testimonial', 1.5],
  ['fun_fact', 1],
  ['announcement', 2.5],
];

/** Hours after publishing when metrics were snapshotted, and the share of the final figures by then. */
const SNAPSHOTS: readonly (readonly [number, number])[] = [
  [1, 0.22],
  [6, 0.55],
  [24, 0.84],
  [72, 0.96],
  [168, 1],
];

/** Local hour of day (UTC offset in hours) at `ms` in `timeZone`. */
function utcOffsetHours(timeZone: string, ms: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-]\d+)(?::(\d+))?/.exec(part ?? '');
  return m ? Number(m[1]) + Math.sign(Number(m[1])) * Number(m[2] ?? 0) / 60 : 0;
}

/** `total` split in proportion to `weights` (largest remainders), so the parts sum exactly. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) {
    const i = (order[j] as readonly [number, number])[1];
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}

export function seedPosts(ctx: SeedContext): void {
  const rng = ctx.rng.fork('posts');
  const text = new TextMaker(ctx.brand, ctx.rng.fork('posts.text'));
  const n = ctx.scale.posts;
  const offset = utcOffsetHours(ctx.brand.timezone, ctx.now);
  const slots = [8, 12.5, 17.5, 19];
  /** A publishing time on the day of `ms`, at one of the brand's usual local hours. */
  const atSlot = (ms: number): number => {
    const day = Math.floor(ms / DAY) * DAY;
    const local = (rng.pick(slots) - offset) * HOUR + rng.int(-10, 10) * MINUTE;
    return day + ((local % DAY) + DAY) % DAY;
  };
  const accountWeights = ctx.accounts.map((a) => [a, a.platform === 'instagram' ? 5 : a.platform === 'facebook' ? 4 : 2] as const);

  const plans: PostPlan[] = [];
  for (let i = 0; i < n; i++) {
    const kind = rng.weighted([
      ['past', 79],
      ['draft', 10],
      ['future', 11],
    ] as const);
    let status: PostStatus;
    let publishAt: number | null;
    let createdAt: number;
    if (kind === 'past') {
      publishAt = Math.min(ctx.now - HOUR, atSlot(growingTime(rng, ctx.start, ctx.now - HOUR)));
      createdAt = Math.max(ctx.start - 7 * DAY, publishAt - Math.round(rng.exp(3 * DAY)) - 10 * MINUTE);
      status = rng.weighted([
        ['published', 88],
        ['failed', 4],
        ['partially_published', 3],
        ['cancelled', 3],
        ['rejected', 2],
      ] as const);
    } else if (kind === 'future') {
      publishAt = Math.max(ctx.now + HOUR, atSlot(ctx.now + rng.next() * ctx.scale.aheadDays * DAY));
      createdAt = Math.max(ctx.start, ctx.now - Math.round(rng.exp(5 * DAY)));
      status = rng.weighted([
        ['scheduled', 8],
        ['pending_approval', 2],
        ['approved', 1],
      ] as const);
    } else {
      publishAt = null;
      createdAt = Math.round(growingTime(rng, Math.max(ctx.start, ctx.now - 60 * DAY), ctx.now - MINUTE));
      status = 'draft';
    }
    const theme = rng.weighted(THEMES);
    const { content, hashtags } = text.post(theme);
    const source = rng.weighted([
      ['manual', 60],
      ['agent', 20],
      ['template', 15],
      ['recurring', 5],
    ] as const);
    const campaign = publishAt !== null ? ctx.campaignIds.find((c) => publishAt >= c.startsAt && publishAt <= c.endsAt) : undefined;
    const targetCount = status === 'partially_published' ? rng.int(2, Math.min(3, ctx.accounts.length)) : rng.weighted([[1, 40], [2, 35], [3, 25]] as const);
    const chosen: SeededAccount[] = [];
    while (chosen.length < Math.min(targetCount, ctx.accounts.length)) {
      const a = rng.weighted(accountWeights);
      if (!chosen.includes(a)) chosen.push(a);
    }
    const plan: PostPlan = {
      id: rng.uuidv7(createdAt),
      createdAt,
      publishAt,
      status,
      source,
      content,
      hashtags,
      rrule: source === 'recurring' ? rng.pick(['FREQ=WEEKLY;BYDAY=FR', 'FREQ=WEEKLY;BYDAY=MO,TH', 'FREQ=MONTHLY;BYMONTHDAY=1']) : null,
      requiresApproval: status === 'pending_approval' || status === 'approved' || status === 'rejected',
      campaignId: campaign && rng.chance(0.7) ? campaign.id : null,
      templateId: source === 'template' && ctx.templateIds.length > 0 ? rng.pick(ctx.templateIds) : null,
      targets: [],
    };
    chosen.forEach((account, j) => {
      const failedHere = status === 'failed' || (status === 'partially_published' && j === chosen.length - 1);
      const publishedHere = status === 'published' || (status === 'partially_published' && !failedHere);
      const tStatus: TargetStatus = publishedHere
        ? 'published'
        : failedHere
          ? 'failed'
          : status === 'cancelled' || status === 'rejected'
            ? 'cancelled'
            : status === 'scheduled' || status === 'approved'
              ? 'scheduled'
              : 'pending';
      const ref = publishedHere ? postRef(rng, account.platform, account) : null;
      const limit = account.platform === 'x' ? 280 : account.platform === 'bluesky' ? 300 : 0;
      plan.targets.push({
        id: rng.uuidv7(createdAt),
        account,
        status: tStatus,
        // Short networks get their own variant: the text without the hashtag block.
        content: limit > 0 && content.length > limit ? preview(content.split('\n\n')[0] ?? content, limit) : null,
        platformPostId: ref?.id ?? null,
        platformUrl: ref?.url ?? null,
        publishedAt: publishedHere && publishAt !== null ? publishAt + rng.int(1, 40) * 1000 : null,
        error: failedHere ? rng.pick(PUBLISH_ERRORS[account.platform] ?? ['The network did not answer.']) : null,
        retries: failedHere ? 3 : publishedHere && rng.chance(0.08) ? 1 : 0,
        firstComment: account.platform === 'instagram' && hashtags.length > 0 && rng.chance(0.25) ? hashtags.join(' ') : null,
        monitoredPostId: publishedHere ? rng.uuidv7(publishAt ?? createdAt) : null,
      });
    });
    plans.push(plan);
  }
  plans.sort((a, b) => a.createdAt - b.createdAt);

  const posts = writer(ctx, schema.posts, [
    'id', 'workspaceId', 'content', 'status', 'source', 'publishAt', 'rrule', 'requiresApproval', 'approvedAt',
    'rejectionNote', 'hashtags', 'templateId', 'campaignId', 'publishedAt', 'metadata', 'createdAt', 'updatedAt',
  ], n);
  for (const p of plans) {
    const lastPublished = Math.max(0, ...p.targets.map((t) => t.publishedAt ?? 0));
    posts.add({
      id: p.id,
      workspaceId: ctx.workspaceId,
      content: p.content,
      status: p.status,
      source: p.source,
      publishAt: p.publishAt,
      rrule: p.rrule,
      requiresApproval: p.requiresApproval,
      approvedAt: p.status === 'approved' || (p.requiresApproval && p.status !== 'pending_approval' && p.status !== 'rejected') ? p.createdAt + HOUR : null,
      rejectionNote: p.status === 'rejected' ? rng.pick(['Wrong price in the text.', 'Let us not post this during the holiday closure.', 'Photo is too dark.']) : null,
      hashtags: p.hashtags,
      templateId: p.templateId,
      campaignId: p.campaignId,
      publishedAt: lastPublished > 0 ? lastPublished : null,
      metadata: {},
      createdAt: p.createdAt,
      updatedAt: lastPublished > 0 ? lastPublished : p.createdAt,
    });
  }
  posts.close();

  const targets = writer(ctx, schema.postTargets, [
    'id', 'workspaceId', 'postId', 'accountId', 'platform', 'content', 'status', 'platformPostId', 'platformUrl',
    'publishedAt', 'errorMessage', 'retryCount', 'firstComment', 'lastCheckAt', 'nextCheckAt', 'stopAt', 'createdAt', 'updatedAt',
  ]);
  for (const p of plans) {
    for (const t of p.targets) {
      const stopAt = t.publishedAt !== null ? t.publishedAt + 7 * DAY : null;
      const monitoring = stopAt !== null && stopAt > ctx.now;
      targets.add({
        id: t.id,
        workspaceId: ctx.workspaceId,
        postId: p.id,
        accountId: t.account.id,
        platform: t.account.platform,
        content: t.content,
        status: t.status,
        platformPostId: t.platformPostId,
        platformUrl: t.platformUrl,
        publishedAt: t.publishedAt,
        errorMessage: t.error,
        retryCount: t.retries,
        firstComment: t.firstComment,
        lastCheckAt: t.publishedAt !== null ? Math.min(ctx.now - 5 * MINUTE, stopAt ?? ctx.now) : null,
        nextCheckAt: monitoring ? ctx.now + rng.int(5, 60) * MINUTE : null,
        stopAt,
        createdAt: p.createdAt,
        updatedAt: t.publishedAt ?? p.createdAt,
      });
    }
  }
  targets.close();

  // Publish attempts: one per try, the idempotency key recorded before the (simulated) call.
  const runs = writer(ctx, schema.postRuns, [
    'id', 'workspaceId', 'postId', 'targetId', 'occurrenceAt', 'attempt', 'idempotencyKey', 'status', 'startedAt',
    'finishedAt', 'error', 'platformPostId', 'response', 'createdAt', 'updatedAt',
  ]);
  for (const p of plans) {
    if (p.publishAt === null || p.publishAt > ctx.now) continue;
    for (const t of p.targets) {
      if (t.status !== 'published' && t.status !== 'failed') continue;
      for (let attempt = 1; attempt <= t.retries + 1; attempt++) {
        const last = attempt === t.retries + 1;
        const startedAt = p.publishAt + (attempt - 1) * 2 ** attempt * MINUTE + rng.int(0, 3000);
        const ok = last && t.status === 'published';
        runs.add({
          id: rng.uuidv7(startedAt),
          workspaceId: ctx.workspaceId,
          postId: p.id,
          targetId: t.id,
          occurrenceAt: p.publishAt,
          attempt,
          idempotencyKey: `${t.id}:${p.publishAt}:${attempt}`,
          status: ok ? 'success' : 'failed',
          startedAt,
          finishedAt: startedAt + rng.int(400, 4000),
          error: ok ? null : (t.error ?? 'Timed out waiting for the network (30 s).'),
          platformPostId: ok ? t.platformPostId : null,
          response: ok ? { id: t.platformPostId, url: t.platformUrl } : null,
          createdAt: startedAt,
          updatedAt: startedAt,
        });
      }
    }
  }
  runs.close();

  // Comment counts per published target, heavy-tailed, scaled by audience and by how long the
  // post has been out, summing exactly to the scale's total.
  const published = plans.flatMap((p) => p.targets.filter((t) => t.status === 'published' && t.publishedAt !== null).map((t) => ({ p, t })));
  const weights = published.map(({ t }) => {
    const ageHours = (ctx.now - (t.publishedAt ?? ctx.now)) / HOUR;
    return rng.heavy(1.4) * Math.sqrt(t.account.followers) * Math.min(1, 0.1 + ageHours / 48);
  });
  const commentCounts = apportion(ctx.scale.comments, weights);

  const monitored = writer(ctx, schema.monitoredPosts, [
    'id', 'workspaceId', 'accountId', 'targetId', 'platformPostId', 'platform', 'caption', 'postedAt', 'source',
    'monitoringEnabled', 'monitoringStartedAt', 'monitoringEndsAt', 'lastCheckAt', 'nextCheckAt', 'createdAt', 'updatedAt',
  ]);
  const metrics = writer(ctx, schema.postMetrics, [
    'id', 'workspaceId', 'targetId', 'platform', 'reach', 'impressions', 'clicks', 'likes', 'comments', 'shares', 'saves',
    'videoViews', 'conversions', 'engagementRate', 'recordedAt', 'createdAt', 'updatedAt',
  ]);
  const history = writer(ctx, schema.postMetricsHistory, [
    'id', 'workspaceId', 'targetId', 'platform', 'reach', 'impressions', 'clicks', 'likes', 'comments', 'shares', 'saves',
    'videoViews', 'conversions', 'engagementRate', 'recordedAt', 'ageHours', 'createdAt', 'updatedAt',
  ]);
  published.forEach(({ p, t }, i) => {
    const publishedAt = t.publishedAt as number;
    const endsAt = publishedAt + 7 * DAY;
    const comments = commentCounts[i] ?? 0;
    monitored.add({
      id: t.monitoredPostId as string,
      workspaceId: ctx.workspaceId,
      accountId: t.account.id,
      targetId: t.id,
      platformPostId: t.platformPostId as string,
      platform: t.account.platform,
      caption: preview(t.content ?? p.content, 300),
      postedAt: publishedAt,
      source: 'scheduled',
      monitoringEnabled: endsAt > ctx.now,
      monitoringStartedAt: publishedAt,
      monitoringEndsAt: endsAt,
      lastCheckAt: Math.min(ctx.now - 5 * MINUTE, endsAt),
      nextCheckAt: endsAt > ctx.now ? ctx.now + rng.int(5, 60) * MINUTE : null,
      createdAt: publishedAt,
      updatedAt: Math.min(ctx.now, endsAt),
    });
    ctx.targets.push({ targetId: t.id, monitoredPostId: t.monitoredPostId as string, account: t.account, platformPostId: t.platformPostId as string, publishedAt, comments });

    const reach = Math.round(t.account.followers * (0.08 + rng.next() * 0.35) * Math.min(4, rng.heavy(2)));
    const likes = Math.round(reach * (0.015 + rng.next() * 0.06));
    const final = {
      reach,
      impressions: Math.round(reach * (1.2 + rng.next() * 0.8)),
      clicks: Math.round(reach * (0.004 + rng.next() * 0.015)),
      likes,
      comments,
      shares: Math.round(likes * (0.03 + rng.next() * 0.15)),
      saves: t.account.platform === 'instagram' ? Math.round(likes * (0.05 + rng.next() * 0.15)) : 0,
      videoViews: 0,
      conversions: rng.chance(0.2) ? rng.int(1, 12) : 0,
    };
    const rate = (f: typeof final) => (f.reach > 0 ? Math.round(((f.likes + f.comments + f.shares) / f.reach) * 10000) / 100 : 0);
    let lastRecorded = publishedAt;
    for (const [hours, share] of SNAPSHOTS) {
      const recordedAt = publishedAt + hours * HOUR;
      if (recordedAt > ctx.now) break;
      lastRecorded = recordedAt;
      const snap = {
        reach: Math.round(final.reach * share),
        impressions: Math.round(final.impressions * share),
        clicks: Math.round(final.clicks * share),
        likes: Math.round(final.likes * share),
        comments: Math.round(final.comments * share),
        shares: Math.round(final.shares * share),
        saves: Math.round(final.saves * share),
        videoViews: 0,
        conversions: Math.round(final.conversions * share),
      };
      history.add({
        id: rng.uuidv7(recordedAt),
        workspaceId: ctx.workspaceId,
        targetId: t.id,
        platform: t.account.platform,
        ...snap,
        engagementRate: rate(snap),
        recordedAt,
        ageHours: hours,
        createdAt: recordedAt,
        updatedAt: recordedAt,
      });
    }
    const recordedAt = Math.max(lastRecorded, Math.min(ctx.now - 5 * MINUTE, endsAt));
    metrics.add({
      id: rng.uuidv7(recordedAt),
      workspaceId: ctx.workspaceId,
      targetId: t.id,
      platform: t.account.platform,
      ...final,
      engagementRate: rate(final),
      recordedAt,
      createdAt: publishedAt + HOUR,
      updatedAt: recordedAt,
    });
  });
  monitored.close();
  metrics.close();
  history.close();

  // The AI meter: posts drafted by the assistant.
  const gens = writer(ctx, schema.aiGenerations, [
    'id', 'workspaceId', 'postId', 'generationType', 'promptText', 'modelUsed', 'promptTokens', 'completionTokens', 'cost',
    'creditsCharged', 'status', 'resultData', 'latencyMs', 'accepted', 'completedAt', 'createdAt', 'updatedAt',
  ]);
  for (const p of plans) {
    if (p.source !== 'agent') continue;
    const at = p.createdAt - rng.int(5, 120) * 1000;
    const promptTokens = rng.int(350, 900);
    const completionTokens = rng.int(60, 220);
    gens.add({
      id: rng.uuidv7(at),
      workspaceId: ctx.workspaceId,
      postId: p.id,
      generationType: 'post',
      promptText: `Write a ${ctx.brand.brandVoice} social post for ${ctx.brand.name}.`,
      modelUsed: 'anthropic/claude-3.5-haiku',
      promptTokens,
      completionTokens,
      cost: Math.round((promptTokens * 0.8 + completionTokens * 4) / 1e6 * 1e6) / 1e6,
      creditsCharged: 1,
      status: 'completed',
      resultData: { text: p.content },
      latencyMs: rng.int(900, 4500),
      accepted: true,
      completedAt: at + 2000,
      createdAt: at,
      updatedAt: at + 2000,
    });
  }
  gens.close();

  // Scheduled targets each have their publish job waiting in the queue.
  const jobs = writer(ctx, schema.jobs, ['id', 'workspaceId', 'type', 'payload', 'status', 'priority', 'runAt', 'dueAt', 'maxAttempts', 'uniqueKey', 'createdAt', 'updatedAt']);
  for (const p of plans) {
    if (p.publishAt === null || p.publishAt <= ctx.now) continue;
    for (const t of p.targets) {
      if (t.status !== 'scheduled') continue;
      jobs.add({
        id: rng.uuidv7(p.createdAt),
        workspaceId: ctx.workspaceId,
        type: 'post.publish',
        payload: { postId: p.id, targetId: t.id },
        status: 'pending',
        priority: 10,
        runAt: p.publishAt,
        dueAt: p.publishAt,
        maxAttempts: 3,
        uniqueKey: `publish:${t.id}`,
        createdAt: p.createdAt,
        updatedAt: p.createdAt,
      });
    }
  }
  jobs.close();
}
