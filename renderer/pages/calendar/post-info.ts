// Posts in the calendar's words: status labels and tones, which posts can be moved, a post's first
// line, and a colour per account that stays the same from visit to visit.
import type { ApiOutput } from '../../../electron/api';

export type PostView = ApiOutput<'posts.get'>;
export type TargetView = PostView['targets'][number];
export type PostStatus = PostView['status'];
export type TargetStatus = TargetView['status'];

export type Tone = 'accent' | 'success' | 'warning' | 'danger' | 'muted' | 'info';

export const STATUS_INFO: Record<PostStatus, { label: string; tone: Tone }> = {
  draft: { label: 'Draft', tone: 'muted' },
  pending_approval: { label: 'Awaiting approval', tone: 'warning' },
  approved: { label: 'Approved', tone: 'info' },
  rejected: { label: 'Rejected', tone: 'danger' },
  scheduled: { label: 'Scheduled', tone: 'accent' },
  publishing: { label: 'Publishing', tone: 'accent' },
  published: { label: 'Published', tone: 'success' },
  partially_published: { label: 'Partly published', tone: 'warning' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
};

export const TARGET_STATUS_INFO: Record<TargetStatus, { label: string; tone: Tone }> = {
  pending: { label: 'Not scheduled', tone: 'muted' },
  scheduled: { label: 'Scheduled', tone: 'accent' },
  publishing: { label: 'Publishing', tone: 'accent' },
  published: { label: 'Published', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
};

/** The statuses the legend lists when colouring by status, in the order a post lives through them. */
export const LEGEND_STATUSES: readonly PostStatus[] = ['draft', 'pending_approval', 'approved', 'scheduled', 'publishing', 'published', 'partially_published', 'failed', 'cancelled', 'rejected'];

/** Only posts that have not started going out move; a published one stays where it happened. */
const MOVABLE: ReadonlySet<PostStatus> = new Set(['scheduled', 'draft', 'approved']);

export function isMovable(p: Pick<PostView, 'status'>): boolean {
  return MOVABLE.has(p.status);
}

/** Why a post cannot be dragged, in a sentence (for its tooltip and the screen reader). */
export function notMovableReason(p: Pick<PostView, 'status'>): string | null {
  if (isMovable(p)) return null;
  switch (p.status) {
    case 'published':
    case 'partially_published':
      return 'Already published, so it stays on the day it went out.';
    case 'publishing':
      return 'Being published right now.';
    case 'pending_approval':
      return 'Waiting for approval; approve it before moving it.';
    case 'rejected':
      return 'Rejected; edit it in Compose before scheduling it again.';
    case 'failed':
      return 'Failed; open it to retry or reschedule it.';
    case 'cancelled':
      return 'Cancelled; schedule it again from Compose.';
    default:
      return null;
  }
}

export const canUnschedule = (p: Pick<PostView, 'status'>) => p.status === 'scheduled' || p.status === 'failed' || p.status === 'partially_published';
export const canCancel = (p: Pick<PostView, 'status'>) => p.status !== 'published' && p.status !== 'cancelled' && p.status !== 'publishing';
/** Reschedule from the panel: what the calendar can drag, plus a failed post given a new time. */
export const canReschedule = (p: Pick<PostView, 'status'>) => isMovable(p) || p.status === 'failed';

/** The first line with words in it, for a chip ("(no text)" for an empty draft). */
export function firstLine(text: string, max = 80): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  if (line === '') return '(no text)';
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

/** The accounts a post goes to, without repeats, in target order. */
export function postAccountIds(p: Pick<PostView, 'targets'>): string[] {
  return [...new Set(p.targets.map((t) => t.accountId))];
}

/** Only web links open from the panel (a platform URL is data from the network). */
export function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** How many distinct account colours there are (calendar.css defines .acc-0 … .acc-11). */
export const ACCOUNT_COLOURS = 12;

function hash(s: string): number {
  // FNV-1a: small, and the same on every machine.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A colour per account that does not change between visits: each account prefers the colour its
 * id hashes to; accounts are served oldest first, and one whose colour is taken gets the next free
 * one. So connecting a new account never recolours the existing ones, and two accounts share a
 * colour only when there are more accounts than colours.
 */
export function accountColours(accounts: readonly { id: string; connectedAt: number }[], colours = ACCOUNT_COLOURS): Map<string, number> {
  const out = new Map<string, number>();
  const used = new Set<number>();
  const ordered = [...accounts].sort((a, b) => a.connectedAt - b.connectedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const a of ordered) {
    const preferred = hash(a.id) % colours;
    let c = preferred;
    if (used.size < colours) {
      while (used.has(c)) c = (c + 1) % colours;
    }
    used.add(c);
    out.set(a.id, c);
  }
  return out;
}
