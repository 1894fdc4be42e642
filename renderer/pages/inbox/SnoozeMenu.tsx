// Snooze: in an hour, tomorrow 9:00, next Monday 9:00 — on the workspace's clock — or a chosen
// time. A menu button (the `s` key opens it too): arrows move, Enter picks, Esc closes and gives
// focus back to the button.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { fromInputValue, toInputValue } from '../calendar/zoned';
import { exactAt, snoozeChoices, type SnoozeChoice } from './inbox-time';

export function SnoozeMenu({
  open,
  onOpenChange,
  snoozedUntil,
  now,
  timezone,
  onSnooze,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  snoozedUntil: number | null;
  now: number;
  timezone: string;
  onSnooze(until: number | null): void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [custom, setCustom] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const choices = snoozeChoices(now, timezone);
  const snoozed = snoozedUntil !== null && snoozedUntil > now;

  useEffect(() => {
    if (!open) {
      setCustom(false);
      setError(null);
      return;
    }
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) onOpenChange(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open, onOpenChange]);

  const close = () => {
    onOpenChange(false);
    button.current?.focus();
  };

  const pick = (until: number | null) => {
    onSnooze(until);
    close();
  };
  /** "1 hour" means an hour from the click, not from when the page's clock last ticked. */
  const pickChoice = (id: SnoozeChoice['id']) => {
    const fresh = snoozeChoices(Date.now(), timezone).find((c) => c.id === id);
    if (fresh) pick(fresh.until);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };

  const submitCustom = () => {
    const at = fromInputValue(value, timezone);
    if (at === null) setError('Choose a date and time.');
    else if (at <= Date.now()) setError('Choose a time in the future.');
    else pick(at);
  };

  return (
    <div className="ib-menu-wrap">
      <button
        ref={button}
        type="button"
        className={snoozed ? 'button button--small is-active' : 'button button--small'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-keyshortcuts="s"
        title={snoozed ? `Snoozed until ${exactAt(snoozedUntil, timezone)}` : 'Snooze (S)'}
        onClick={() => onOpenChange(!open)}
      >
        {snoozed ? 'Snoozed' : 'Snooze'}
      </button>
      {open ? (
        <div ref={menu} className="ib-menu" role="menu" aria-label="Snooze until" data-inbox-menu="" onKeyDown={onKeyDown}>
          {choices.map((ch) => (
            <button key={ch.id} type="button" role="menuitem" className="ib-menu__item" onClick={() => pickChoice(ch.id)} title={exactAt(ch.until, timezone)}>
              {ch.label}
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            className="ib-menu__item"
            aria-expanded={custom}
            onClick={() => {
              setCustom(true);
              setValue(toInputValue(Math.max(now, Date.now()) + 3 * 3_600_000, timezone));
            }}
          >
            Custom…
          </button>
          {custom ? (
            <form
              className="ib-menu__custom"
              onSubmit={(e) => {
                e.preventDefault();
                submitCustom();
              }}
            >
              <label className="visually-hidden" htmlFor="ib-snooze-at">
                Snooze until ({timezone})
              </label>
              <input id="ib-snooze-at" type="datetime-local" className="input" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
              <button type="submit" className="button button--small button--primary">
                Snooze
              </button>
              {error ? (
                <p className="inline-error" role="alert">
                  {error}
                </p>
              ) : null}
            </form>
          ) : null}
          {snoozed ? (
            <button type="button" role="menuitem" className="ib-menu__item" onClick={() => pick(null)}>
              Wake it now
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
