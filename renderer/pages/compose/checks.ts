// Each chosen account's view of the draft: the text it will send (its variant or the main text,
// with the hashtags added as publishing adds them), counted the way its network counts, and what
// the network would refuse — the core's own countText and validateTarget, so the composer and the
// scheduler never disagree.
import { capabilitiesOf, type PlatformCapabilities } from '../../../electron/platforms/capabilities';
import { countText, type TextCount } from '../../../electron/core/posts/text-count';
import { validateTarget, type Issue, type MediaCheck, type MediaCheckKind } from '../../../electron/core/posts/validate';
import type { AccountView } from '../accounts/account-labels';
import type { Draft, MediaDraft, TargetDraft } from './draft';
import { withHashtags } from './text-parts';

export type { Issue, TextCount };

export interface TargetInfo {
  target: TargetDraft;
  account: AccountView;
  /** null: a network this build cannot publish to (nothing is counted). */
  caps: PlatformCapabilities | null;
  /** What goes out as the first post. */
  text: string;
  count: TextCount | null;
  partCounts: (TextCount | null)[];
  commentCount: TextCount | null;
  issues: Issue[];
}

const MEDIA_KINDS: ReadonlySet<string> = new Set<MediaCheckKind>(['image', 'gif', 'video', 'audio', 'document']);

export function mediaCheck(m: MediaDraft): MediaCheck {
  return {
    kind: (MEDIA_KINDS.has(m.kind) ? m.kind : 'document') as MediaCheckKind,
    mimeType: m.mimeType ?? 'application/octet-stream',
    sizeBytes: m.sizeBytes,
    ...(m.width !== null ? { width: m.width } : {}),
    ...(m.height !== null ? { height: m.height } : {}),
    ...(m.durationMs !== null ? { durationMs: m.durationMs } : {}),
    altText: m.altText.trim() === '' ? null : m.altText,
    hasPublicUrl: m.publicUrl !== null,
  };
}

export function sentText(draft: Pick<Draft, 'content' | 'hashtags'>, target: Pick<TargetDraft, 'content'>): string {
  const own = target.content !== null && target.content.trim() !== '' ? target.content : draft.content;
  return withHashtags(own, draft.hashtags);
}

/** `publishAt`: when it goes out (null: now), for the networks that hold posts themselves. */
export function targetInfos(draft: Draft, accounts: readonly AccountView[], publishAt: number | null, now: number): TargetInfo[] {
  const media = draft.media.map(mediaCheck);
  const out: TargetInfo[] = [];
  for (const target of draft.targets) {
    const account = accounts.find((a) => a.id === target.accountId);
    if (!account) continue;
    const caps = capabilitiesOf(account.platform);
    const text = sentText(draft, target);
    if (!caps) {
      out.push({ target, account, caps, text, count: null, partCounts: target.threadParts.map(() => null), commentCount: null, issues: [] });
      continue;
    }
    const issues = validateTarget(
      {
        platform: caps.platform,
        capabilities: caps,
        text,
        threadParts: target.threadParts,
        firstComment: target.firstComment.trim() === '' ? null : target.firstComment,
        media,
        publishAt,
        nativeScheduling: target.nativeScheduling,
      },
      now,
    );
    out.push({
      target,
      account,
      caps,
      text,
      count: countText(text, caps.text),
      partCounts: target.threadParts.map((p) => countText(p, caps.text)),
      commentCount: target.firstComment.trim() === '' ? null : countText(target.firstComment, caps.text),
      issues,
    });
  }
  return out;
}

export function errorsOf(infos: readonly TargetInfo[]): number {
  return infos.reduce((n, t) => n + t.issues.filter((i) => i.severity === 'error').length, 0);
}

/** "12 left" / "8 over": what the counter says beside the number. */
export function countWords(c: TextCount): string {
  if (c.over && c.used <= c.limit && c.bytes !== undefined) return 'too many bytes';
  return c.remaining >= 0 ? `${c.remaining.toLocaleString()} left` : `${(-c.remaining).toLocaleString()} over`;
}

/** The tone of a counter: fine, close to the limit (last 10%), or over. */
export function countTone(c: TextCount): 'ok' | 'near' | 'over' {
  if (c.over) return 'over';
  return c.remaining <= Math.max(10, Math.round(c.limit * 0.1)) ? 'near' : 'ok';
}
