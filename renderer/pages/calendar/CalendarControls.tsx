// Above the grid: today / previous / next and the period's name, month or week, colour by account
// or status, which account to show. Below it: the legend for whichever colouring is on.
import { Icon } from '../../components/Icon';
import { Kbd } from '../../components/Page';
import { NetworkMark } from '../accounts/AccountAvatar';
import { accountHandle, accountName, type AccountView } from '../accounts/account-labels';
import type { ColourBy } from './calendar-view';
import type { CalendarMode } from './grid';
import { LEGEND_STATUSES, STATUS_INFO, type PostStatus } from './post-info';

function Segmented<T extends string>({ name, label, value, choices, onChange }: { name: string; label: string; value: T; choices: { value: T; label: string }[]; onChange: (v: T) => void }) {
  return (
    <div role="radiogroup" aria-label={label} className="segmented segmented--labels">
      {choices.map((c) => (
        <label key={c.value} className={value === c.value ? 'segmented__option is-checked' : 'segmented__option'}>
          <input type="radio" name={name} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
          <span>{c.label}</span>
        </label>
      ))}
    </div>
  );
}

export function CalendarToolbar({
  mode,
  label,
  colourBy,
  accounts,
  accountId,
  onStep,
  onToday,
  onMode,
  onColourBy,
  onAccount,
}: {
  mode: CalendarMode;
  label: string;
  colourBy: ColourBy;
  accounts: readonly AccountView[];
  accountId: string | null;
  onStep: (delta: 1 | -1) => void;
  onToday: () => void;
  onMode: (m: CalendarMode) => void;
  onColourBy: (c: ColourBy) => void;
  onAccount: (id: string | null) => void;
}) {
  const unit = mode === 'month' ? 'month' : 'week';
  return (
    <div className="cal-toolbar">
      <div className="cal-toolbar__nav">
        <button type="button" className="button button--small" onClick={onToday} title="Today (T)">
          Today
        </button>
        <button type="button" className="icon-button" onClick={() => onStep(-1)} aria-label={`Previous ${unit}`} title={`Previous ${unit} (←)`}>
          <Icon name="arrowRight" className="cal-flip" />
        </button>
        <button type="button" className="icon-button" onClick={() => onStep(1)} aria-label={`Next ${unit}`} title={`Next ${unit} (→)`}>
          <Icon name="arrowRight" />
        </button>
        <h2 className="cal-toolbar__period" aria-live="polite" data-testid="calendar-period">
          {label}
        </h2>
      </div>
      <div className="cal-toolbar__options">
        <Segmented
          name="calendar-mode"
          label="View"
          value={mode}
          choices={[
            { value: 'month', label: 'Month' },
            { value: 'week', label: 'Week' },
          ]}
          onChange={onMode}
        />
        <Segmented
          name="calendar-colour"
          label="Colour by"
          value={colourBy}
          choices={[
            { value: 'account', label: 'By account' },
            { value: 'status', label: 'By status' },
          ]}
          onChange={onColourBy}
        />
        <label className="cal-filter">
          <span className="visually-hidden">Show posts for</span>
          <select className="input cal-filter__select" value={accountId ?? ''} onChange={(e) => onAccount(e.target.value === '' ? null : e.target.value)}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {accountHandle(a) ?? accountName(a)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </div>
  );
}

export function Legend({
  colourBy,
  accounts,
  colourOf,
  statusesShown,
  accountId,
  onAccount,
}: {
  colourBy: ColourBy;
  accounts: readonly AccountView[];
  colourOf: (accountId: string) => number;
  statusesShown: ReadonlySet<PostStatus>;
  accountId: string | null;
  onAccount: (id: string | null) => void;
}) {
  if (colourBy === 'status') {
    // Only the statuses on screen, so the legend reads as "what am I looking at".
    const shown = LEGEND_STATUSES.filter((s) => statusesShown.has(s));
    return (
      <ul className="cal-legend" aria-label="Colours: post status" data-testid="calendar-legend">
        {(shown.length > 0 ? shown : (['scheduled', 'published'] as PostStatus[])).map((s) => (
          <li key={s} className="cal-legend__item">
            <span className={`cal-swatch cal-tone--${STATUS_INFO[s].tone}`} aria-hidden="true" />
            {STATUS_INFO[s].label}
          </li>
        ))}
        <li className="cal-legend__keys muted" aria-hidden="true">
          <Kbd>←</Kbd> <Kbd>→</Kbd> move · <Kbd>T</Kbd> today · <Kbd>M</Kbd> <Kbd>W</Kbd> month/week
        </li>
      </ul>
    );
  }
  return (
    <ul className="cal-legend" aria-label="Colours: account (choose one to show only its posts)" data-testid="calendar-legend">
      {accounts.length === 0 ? <li className="cal-legend__item muted">No accounts connected yet.</li> : null}
      {accounts.map((a) => (
        <li key={a.id} className="cal-legend__item">
          <button
            type="button"
            className={accountId === a.id ? 'cal-legend__account is-active' : 'cal-legend__account'}
            aria-pressed={accountId === a.id}
            onClick={() => onAccount(accountId === a.id ? null : a.id)}
          >
            <span className={`cal-swatch cal-acc--${colourOf(a.id)}`} aria-hidden="true" />
            <NetworkMark platform={a.platform} size="sm" />
            {accountHandle(a) ?? accountName(a)}
          </button>
        </li>
      ))}
      <li className="cal-legend__keys muted" aria-hidden="true">
        <Kbd>←</Kbd> <Kbd>→</Kbd> move · <Kbd>T</Kbd> today · <Kbd>M</Kbd> <Kbd>W</Kbd> month/week
      </li>
    </ul>
  );
}
