// Posts in the Queue's words: the status badge (with "Published on 2 of 3" where one network
// refused), each target's status, and the post's time on the workspace's clock. Pure, so the
// wording is tested without a browser.
import { STATUS_INFO, TARGET_STATUS_INFO, type PostView, type TargetView, type Tone } from '../calendar/post-info';

export interface Badge {
  label: string;
  tone: Tone;
  /** A sentence for the tooltip: what the status means for this post. */
  help: string;
}

const count = (p: Pick<PostView, 'targets'>, s: TargetView['status']) => p.targets.filter((t) => t.status === s).length;

/** The post's status as the table shows it; partial outcomes say how many targets made it. */
export function postBadge(p: Pick<PostView, 'status' | 'targets' | 'rejectionNote'>): Badge {
  const info = STATUS_INFO[p.status];
  const total = p.targets.length;
  const published = count(p, 'published');
  switch (p.status) {
    case 'partially_published': {
      const failed = count(p, 'failed');
      const cancelled = count(p, 'cancelled');
      const rest = [failed > 0 ? `${failed} failed` : '', cancelled > 0 ? `${cancelled} cancelled` : ''].filter(Boolean).join(', ');
      return { label: `Published on ${published} of ${total}`, tone: 'warning', help: `It went out to ${published} of its ${total} accounts${rest ? ` (${rest})` : ''}.` };
    }
    case 'publishing':
      return {
        label: published > 0 ? `Publishing (${published} of ${total} out)` : 'Publishing',
        tone: info.tone,
        help: 'Going out right now.',
      };
    case 'failed':
      return { label: info.label, tone: info.tone, help: total === 1 ? 'The network refused it; the reason is on its account.' : `None of its ${total} accounts published it; the reasons are on each account.` };
    case 'published':
      return { label: total > 1 ? `Published on all ${total}` : info.label, tone: info.tone, help: 'Out on every account.' };
    case 'rejected':
      return { label: info.label, tone: info.tone, help: p.rejectionNote ? `Rejected: ${p.rejectionNote}` : 'Rejected; edit it in Compose.' };
    case 'scheduled':
      return { label: info.label, tone: info.tone, help: 'Waiting for its time.' };
    case 'draft':
      return { label: info.label, tone: info.tone, help: 'Not scheduled.' };
    case 'pending_approval':
      return { label: info.label, tone: info.tone, help: 'Waiting for someone to approve it.' };
    case 'approved':
      return { label: info.label, tone: info.tone, help: 'Approved; schedule it to publish.' };
    case 'cancelled':
      return { label: info.label, tone: info.tone, help: 'Cancelled; it will not go out.' };
  }
}

/** One target's chip: its status word, and a sentence for the tooltip that includes a network's error. */
export function targetLabel(t: Pick<TargetView, 'status' | 'accountName' | 'errorMessage'>, networkName: string): { status: string; tone: Tone; title: string } {
  const info = TARGET_STATUS_INFO[t.status];
  const title = `${networkName} · ${t.accountName} — ${info.label}${t.errorMessage ? `: ${t.errorMessage}` : ''}`;
  return { status: info.label, tone: info.tone, title };
}

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string, locale: string | undefined, withYear: boolean): Intl.DateTimeFormat {
  const key = `${timezone}|${locale ?? ''}|${withYear}`;
  let f = cache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: timezone });
    } catch {
      // A zone this browser does not know: the machine's clock beats nothing.
      f = new Intl.DateTimeFormat(locale, opts);
    }
    cache.set(key, f);
  }
  return f;
}

/**
 * "Tue 24 Nov, 09:30" on the workspace's clock — always with the day, since a list of posts is a
 * plan across days; the year only when it is not this year's.
 */
export function postTime(at: number, now: number, timezone: string, locale?: string): string {
  const year = (ms: number) => formatter(timezone, 'en-US', true).formatToParts(new Date(ms)).find((p) => p.type === 'year')?.value;
  return formatter(timezone, locale, year(at) !== year(now)).format(new Date(at));
}
