// The list's tabs (with counts) and filters: account, network, kind, priority, tag, triage result,
// unread only and escalated only. Each choice lands in the URL at once.
import type { KeyboardEvent } from 'react';
import { accountName, type AccountView } from '../accounts/account-labels';
import { networkName } from './labels';
import { isFiltered, KINDS, NO_FILTERS, PRIORITIES, TRIAGES, VIEWS, type InboxFilters } from './inbox-filters';
import type { Counts, InboxView, PlatformId, Priority, ThreadKind, Triage } from './inbox-types';
import { badgeText } from './inbox-counts';

export const LIST_PANEL_ID = 'ib-list-panel';

function tabCount(view: InboxView, counts: Counts | null): number | null {
  if (!counts) return null;
  switch (view) {
    case 'open':
      return counts.open;
    case 'pending':
      return counts.pending;
    case 'snoozed':
      return counts.snoozed;
    case 'closed':
      return counts.closed;
    default:
      return null;
  }
}

export function InboxTabs({ view, counts, onView }: { view: InboxView; counts: Counts | null; onView(v: InboxView): void }) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // A tab list's own keys: arrows move between tabs.
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const at = VIEWS.findIndex((v) => v.id === view);
    const next = VIEWS[(at + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length];
    if (!next) return;
    e.preventDefault();
    onView(next.id);
    requestAnimationFrame(() => document.getElementById(`ib-tab-${next.id}`)?.focus());
  };
  return (
    <div className="ib-tabs" role="tablist" aria-label="Conversations by status" onKeyDown={onKeyDown}>
      {VIEWS.map((v) => {
        const n = tabCount(v.id, counts);
        const selected = v.id === view;
        return (
          <button
            key={v.id}
            id={`ib-tab-${v.id}`}
            type="button"
            role="tab"
            className="ib-tab"
            aria-selected={selected}
            aria-controls={LIST_PANEL_ID}
            tabIndex={selected ? 0 : -1}
            onClick={() => onView(v.id)}
          >
            {v.label}
            {n !== null ? <span className="ib-tab__count">{n.toLocaleString()}</span> : null}
          </button>
        );
      })}
      {counts && counts.unread > 0 ? <span className="ib-tabs__unread muted">{badgeText(counts.unread)} unread</span> : null}
    </div>
  );
}

function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  all,
}: {
  label: string;
  value: T | null;
  options: readonly { id: T; label: string }[];
  onChange(v: T | null): void;
  all: string;
}) {
  return (
    <label className={value ? 'ib-filter is-active' : 'ib-filter'}>
      <span className="visually-hidden">{label}</span>
      <select className="ib-filter__select" value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : (e.target.value as T))} aria-label={label}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function InboxFilterBar({ filters, onChange, accounts, tags }: { filters: InboxFilters; onChange(f: InboxFilters): void; accounts: readonly AccountView[]; tags: readonly string[] }) {
  const platforms = [...new Set(accounts.map((a) => a.platform))].map((p) => ({ id: p as PlatformId, label: networkName(p) }));
  const tagOptions = [...new Set([...tags, ...(filters.tag ? [filters.tag] : [])])].map((t) => ({ id: t, label: t }));
  const set = (patch: Partial<InboxFilters>) => onChange({ ...filters, ...patch });
  return (
    <div className="ib-filters" role="group" aria-label="Filters">
      <label className={filters.unread ? 'ib-check is-active' : 'ib-check'}>
        <input type="checkbox" checked={filters.unread} onChange={(e) => set({ unread: e.target.checked })} />
        Unread
      </label>
      <label className={filters.escalated ? 'ib-check is-active' : 'ib-check'}>
        <input type="checkbox" checked={filters.escalated} onChange={(e) => set({ escalated: e.target.checked })} />
        Escalated
      </label>
      <Select<ThreadKind> label="Kind" all="DMs, comments, mentions" value={filters.kind} options={KINDS} onChange={(kind) => set({ kind })} />
      <Select
        label="Account"
        all="All accounts"
        value={filters.accountId}
        options={accounts.map((a) => ({ id: a.id, label: `${networkName(a.platform)} · ${accountName(a)}` }))}
        onChange={(accountId) => set({ accountId })}
      />
      {platforms.length > 1 ? <Select<PlatformId> label="Network" all="All networks" value={filters.platform} options={platforms} onChange={(platform) => set({ platform })} /> : null}
      <Select<Priority> label="Priority" all="Any priority" value={filters.priority} options={PRIORITIES} onChange={(priority) => set({ priority })} />
      <Select<Triage> label="Triage" all="Any triage" value={filters.triage} options={TRIAGES} onChange={(triage) => set({ triage })} />
      {tagOptions.length > 0 ? <Select label="Tag" all="Any tag" value={filters.tag} options={tagOptions} onChange={(tag) => set({ tag })} /> : null}
      {isFiltered(filters) ? (
        <button type="button" className="link-button" onClick={() => onChange({ ...NO_FILTERS, view: filters.view })}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
