// When the post goes out: now, at a time (typed in the workspace's timezone, which is named),
// in the next free preferred slot (its time shown before committing), or on a repeat with an end;
// what to do if Postdesk is closed at that time; and approval when the post needs it. Every
// reason the button is disabled is listed under it, so nothing is silently refused.
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { call, messageOf } from '../../api/client';
import { Kbd } from '../../components/Page';
import type { MissedRunPolicy } from './draft';
import { DEFAULT_REPEAT, describeRepeat, MAX_REPEAT_COUNT, type Repeat, type RepeatFreq } from './repeat';
import type { ScheduleChoice, ScheduleMode } from './schedule-choice';
import { whenText, zoneLabel } from './zoned-time';

export const MODES: { mode: ScheduleMode; label: string }[] = [
  { mode: 'now', label: 'Publish now' },
  { mode: 'at', label: 'At a time' },
  { mode: 'next_slot', label: 'Next free slot' },
  { mode: 'recurring', label: 'Repeat' },
];

export const POLICIES: { value: MissedRunPolicy; label: string }[] = [
  { value: 'publish_late', label: 'Publish it as soon as Postdesk is back' },
  { value: 'skip', label: 'Skip it' },
  { value: 'ask', label: 'Ask me first (it waits in the Queue)' },
];

const FREQS: { value: RepeatFreq; label: string }[] = [
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'Every week' },
  { value: 'monthly', label: 'Every month' },
];

/** The next free slot for the panel: undefined while looking, null when there is none. */
export function useNextSlot(workspaceId: string, wanted: boolean, refreshKey = ''): { at: number | null | undefined; error: unknown } {
  const [state, setState] = useState<{ at: number | null | undefined; error: unknown }>({ at: undefined, error: null });
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    setState({ at: undefined, error: null });
    call('posts.nextSlot', { workspaceId }).then(
      (r) => live && setState({ at: r.at, error: null }),
      (error: unknown) => live && setState({ at: null, error }),
    );
    return () => {
      live = false;
    };
  }, [workspaceId, wanted, refreshKey]);
  return state;
}

export function ScheduleFields({
  choice,
  onChange,
  policy,
  onPolicy,
  timezone,
  now,
  nextSlot,
  at,
  disabled,
}: {
  choice: ScheduleChoice;
  onChange: (c: ScheduleChoice) => void;
  policy: MissedRunPolicy;
  onPolicy: (p: MissedRunPolicy) => void;
  timezone: string;
  now: number;
  nextSlot: { at: number | null | undefined; error: unknown };
  /** The resolved first time, for the repeat's description. */
  at: number | null;
  disabled: boolean;
}) {
  const id = useId();
  const zone = zoneLabel(timezone, at ?? now);
  const setRepeat = (repeat: Repeat) => onChange({ ...choice, repeat });
  const timed = choice.mode === 'at' || choice.mode === 'recurring';

  return (
    <div className="cmp-when">
      <div className="segmented segmented--labels cmp-when__modes" role="radiogroup" aria-label="When">
        {MODES.map((m) => (
          <label key={m.mode} className={`segmented__option${choice.mode === m.mode ? ' is-checked' : ''}`}>
            <input type="radio" name={`${id}-mode`} value={m.mode} checked={choice.mode === m.mode} disabled={disabled} onChange={() => onChange({ ...choice, mode: m.mode })} />
            {m.label}
          </label>
        ))}
      </div>

      {choice.mode === 'now' ? <p className="cmp-when__note">It goes out as soon as you press Publish, on every account at once.</p> : null}

      {timed ? (
        <div className="cmp-when__row">
          <div className="field">
            <label className="field__label" htmlFor={`${id}-date`}>
              {choice.mode === 'recurring' ? 'First post on' : 'Date'}
            </label>
            <input id={`${id}-date`} className="input" type="date" value={choice.date} disabled={disabled} onChange={(e) => onChange({ ...choice, date: e.target.value })} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor={`${id}-time`}>
              Time
            </label>
            <input id={`${id}-time`} className="input" type="time" value={choice.time} disabled={disabled} onChange={(e) => onChange({ ...choice, time: e.target.value })} />
          </div>
          <p className="cmp-when__zone" data-testid="schedule-zone">
            {zone}
            <span className="visually-hidden"> time</span>
          </p>
        </div>
      ) : null}

      {choice.mode === 'next_slot' ? (
        <p className="cmp-when__note" aria-live="polite" data-testid="next-slot">
          {nextSlot.at === undefined ? (
            'Looking for the next free slot…'
          ) : nextSlot.at === null ? (
            <>
              {nextSlot.error ? `Could not look up the free slots: ${messageOf(nextSlot.error)}. ` : 'No preferred posting times are set, so there is no free slot. '}
              <Link className="link" to="/settings">
                Set your posting times
              </Link>
            </>
          ) : (
            <>
              <strong>{whenText(nextSlot.at, timezone, now)}</strong> · {zone}. The first of your posting times with no other post.
            </>
          )}
        </p>
      ) : null}

      {choice.mode === 'recurring' ? (
        <div className="cmp-repeat">
          <div className="field">
            <label className="field__label" htmlFor={`${id}-freq`}>
              Repeats
            </label>
            <select id={`${id}-freq`} className="input" value={choice.repeat.freq} disabled={disabled} onChange={(e) => setRepeat({ ...choice.repeat, freq: e.target.value as RepeatFreq })}>
              {FREQS.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field cmp-repeat__end">
            <legend className="field__label">Ends</legend>
            <label className="cmp-radio">
              <input
                type="radio"
                name={`${id}-end`}
                checked={choice.repeat.end.kind === 'count'}
                disabled={disabled}
                onChange={() => setRepeat({ ...choice.repeat, end: { kind: 'count', count: DEFAULT_REPEAT.end.kind === 'count' ? DEFAULT_REPEAT.end.count : 4 } })}
              />
              After
              <input
                className="input cmp-repeat__count"
                type="number"
                min={2}
                max={MAX_REPEAT_COUNT}
                aria-label="Number of posts"
                value={choice.repeat.end.kind === 'count' ? choice.repeat.end.count : ''}
                disabled={disabled || choice.repeat.end.kind !== 'count'}
                onChange={(e) => setRepeat({ ...choice.repeat, end: { kind: 'count', count: Number.parseInt(e.target.value, 10) || 0 } })}
              />
              posts
            </label>
            <label className="cmp-radio">
              <input type="radio" name={`${id}-end`} checked={choice.repeat.end.kind === 'until'} disabled={disabled} onChange={() => setRepeat({ ...choice.repeat, end: { kind: 'until', date: choice.date } })} />
              On
              <input
                className="input cmp-repeat__until"
                type="date"
                aria-label="Last date"
                value={choice.repeat.end.kind === 'until' ? choice.repeat.end.date : ''}
                disabled={disabled || choice.repeat.end.kind !== 'until'}
                onChange={(e) => setRepeat({ ...choice.repeat, end: { kind: 'until', date: e.target.value } })}
              />
            </label>
          </fieldset>
          {at !== null ? <p className="cmp-when__note">{describeRepeat(choice.repeat, at, timezone)}.</p> : null}
        </div>
      ) : null}

      {choice.mode !== 'now' ? (
        <div className="field">
          <label className="field__label" htmlFor={`${id}-policy`}>
            If Postdesk is closed at that time
          </label>
          <select id={`${id}-policy`} className="input" value={policy} disabled={disabled} onChange={(e) => onPolicy(e.target.value as MissedRunPolicy)}>
            {POLICIES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
    </div>
  );
}

export function ShortcutHint({ label }: { label: string }) {
  const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <span className="cmp-shortcut" aria-hidden="true">
      <Kbd>{mac ? '⌘' : 'Ctrl'}</Kbd>
      <Kbd>Enter</Kbd> {label}
    </span>
  );
}
