// The filters above the posts table: statuses (several, in a small popover of checkboxes), one
// account, and a date range — a preset (today, next 7 days, this month) or two days typed in.
// Every change goes straight into the URL, so the list and the address bar always agree.
import { useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../../components/Icon';
import type { AccountView } from '../accounts/account-labels';
import { accountHandle, platformName } from '../accounts/account-labels';
import { STATUS_INFO } from '../calendar/post-info';
import { isoDay, parseIsoDay } from '../calendar/grid';
import type { DayNumber } from '../calendar/zoned';
import { isFiltered, NO_FILTERS, POST_STATUS_ORDER, PRESET_LABELS, RANGE_PRESETS, rangeDays, statusesLabel, type PostsFilters, type RangePreset } from './posts-filters';

function StatusFilter({ filters, onChange }: { filters: PostsFilters; onChange: (f: PostsFilters) => void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLInputElement>('input')?.focus();
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const toggle = (s: (typeof POST_STATUS_ORDER)[number]) => {
    const next = filters.statuses.includes(s) ? filters.statuses.filter((x) => x !== s) : [...filters.statuses, s];
    onChange({ ...filters, statuses: POST_STATUS_ORDER.filter((x) => next.includes(x)) });
  };

  return (
    <div className="qp-popover-wrap">
      <button
        ref={button}
        type="button"
        className={filters.statuses.length > 0 ? 'button button--small qp-filter is-active' : 'button button--small qp-filter'}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="qp-filter__name">Status:</span> {statusesLabel(filters.statuses)}
        <Icon name="chevronDown" size={14} />
      </button>
      {open ? (
        <div
          ref={panel}
          id={panelId}
          className="qp-popover"
          data-posts-popover=""
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          <fieldset className="qp-statuses">
            <legend className="qp-popover__title">Show posts that are</legend>
            {POST_STATUS_ORDER.map((s) => (
              <label key={s} className="qp-check">
                <input type="checkbox" checked={filters.statuses.includes(s)} onChange={() => toggle(s)} />
                <span className={`qp-dot qp-tone--${STATUS_INFO[s].tone}`} aria-hidden="true" />
                {STATUS_INFO[s].label}
              </label>
            ))}
          </fieldset>
          <div className="qp-popover__foot">
            <button type="button" className="link-button" disabled={filters.statuses.length === 0} onClick={() => onChange({ ...filters, statuses: [] })}>
              Any status
            </button>
            <button type="button" className="button button--small" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function accountOption(a: AccountView, all: readonly AccountView[]): string {
  const who = accountHandle(a) ?? a.displayName ?? a.platformAccountId;
  // With one account the network goes without saying.
  return all.length > 1 ? `${who} · ${platformName(a.platform)}` : who;
}

export function PostsFilterBar({
  filters,
  onChange,
  accounts,
  today,
  timezone,
}: {
  filters: PostsFilters;
  onChange: (f: PostsFilters) => void;
  accounts: readonly AccountView[];
  today: DayNumber;
  timezone: string;
}) {
  const accountId = useId();
  const fromId = useId();
  const toId = useId();
  const { first, last } = rangeDays(filters.range, today);
  const preset: RangePreset | 'any' | null = filters.range.kind === 'any' ? 'any' : filters.range.kind === 'preset' ? filters.range.preset : null;
  const unknownAccount = filters.accountId !== null && !accounts.some((a) => a.id === filters.accountId);

  const setDay = (end: 'from' | 'to', value: string) => {
    const day = value === '' ? null : parseIsoDay(value);
    if (value !== '' && day === null) return;
    // Typing a day turns a preset into the days it stood for, then changes one end.
    const base = { from: first, to: last };
    const next = { ...base, [end]: day };
    onChange({ ...filters, range: next.from === null && next.to === null ? { kind: 'any' } : { kind: 'custom', from: next.from, to: next.to } });
  };

  return (
    <div className="qp-filters" role="group" aria-label="Filter posts">
      <StatusFilter filters={filters} onChange={onChange} />
      <div className="qp-field">
        <label htmlFor={accountId} className="qp-field__label">
          Account
        </label>
        <select
          id={accountId}
          className={filters.accountId ? 'input qp-select is-active' : 'input qp-select'}
          value={filters.accountId ?? ''}
          onChange={(e) => onChange({ ...filters, accountId: e.target.value || null })}
        >
          <option value="">All accounts</option>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {accountOption(a, accounts)}
            </option>
          ))}
          {unknownAccount ? <option value={filters.accountId ?? ''}>An account no longer here</option> : null}
        </select>
      </div>
      <div className="qp-range" role="group" aria-label={`Dates, on the workspace’s clock (${timezone})`}>
        <div className="segmented qp-presets" role="radiogroup" aria-label="Dates">
          {(['any', ...RANGE_PRESETS] as const).map((p) => (
            <label key={p} className={preset === p ? 'segmented__option is-checked' : 'segmented__option'}>
              <input
                type="radio"
                name="posts-range"
                value={p}
                checked={preset === p}
                onChange={() => onChange({ ...filters, range: p === 'any' ? { kind: 'any' } : { kind: 'preset', preset: p } })}
              />
              <span>{p === 'any' ? 'Any time' : PRESET_LABELS[p]}</span>
            </label>
          ))}
        </div>
        <div className="qp-days">
          <label htmlFor={fromId} className="qp-field__label">
            From
          </label>
          <input id={fromId} type="date" className={preset === null ? 'input qp-date is-active' : 'input qp-date'} value={first === null ? '' : isoDay(first)} max={last === null ? undefined : isoDay(last)} onChange={(e) => setDay('from', e.target.value)} />
          <label htmlFor={toId} className="qp-field__label">
            to
          </label>
          <input id={toId} type="date" className={preset === null ? 'input qp-date is-active' : 'input qp-date'} value={last === null ? '' : isoDay(last)} min={first === null ? undefined : isoDay(first)} onChange={(e) => setDay('to', e.target.value)} />
        </div>
      </div>
      {isFiltered(filters) ? (
        <button type="button" className="link-button qp-clear" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
