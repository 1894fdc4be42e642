// A post opened from the calendar: its full text, when it goes out, every account it goes to with
// that target's status and a link to the published post, and what can be done with it from here —
// move it to a typed time, take it off the schedule, or cancel it.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiCallError, call, hintFor, messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { toastSuccess } from '../../stores/ui';
import { NetworkMark } from '../accounts/AccountAvatar';
import { platformName } from '../accounts/account-labels';
import { fullTime, zoneAbbreviation } from './labels';
import { canCancel, canReschedule, canUnschedule, safeLink, STATUS_INFO, TARGET_STATUS_INFO, type PostView } from './post-info';
import { fromInputValue, toInputValue } from './zoned';

/** Advice that fits a post (the generic advice for a conflict is about names). */
export function postErrorHint(err: unknown): string {
  const code = err instanceof ApiCallError ? err.code : null;
  if (code === 'conflict') return 'The post changed in the meantime; the calendar now shows where it is.';
  if (code === 'not_found') return 'It may have been deleted in another window; the calendar has been refreshed.';
  if (code === 'invalid_input') return 'Pick another time and try again.';
  return hintFor(err);
}

function ActionError({ error }: { error: unknown }) {
  return (
    <div className="form__error" role="alert">
      <p>{messageOf(error)}</p>
      <p className="cal-panel__hint">{postErrorHint(error)}</p>
    </div>
  );
}

export function PostPanel({
  post,
  timezone,
  now,
  onClose,
  onReschedule,
  onUpdated,
}: {
  post: PostView;
  timezone: string;
  now: number;
  onClose: () => void;
  /** Move the post (the calendar shows it at once and puts it back if refused). */
  onReschedule: (post: PostView, at: number) => Promise<void>;
  onUpdated: (post: PostView) => void;
}) {
  const titleId = useId();
  const inputId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [when, setWhen] = useState(() => (post.publishAt !== null ? toInputValue(post.publishAt, timezone) : ''));
  const [busy, setBusy] = useState<null | 'reschedule' | 'unschedule' | 'cancel'>(null);
  const [error, setError] = useState<{ action: string; error: unknown } | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const status = STATUS_INFO[post.status];

  // A different post (or the same one moved elsewhere): start from what it is now.
  useEffect(() => {
    setWhen(post.publishAt !== null ? toInputValue(post.publishAt, timezone) : '');
    setError(null);
    setConfirmCancel(false);
  }, [post.id, post.publishAt, timezone]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [post.id]);

  const run = async (action: 'unschedule' | 'cancel') => {
    setBusy(action);
    setError(null);
    try {
      const updated = action === 'unschedule' ? await call('posts.unschedule', { postId: post.id }) : await call('posts.cancel', { postId: post.id });
      onUpdated(updated);
      setConfirmCancel(false);
      toastSuccess(action === 'unschedule' ? 'Taken off the schedule' : 'Post cancelled', action === 'unschedule' ? 'It is a draft again; nothing was lost.' : undefined);
    } catch (err) {
      setError({ action, error: err });
    } finally {
      setBusy(null);
    }
  };

  const reschedule = async (e: FormEvent) => {
    e.preventDefault();
    const at = fromInputValue(when, timezone);
    if (at === null) {
      setError({ action: 'reschedule', error: new Error('Enter a date and a time.') });
      return;
    }
    if (at <= Date.now()) {
      setError({ action: 'reschedule', error: new Error(`${fullTime(at, timezone)} has already passed; pick a time in the future.`) });
      return;
    }
    setBusy('reschedule');
    setError(null);
    try {
      await onReschedule(post, at);
    } catch (err) {
      setError({ action: 'reschedule', error: err });
    } finally {
      setBusy(null);
    }
  };

  const mediaCount = post.media.length;
  return (
    <aside className="cal-panel" aria-labelledby={titleId} data-testid="calendar-post-panel">
      <header className="cal-panel__head">
        <span className={`cal-badge cal-tone--${status.tone}`}>{status.label}</span>
        <h2 id={titleId} ref={heading} tabIndex={-1} className="cal-panel__title">
          {post.publishAt !== null ? fullTime(post.publishAt, timezone) : 'No time set'}
        </h2>
        <button type="button" className="icon-button cal-panel__close" aria-label="Close the post" onClick={onClose}>
          <Icon name="x" />
        </button>
      </header>
      {post.publishAt !== null ? (
        <p className="cal-panel__zone muted">
          {timezone} ({zoneAbbreviation(post.publishAt, timezone)}){post.publishAt < now && post.status === 'scheduled' ? ' · due now' : ''}
        </p>
      ) : null}
      {post.rrule ? <p className="cal-panel__repeat">Repeats ({post.rrule}). Moving it moves the whole series.</p> : null}
      {post.rejectionNote ? (
        <p className="cal-panel__note">
          <strong>Rejected:</strong> {post.rejectionNote}
        </p>
      ) : null}

      <section className="cal-panel__section" aria-label="Text">
        <p className="cal-panel__text">{post.content || <span className="muted">(no text)</span>}</p>
        {post.hashtags.length > 0 ? <p className="cal-panel__tags">{post.hashtags.join(' ')}</p> : null}
        {mediaCount > 0 ? <p className="muted">{mediaCount === 1 ? '1 attachment' : `${mediaCount} attachments`}</p> : null}
      </section>

      <section className="cal-panel__section" aria-labelledby={`${titleId}-targets`}>
        <h3 id={`${titleId}-targets`} className="cal-panel__subhead">
          {post.targets.length === 1 ? 'Goes to 1 account' : `Goes to ${post.targets.length} accounts`}
        </h3>
        {post.targets.length === 0 ? <p className="muted">No accounts chosen yet.</p> : null}
        <ul className="cal-targets">
          {post.targets.map((t) => {
            const ts = TARGET_STATUS_INFO[t.status];
            const link = safeLink(t.platformUrl);
            return (
              <li key={t.id} className="cal-target">
                <NetworkMark platform={t.platform} size="sm" />
                <span className="cal-target__name">
                  {t.accountName}
                  <span className="muted"> · {platformName(t.platform)}</span>
                </span>
                <span className={`cal-badge cal-tone--${ts.tone}`} data-testid="target-status">
                  {ts.label}
                </span>
                {link ? (
                  <a className="link cal-target__link" href={link} target="_blank" rel="noopener noreferrer">
                    View on {platformName(t.platform)} <Icon name="external" size={13} />
                  </a>
                ) : null}
                {t.errorMessage ? <p className="cal-target__error">{t.errorMessage}</p> : null}
                {t.content !== null ? (
                  <details className="cal-target__variant">
                    <summary>Its own text</summary>
                    <p className="cal-panel__text">{t.text}</p>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>

      {canReschedule(post) || canUnschedule(post) || canCancel(post) ? (
        <section className="cal-panel__section cal-panel__actions" aria-label="Actions">
          {canReschedule(post) ? (
            <form className="cal-reschedule" onSubmit={(e) => void reschedule(e)}>
              <label htmlFor={inputId} className="field__label">
                Reschedule to
              </label>
              <div className="cal-reschedule__row">
                <input
                  id={inputId}
                  className="input"
                  type="datetime-local"
                  value={when}
                  onChange={(e) => setWhen(e.target.value)}
                  aria-describedby={`${inputId}-hint`}
                  aria-invalid={error?.action === 'reschedule' ? true : undefined}
                  required
                />
                <button type="submit" className="button" disabled={busy !== null}>
                  {busy === 'reschedule' ? 'Moving…' : 'Reschedule'}
                </button>
              </div>
              <p id={`${inputId}-hint`} className="field__hint">
                In the workspace’s time, {timezone}.
              </p>
            </form>
          ) : null}
          {error ? <ActionError error={error.error} /> : null}
          <div className="cal-panel__buttons">
            {canUnschedule(post) ? (
              <button type="button" className="button button--small" disabled={busy !== null} onClick={() => void run('unschedule')}>
                {busy === 'unschedule' ? 'Unscheduling…' : 'Unschedule'}
              </button>
            ) : null}
            {canCancel(post) && !confirmCancel ? (
              <button type="button" className="button button--small button--danger" disabled={busy !== null} onClick={() => setConfirmCancel(true)}>
                Cancel post…
              </button>
            ) : null}
          </div>
          {confirmCancel ? (
            <div className="cal-confirm" role="group" aria-label="Cancel this post?">
              <p>Cancel this post? Accounts it has not gone out to yet are cancelled. To publish it later, schedule it again from Compose.</p>
              <div className="cal-panel__buttons">
                <button type="button" className="button button--small" autoFocus onClick={() => setConfirmCancel(false)}>
                  Keep it
                </button>
                <button type="button" className="button button--small button--danger" disabled={busy !== null} onClick={() => void run('cancel')}>
                  {busy === 'cancel' ? 'Cancelling…' : 'Cancel post'}
                </button>
              </div>
            </div>
          ) : null}
        </section>
      ) : null}
    </aside>
  );
}
