// The checks a post must pass before it is scheduled, run in the core with the same pure
// validation the composer shows live: what the composer says is what the scheduler enforces.
import type { ApiContext } from '../context';
import { withHashtags } from './publish';
import type { PostView } from './posts';
import { validatePost, type Issue, type PostTargetCheck, type PostValidation } from './validate';

export function checksFor(ctx: ApiContext, post: PostView, publishAt: number | null): PostTargetCheck[] {
  return post.targets.map((t) => ({
    id: t.id,
    platform: t.platform,
    capabilities: ctx.platforms.connector(t.platform).capabilities,
    text: withHashtags(t.text, post.hashtags),
    threadParts: t.threadParts,
    firstComment: t.firstComment,
    media: post.media.map((m) => ({
      kind: m.kind as PostTargetCheck['media'][number]['kind'],
      mimeType: m.mimeType ?? 'application/octet-stream',
      sizeBytes: m.sizeBytes,
      ...(m.width !== null ? { width: m.width } : {}),
      ...(m.height !== null ? { height: m.height } : {}),
      ...(m.durationMs !== null ? { durationMs: m.durationMs } : {}),
      altText: m.altText,
      hasPublicUrl: m.publicUrl !== null,
    })),
    publishAt,
    nativeScheduling: t.nativeScheduling,
  }));
}

export function checkPost(ctx: ApiContext, post: PostView, publishAt: number | null, now: number): PostValidation {
  return validatePost(checksFor(ctx, post, publishAt), now);
}

/** "X: 27 characters over X's limit of 280." — one line per blocking issue, for an error message. */
export function describeErrors(post: PostView, validation: PostValidation): string[] {
  const lines: string[] = [];
  for (const t of post.targets) {
    for (const issue of validation.byTarget[t.id] ?? ([] as Issue[])) {
      if (issue.severity === 'error') lines.push(`${t.accountName} (${t.platform}): ${issue.message}`);
    }
  }
  return lines;
}
