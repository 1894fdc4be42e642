// The right-hand "Publish" card: approval when the post needs it, when it goes out, and the one
// button that does it (Ctrl/Cmd+Enter) with every reason it is disabled listed under it. Once the
// post is scheduled the card says when, on which accounts, and offers Unschedule to edit; once it
// ran, each account's result with a link to the published post or the error in words.
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { accountHandle, accountName, platformName, type AccountView, type PlatformInfo } from '../accounts/account-labels';
import { NetworkMark } from '../accounts/AccountAvatar';
import { ErrorNote } from '../accounts/ErrorNote';
import type { MissedRunPolicy, PostActions, PostView, TargetView } from './draft';
import { STATUS_LABEL, STATUS_TONE } from './draft';
import { describeRepeat, fromRrule } from './repeat';
import type { ScheduleChoice, ScheduleMode } from './schedule-choice';
import { ScheduleFields, ShortcutHint } from './SchedulePanel';
import { whenText, zoneLabel } from './zoned-time';

const TARGET_STATUS: Record<TargetView['status'], { label: string; tone: string }> = {
  pending: { label: 'Not scheduled', tone: 'neutral' },
  scheduled: { label: 'Scheduled', tone: 'accent' },
  publishing: { label: 'Publishing', tone: 'accent' },
  published: { label: 'Published', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
};

export function StatusChip({ status }: { status: PostView['status'] }) {
  return (
    <span className={`cmp-status cmp-status--${STATUS_TONE[status]}`} data-testid="post-status">
      {STATUS_LABEL[status]}
    </span>
  );
}

function TargetResults({ post, accounts, platforms, timezone, now }: { post: PostView; accounts: readonly AccountView[]; platforms: readonly PlatformInfo[] | null; timezone: string; now: number }) {
  return (
    <ul className="cmp-results" aria-label="Per account">
      {post.targets.map((t) => {
        const a = accounts.find((x) => x.id === t.accountId);
        const who = a ? (accountHandle(a) ?? accountName(a)) : t.accountName;
        const s = TARGET_STATUS[t.status];
        const network = platformName(t.platform, platforms);
        return (
          <li key={t.id} className="cmp-results__item" data-target-status={t.status}>
            <NetworkMark platform={t.platform} size="sm" />
            <div className="cmp-results__body">
              <p className="cmp-results__who">
                {who}
                <span className={`cmp-status cmp-status--${s.tone}`}>{s.label}</span>
              </p>
              {t.status === 'published' && t.publishedAt ? <p className="cmp-results__meta">{whenText(t.publishedAt, timezone, now)}</p> : null}
              {t.nativeScheduling && t.status === 'scheduled' ? <p className="cmp-results__meta">Held by {network}: it goes out even if this computer is off.</p> : null}
              {t.platformUrl ? (
                <a className="link" href={t.platformUrl} target="_blank" rel="noopener noreferrer">
                  Open on {network}
                  <Icon name="external" size={12} />
                </a>
              ) : null}
              {t.errorMessage && t.status !== 'published' ? <p className="cmp-results__error">{t.errorMessage}</p> : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

function RejectDialog({ open, onClose, onReject }: { open: boolean; onClose: () => void; onReject: (note: string) => Promise<void> }) {
  const id = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!open) return;
    setNote('');
    setError(null);
    requestAnimationFrame(() => field.current?.focus());
  }, [open]);
  return (
    <Dialog open={open} onClose={onClose} title="Ask for changes" description="The author sees this note on the post; it goes back to them as “changes requested”.">
      <form
        className="form"
        onSubmit={async (e) => {
          e.preventDefault();
          if (note.trim() === '' || busy) return;
          setBusy(true);
          setError(null);
          try {
            await onReject(note.trim());
          } catch (err) {
            setError(err);
          } finally {
            setBusy(false);
          }
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={id}>
            What should change
          </label>
          <textarea ref={field} id={id} className="input textarea" rows={4} value={note} onChange={(e) => setNote(e.target.value)} placeholder="e.g. Mention the Saturday opening hours, and use the photo of the shop front." />
        </div>
        {error ? <ErrorNote error={error} title="Could not send it back" /> : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--danger" disabled={busy || note.trim() === ''}>
            {busy ? 'Sending…' : 'Request changes'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export interface PublishPanelProps {
  post: PostView | null;
  actions: PostActions;
  requiresApproval: boolean;
  accounts: readonly AccountView[];
  platforms: readonly PlatformInfo[] | null;
  timezone: string;
  now: number;
  choice: ScheduleChoice;
  onChoice: (c: ScheduleChoice) => void;
  policy: MissedRunPolicy;
  onPolicy: (p: MissedRunPolicy) => void;
  nextSlot: { at: number | null | undefined; error: unknown };
  /** The resolved time of the choice (first post of a series). */
  at: number | null;
  /** Why the primary button cannot run, in words; empty when it can. */
  blockers: readonly string[];
  busy: string | null;
  error: unknown;
  justScheduled: boolean;
  onPrimary: () => void;
  onToggleApproval: (on: boolean) => void;
  onApprove: () => void;
  onReject: (note: string) => Promise<void>;
  onWithdraw: () => void;
  onUnschedule: () => void;
  onNew: () => void;
}

export function primaryLabel(mode: ScheduleMode, needsSubmit: boolean): string {
  if (needsSubmit) return 'Submit for approval';
  return mode === 'now' ? 'Publish now' : mode === 'recurring' ? 'Schedule series' : 'Schedule';
}

export function PublishPanel(p: PublishPanelProps) {
  const [rejecting, setRejecting] = useState(false);
  const post = p.post;
  const status = post?.status ?? 'draft';
  const scheduledLike = status === 'scheduled' || status === 'publishing';
  const ran = status === 'published' || status === 'partially_published' || status === 'failed';
  const submitting = p.actions.canSubmit && p.requiresApproval;
  const zone = zoneLabel(p.timezone, post?.publishAt ?? p.now);
  const repeat = post?.rrule ? fromRrule(post.rrule, p.timezone) : null;
  const showWhen = !scheduledLike && status !== 'published' && status !== 'pending_approval' && !submitting;

  return (
    <section className="cmp-publish card" aria-labelledby="cmp-publish-title">
      <div className="cmp-publish__head">
        <h2 id="cmp-publish-title">Publish</h2>
        {post ? <StatusChip status={status} /> : null}
      </div>

      {scheduledLike && post ? (
        <div className={`cmp-scheduled${p.justScheduled ? ' is-fresh' : ''}`} data-testid="scheduled-summary">
          <p className="cmp-scheduled__title">
            <Icon name={p.justScheduled ? 'check' : 'clock'} size={16} />
            {status === 'publishing' ? 'Publishing now…' : post.publishAt !== null && post.publishAt <= p.now + 5_000 ? 'Going out now' : `Scheduled for ${whenText(post.publishAt ?? p.now, p.timezone, p.now)}`}
          </p>
          {status === 'scheduled' && post.publishAt !== null && post.publishAt > p.now + 5_000 ? <p className="cmp-scheduled__zone">{zone}</p> : null}
          {post.rrule ? <p className="cmp-scheduled__repeat">{repeat && post.publishAt !== null ? describeRepeat(repeat, post.publishAt, p.timezone) : `Repeats (${post.rrule})`}</p> : null}
          <TargetResults post={post} accounts={p.accounts} platforms={p.platforms} timezone={p.timezone} now={p.now} />
          <div className="cmp-scheduled__links">
            <Link className="link" to="/queue">
              Watch it in the Queue
            </Link>
            <Link className="link" to="/calendar">
              See it on the Calendar
            </Link>
          </div>
          <div className="cmp-publish__actions">
            {status === 'scheduled' ? (
              <button type="button" className="button" disabled={p.busy !== null} onClick={p.onUnschedule}>
                {p.busy === 'unschedule' ? 'Unscheduling…' : 'Unschedule to edit'}
              </button>
            ) : null}
            <button type="button" className="button button--primary" onClick={p.onNew}>
              <Icon name="plus" size={14} />
              Write another post
            </button>
          </div>
        </div>
      ) : null}

      {ran && post ? (
        <div className="cmp-ran">
          <p className="cmp-scheduled__title">
            <Icon name={status === 'published' ? 'check' : 'alert'} size={16} />
            {status === 'published'
              ? `Published${post.publishedAt ? ` ${whenText(post.publishedAt, p.timezone, p.now)}` : ''}`
              : status === 'partially_published'
                ? `Published on ${post.targets.filter((t) => t.status === 'published').length} of ${post.targets.length} accounts`
                : 'It did not go out'}
          </p>
          <TargetResults post={post} accounts={p.accounts} platforms={p.platforms} timezone={p.timezone} now={p.now} />
          {status === 'published' ? (
            <div className="cmp-publish__actions">
              <button type="button" className="button button--primary" onClick={p.onNew}>
                <Icon name="plus" size={14} />
                Write another post
              </button>
            </div>
          ) : (
            <p className="field__hint">Fix what went wrong and publish again; accounts that already have it are skipped.</p>
          )}
        </div>
      ) : null}

      {status === 'pending_approval' ? (
        <div className="cmp-approval" data-testid="approval-pending">
          <p className="cmp-approval__title">
            <Icon name="clock" size={15} />
            Waiting for approval
          </p>
          <p className="field__hint">Once approved it can be scheduled. Editing the text sends it back to draft.</p>
          <div className="cmp-publish__actions">
            <button type="button" className="button button--primary" disabled={p.busy !== null} onClick={p.onApprove}>
              <Icon name="check" size={14} />
              {p.busy === 'approve' ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" className="button button--danger" disabled={p.busy !== null} onClick={() => setRejecting(true)}>
              Request changes…
            </button>
            <button type="button" className="link-button" disabled={p.busy !== null} onClick={p.onWithdraw}>
              Withdraw
            </button>
          </div>
        </div>
      ) : null}

      {status === 'rejected' && post?.rejectionNote ? (
        <div className="cmp-approval cmp-approval--rejected" role="note">
          <p className="cmp-approval__title">
            <Icon name="alert" size={15} />
            Changes requested
          </p>
          <p className="cmp-approval__note">{post.rejectionNote}</p>
        </div>
      ) : null}

      {status === 'approved' ? (
        <p className="cmp-approval__ok">
          <Icon name="check" size={14} />
          Approved{post?.approvedAt ? ` ${whenText(post.approvedAt, p.timezone, p.now)}` : ''}. Editing it sends it back for approval.
        </p>
      ) : null}

      {showWhen ? (
        <ScheduleFields
          choice={p.choice}
          onChange={p.onChoice}
          policy={p.policy}
          onPolicy={p.onPolicy}
          timezone={p.timezone}
          now={p.now}
          nextSlot={p.nextSlot}
          at={p.at}
          disabled={p.busy !== null}
        />
      ) : null}

      {p.actions.editable && status !== 'pending_approval' && status !== 'approved' ? (
        <label className="cmp-check cmp-approval__toggle">
          <input type="checkbox" checked={p.requiresApproval} disabled={p.busy !== null} onChange={(e) => p.onToggleApproval(e.target.checked)} />
          <span>
            <span className="cmp-check__title">Needs approval</span>
            <span className="cmp-check__hint">Someone approves it before it can be scheduled; only approved posts are published.</span>
          </span>
        </label>
      ) : null}

      {p.error ? <ErrorNote error={p.error} title={submitting ? 'Could not submit it for approval' : 'Could not schedule it'} className="inline-error" /> : null}

      {(showWhen || submitting) && status !== 'pending_approval' ? (
        <div className="cmp-publish__go">
          <button type="button" className="button button--primary cmp-publish__primary" disabled={p.blockers.length > 0 || p.busy !== null} aria-keyshortcuts="Control+Enter Meta+Enter" onClick={p.onPrimary}>
            {p.busy === 'schedule' ? 'Scheduling…' : p.busy === 'submit' ? 'Submitting…' : primaryLabel(p.choice.mode, submitting)}
          </button>
          <ShortcutHint label={submitting ? 'to submit' : p.choice.mode === 'now' ? 'to publish' : 'to schedule'} />
          {p.blockers.length > 0 ? (
            <ul className="cmp-blockers" aria-label="Before it can go out">
              {p.blockers.map((b) => (
                <li key={b}>{b}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}

      <RejectDialog
        open={rejecting}
        onClose={() => setRejecting(false)}
        onReject={async (note) => {
          await p.onReject(note);
          setRejecting(false);
        }}
      />
    </section>
  );
}
