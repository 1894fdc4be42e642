// The inbox list's tab and filters, read from and written to the query of the URL's hash
// (`#/inbox?view=pending&unread=1&kind=dm`), so a reload, Back and a copied link show the same
// list. Unknown or broken values are dropped, never guessed at. Pure, so it is unit-tested.
import type { InboxView, ListQuery, PlatformId, Priority, ThreadKind, Triage } from './inbox-types';

export const VIEWS: readonly { id: InboxView; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'pending', label: 'Pending' },
  { id: 'snoozed', label: 'Snoozed' },
  { id: 'closed', label: 'Closed' },
  { id: 'all', label: 'All' },
];

export const KINDS: readonly { id: ThreadKind; label: string; one: string }[] = [
  { id: 'dm', label: 'DMs', one: 'DM' },
  { id: 'comment_thread', label: 'Comments', one: 'Comments' },
  { id: 'mention', label: 'Mentions', one: 'Mention' },
];

export const PRIORITIES: readonly { id: Priority; label: string }[] = [
  { id: 'urgent', label: 'Urgent' },
  { id: 'high', label: 'High' },
  { id: 'normal', label: 'Normal' },
  { id: 'low', label: 'Low' },
];

export const TRIAGES: readonly { id: Triage; label: string }[] = [
  { id: 'respond', label: 'Respond' },
  { id: 'escalate', label: 'Escalate' },
  { id: 'ignore', label: 'Ignore' },
];

const PLATFORM_IDS: readonly PlatformId[] = ['bluesky', 'mastodon', 'x', 'facebook', 'instagram', 'linkedin', 'threads', 'google_business', 'whatsapp', 'tiktok', 'youtube'];

export interface InboxFilters {
  view: InboxView;
  accountId: string | null;
  platform: PlatformId | null;
  kind: ThreadKind | null;
  unread: boolean;
  priority: Priority | null;
  tag: string | null;
  triage: Triage | null;
  escalated: boolean;
}

export const NO_FILTERS: InboxFilters = {
  view: 'open',
  accountId: null,
  platform: null,
  kind: null,
  unread: false,
  priority: null,
  tag: null,
  triage: null,
  escalated: false,
};

/** The query keys the list owns; anything else in the query (the open thread) is left alone. */
export const FILTER_KEYS = ['view', 'account', 'platform', 'kind', 'unread', 'priority', 'tag', 'triage', 'escalated'] as const;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Ids are the engine's (uuid-like); anything else in the URL is not an id. */
const ID_RE = /^[0-9A-Za-z_-]{1,64}$/;

export function parseFilters(params: URLSearchParams): InboxFilters {
  const account = params.get('account');
  const tag = params.get('tag')?.trim() ?? '';
  return {
    view:
      oneOf(
        params.get('view'),
        VIEWS.map((v) => v.id),
      ) ?? 'open',
    accountId: account !== null && ID_RE.test(account) ? account : null,
    platform: oneOf(params.get('platform'), PLATFORM_IDS),
    kind: oneOf(
      params.get('kind'),
      KINDS.map((k) => k.id),
    ),
    unread: params.get('unread') === '1',
    priority: oneOf(
      params.get('priority'),
      PRIORITIES.map((p) => p.id),
    ),
    tag: tag !== '' && tag.length <= 60 ? tag : null,
    triage: oneOf(
      params.get('triage'),
      TRIAGES.map((t) => t.id),
    ),
    escalated: params.get('escalated') === '1',
  };
}

/** `base` with the filter keys replaced by `f` (defaults left out, so a plain inbox has a plain URL). */
export function writeFilters(f: InboxFilters, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const out = new URLSearchParams(base);
  for (const k of FILTER_KEYS) out.delete(k);
  if (f.view !== 'open') out.set('view', f.view);
  if (f.accountId) out.set('account', f.accountId);
  if (f.platform) out.set('platform', f.platform);
  if (f.kind) out.set('kind', f.kind);
  if (f.unread) out.set('unread', '1');
  if (f.priority) out.set('priority', f.priority);
  if (f.tag) out.set('tag', f.tag);
  if (f.triage) out.set('triage', f.triage);
  if (f.escalated) out.set('escalated', '1');
  return out;
}

/** Filters other than the tab narrow the list: worth a "Clear filters" when nothing matches. */
export function isFiltered(f: InboxFilters): boolean {
  return f.accountId !== null || f.platform !== null || f.kind !== null || f.unread || f.priority !== null || f.tag !== null || f.triage !== null || f.escalated;
}

export type ListFilterQuery = Omit<ListQuery, 'offset' | 'limit'>;

/** inbox.list's input for these filters (without the window, which the virtual list adds). */
export function listQuery(workspaceId: string, f: InboxFilters): ListFilterQuery {
  return {
    workspaceId,
    view: f.view,
    ...(f.accountId ? { accountIds: [f.accountId] } : {}),
    ...(f.platform ? { platforms: [f.platform] } : {}),
    ...(f.kind ? { kinds: [f.kind] } : {}),
    ...(f.unread ? { unreadOnly: true } : {}),
    ...(f.priority ? { priorities: [f.priority] } : {}),
    ...(f.tag ? { tag: f.tag } : {}),
    ...(f.triage ? { triage: [f.triage] } : {}),
    ...(f.escalated ? { escalatedOnly: true } : {}),
  };
}
