// The state tabs (with counts) and the scope switch above the table.
import { useRef, type KeyboardEvent } from 'react';
import { QUEUE_TABS, TAB_INFO, type QueueTab, type Scope } from './job-states';

export const tabId = (t: QueueTab) => `queue-tab-${t}`;
export const PANEL_ID = 'queue-panel';

export function QueueTabs({ tab, counts, onTab }: { tab: QueueTab; counts: Record<QueueTab, number> | null; onTab: (t: QueueTab) => void }) {
  const list = useRef<HTMLDivElement>(null);
  // Arrow keys move between tabs and select (automatic activation: a tab switch is cheap).
  const onKeyDown = (e: KeyboardEvent) => {
    const i = QUEUE_TABS.indexOf(tab);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % QUEUE_TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + QUEUE_TABS.length) % QUEUE_TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = QUEUE_TABS.length - 1;
    if (next === null) return;
    e.preventDefault();
    const t = QUEUE_TABS[next] as QueueTab;
    onTab(t);
    list.current?.querySelector<HTMLElement>(`#${tabId(t)}`)?.focus();
  };
  return (
    <div className="qtabs" role="tablist" aria-label="Jobs by state" ref={list} onKeyDown={onKeyDown}>
      {QUEUE_TABS.map((t) => {
        const selected = t === tab;
        const n = counts?.[t];
        return (
          <button
            key={t}
            type="button"
            role="tab"
            id={tabId(t)}
            className={`qtab${t === 'failed' && n ? ' qtab--alert' : ''}${t === 'needs_you' && n ? ' qtab--attention' : ''}`}
            aria-selected={selected}
            aria-controls={PANEL_ID}
            tabIndex={selected ? 0 : -1}
            onClick={() => onTab(t)}
          >
            {TAB_INFO[t].label}
            {n !== undefined ? <span className="qtab__count">{n.toLocaleString()}</span> : null}
          </button>
        );
      })}
    </div>
  );
}

export function ScopeSwitch({ scope, onScope }: { scope: Scope; onScope: (s: Scope) => void }) {
  const choices: { value: Scope; label: string }[] = [
    { value: 'workspace', label: 'This workspace' },
    { value: 'all', label: 'All workspaces' },
  ];
  return (
    <div role="radiogroup" aria-label="Show jobs from" className="segmented segmented--labels qscope">
      {choices.map((c) => (
        <label key={c.value} className={scope === c.value ? 'segmented__option is-checked' : 'segmented__option'}>
          <input type="radio" name="queue-scope" value={c.value} checked={scope === c.value} onChange={() => onScope(c.value)} />
          <span>{c.label}</span>
        </label>
      ))}
    </div>
  );
}
