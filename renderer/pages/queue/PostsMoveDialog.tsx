// "Move…" for the ticked posts: shift them all by a day or a week (each keeps its time of day on
// the workspace's clock), or put them all at one typed time.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { fromInputValue, toInputValue } from '../calendar/zoned';
import type { BulkChoice } from './posts-bulk';
import { postTime } from './posts-labels';

const SHIFTS: readonly { days: number; label: string; help: string }[] = [
  { days: -1, label: '−1 day', help: 'The same time one day earlier' },
  { days: 1, label: '+1 day', help: 'The same time one day later' },
  { days: 7, label: '+1 week', help: 'The same time one week later' },
];

export function PostsMoveDialog({
  open,
  count,
  firstAt,
  timezone,
  onClose,
  onChoose,
}: {
  open: boolean;
  count: number;
  /** The earliest time among the ticked posts, to start the typed time from. */
  firstAt: number | null;
  timezone: string;
  onClose: () => void;
  onChoose: (choice: BulkChoice) => Promise<void>;
}) {
  const inputId = useId();
  const [when, setWhen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const start = firstAt !== null && firstAt > Date.now() ? firstAt : Math.ceil((Date.now() + 3_600_000) / 3_600_000) * 3_600_000;
    setWhen(toInputValue(start, timezone));
    setError(null);
    setBusy(null);
    // The dialog opens in its own effect, which runs before this one.
    first.current?.focus();
  }, [open, firstAt, timezone]);

  const choose = async (choice: BulkChoice, label: string) => {
    if (busy) return;
    setBusy(label);
    try {
      await onChoose(choice);
    } finally {
      setBusy(null);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const at = fromInputValue(when, timezone);
    if (at === null) {
      setError('Enter a date and a time.');
      return;
    }
    if (at <= Date.now()) {
      setError(`${postTime(at, Date.now(), timezone)} has already passed; pick a time in the future.`);
      return;
    }
    setError(null);
    void choose({ kind: 'move', at }, 'move');
  };

  const noun = count === 1 ? 'post' : 'posts';
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={`Move ${count} ${noun}`}
      description={`Times are on the workspace’s clock (${timezone}). A repeating post moves with its whole series.`}
      className="qp-move"
    >
      <div className="qp-move__section" role="group" aria-labelledby={`${inputId}-shift`}>
        <p id={`${inputId}-shift`} className="qp-move__label">
          Shift each by
        </p>
        <div className="qp-move__shifts">
          {SHIFTS.map((s, i) => (
            <button
              key={s.days}
              ref={i === 1 ? first : undefined}
              type="button"
              className="button"
              title={s.help}
              disabled={busy !== null}
              onClick={() => void choose({ kind: 'shift', days: s.days }, s.label)}
            >
              {busy === s.label ? 'Moving…' : s.label}
            </button>
          ))}
        </div>
        <p className="field__hint">Each post keeps its own time of day, also across a clock change.</p>
      </div>
      <form className="qp-move__section" onSubmit={submit} noValidate>
        <label htmlFor={inputId} className="qp-move__label">
          Or move {count === 1 ? 'it' : 'all of them'} to
        </label>
        <div className="qp-move__row">
          <input
            id={inputId}
            className="input"
            type="datetime-local"
            value={when}
            onChange={(e) => setWhen(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
          />
          <button type="submit" className="button button--primary" disabled={busy !== null}>
            {busy === 'move' ? 'Moving…' : 'Move'}
          </button>
        </div>
        {error ? (
          <p id={`${inputId}-error`} className="field__error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
