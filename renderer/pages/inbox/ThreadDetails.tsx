// The thread's side details: priority, tags, AI mode, follow-ups ("if no reply by …"), and what
// triage decided and why (and a button to ask the AI). Each change goes to the engine at once; a
// refused one says why.
import { useEffect, useState } from 'react';
import { call, messageOf } from '../../api/client';
import { Field } from '../../components/Field';
import { TagInput } from '../../components/TagInput';
import { toastError } from '../../stores/ui';
import { fromInputValue, toInputValue } from '../calendar/zoned';
import { PRIORITIES } from './inbox-filters';
import type { Priority, Thread } from './inbox-types';
import { TRIAGE_INFO } from './labels';
import { oneLine } from './safe-text';
import { clockAt, exactAt } from './inbox-time';
import { TriageWithAi } from './TriageWithAi';

const HOUR = 3_600_000;

function splitTags(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((t) => t.trim().replace(/^#/, '').slice(0, 60))
    .filter(Boolean);
}

function addTags(existing: readonly string[], added: readonly string[]): string[] {
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  const out = [...existing];
  for (const t of added) {
    if (!seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out.slice(0, 30);
}

export function ThreadDetails({ thread, now, timezone, onChanged }: { thread: Thread; now: number; timezone: string; onChanged(): void }) {
  const c = thread.conversation;
  const [tags, setTags] = useState<string[]>(c.tags);
  useEffect(() => setTags(c.tags), [c.id, c.tags]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      toastError(`Could not ${what}`, err);
    } finally {
      onChanged();
    }
  };

  const decision = thread.decisions[0];
  const openEscalations = thread.escalations.filter((e) => e.resolvedAt === null);

  return (
    <div className="ib-details">
      <div className="ib-details__row">
        <label className="ib-details__label" htmlFor="ib-priority">
          Priority
        </label>
        <select
          id="ib-priority"
          className="input ib-select"
          value={c.priority}
          onChange={(e) => {
            const priority = e.target.value as Priority;
            void act('change the priority', () => call('inbox.setPriority', { conversationIds: [c.id], priority }));
          }}
        >
          {PRIORITIES.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <Field label="Tags">
        {(control) => (
          <TagInput
            control={control}
            values={tags}
            split={splitTags}
            add={addTags}
            itemLabel="tag"
            placeholder="Add a tag"
            onChange={(next) => {
              setTags(next);
              void act('change the tags', () => call('inbox.setTags', { conversationId: c.id, tags: next }));
            }}
          />
        )}
      </Field>
      <label className="ib-switch ib-details__row" title="AI triage and drafts for this thread. Nothing is sent without you unless auto-reply is on for the account.">
        <input
          type="checkbox"
          checked={c.aiMode === 'ON'}
          onChange={(e) => void act('change the AI mode', () => call('inbox.setAiMode', { conversationId: c.id, aiMode: e.target.checked ? 'ON' : 'OFF' }))}
        />
        <span>AI triage and drafts for this thread</span>
      </label>
      {decision ? (
        <p className="ib-details__triage">
          <span className={`ib-chip ib-tone--${TRIAGE_INFO[decision.decision].tone}`}>{TRIAGE_INFO[decision.decision].label}</span>{' '}
          <span className="muted">
            {decision.matchedRule ? <bdi>{oneLine(decision.matchedRule, 120)}</bdi> : decision.model ? `AI (${oneLine(decision.model, 60)})` : 'Triage'}
            {decision.confidence !== null ? ` · ${Math.round(decision.confidence * 100)}% sure` : ''}
            {decision.reason ? (
              <>
                {' · '}
                <bdi>{oneLine(decision.reason, 200)}</bdi>
              </>
            ) : null}
          </span>
        </p>
      ) : null}
      <TriageWithAi conversation={c} onDecided={onChanged} />
      {openEscalations.length > 0 ? (
        <div className="ib-details__escalations" role="note">
          <p className="ib-details__label">Escalated</p>
          <ul>
            {openEscalations.map((e) => (
              <li key={e.id}>
                <bdi>{oneLine(e.message, 200)}</bdi> <span className="muted">· {clockAt(e.createdAt, now, timezone)}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Followups thread={thread} now={now} timezone={timezone} onChanged={onChanged} />
    </div>
  );
}

function Followups({ thread, now, timezone, onChanged }: { thread: Thread; now: number; timezone: string; onChanged(): void }) {
  const c = thread.conversation;
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState('');
  const [message, setMessage] = useState('');
  const [cancelOnReply, setCancelOnReply] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = thread.followups.filter((f) => f.status === 'pending');
  const done = thread.followups.filter((f) => f.status !== 'pending').slice(0, 3);

  const start = () => {
    setOpen(true);
    setAt(toInputValue(Math.max(now, Date.now()) + 48 * HOUR, timezone));
    setError(null);
  };

  const submit = async () => {
    const when = fromInputValue(at, timezone);
    if (when === null) return setError('Choose a date and time.');
    if (when <= Date.now()) return setError('Choose a time in the future.');
    if (message.trim() === '') return setError('Write the message to send.');
    setBusy(true);
    setError(null);
    try {
      await call('inbox.scheduleFollowup', { conversationId: c.id, message, at: when, cancelOnReply });
      setOpen(false);
      setMessage('');
      onChanged();
    } catch (err) {
      // What was written stays in the form.
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="ib-follow" aria-labelledby="ib-follow-title">
      <h3 id="ib-follow-title" className="ib-details__label">
        Follow-up
      </h3>
      {pending.map((f) => (
        <p key={f.id} className="ib-follow__item" data-testid="followup">
          <span>
            If no reply by <time title={exactAt(f.scheduledFor, timezone)}>{clockAt(f.scheduledFor, now, timezone)}</time>, send “<bdi>{oneLine(f.message, 80)}</bdi>”
            {f.cancelOnReply ? '' : ' (even if they reply)'}
          </span>{' '}
          <button
            type="button"
            className="link-button"
            onClick={() =>
              void call('inbox.cancelFollowup', { followupId: f.id }).then(onChanged, (err: unknown) => {
                toastError('Could not cancel the follow-up', err);
                onChanged();
              })
            }
          >
            Cancel
          </button>
        </p>
      ))}
      {done.map((f) => (
        <p key={f.id} className="ib-follow__item muted">
          {f.status === 'sent' ? 'Sent' : f.status === 'cancelled' ? 'Cancelled' : 'Failed'}: “<bdi>{oneLine(f.message, 60)}</bdi>”{f.errorMessage ? ` — ${oneLine(f.errorMessage, 160)}` : ''}
        </p>
      ))}
      {open ? (
        <form
          className="ib-follow__form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field label={`If no reply by (${timezone})`}>{(control) => <input {...control} type="datetime-local" className="input" value={at} onChange={(e) => setAt(e.target.value)} />}</Field>
          <Field label="Send">{(control) => <textarea {...control} className="textarea" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} />}</Field>
          <label className="ib-switch">
            <input type="checkbox" checked={cancelOnReply} onChange={(e) => setCancelOnReply(e.target.checked)} />
            <span>Cancel it if they reply first</span>
          </label>
          {error ? (
            <p className="inline-error" role="alert">
              {error}
            </p>
          ) : null}
          <div className="ib-follow__actions">
            <button type="button" className="button button--small" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--small button--primary" disabled={busy}>
              {busy ? 'Scheduling…' : 'Schedule follow-up'}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="link-button" onClick={start}>
          Follow up if they don’t reply…
        </button>
      )}
    </section>
  );
}
