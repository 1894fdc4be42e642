// Settings → Inbox: the triage rules that sort messages without AI (flagged keywords and phrases
// escalate, ignore examples set aside), AI triage for chats and comments, per account whether
// Postdesk may reply on its own (off unless confirmed) and how its polling goes, with "Refresh
// now", and the saved replies the reply box inserts with "/".
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiCallError, call, messageOf, onEvent } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { Section } from '../../components/Page';
import { TagInput } from '../../components/TagInput';
import { fieldErrors } from '../../lib/issues';
import { useNow } from '../../lib/useNow';
import { toastError, toastSuccess } from '../../stores/ui';
import { useCurrentWorkspace } from '../../stores/workspaces';
import { NetworkMark } from '../accounts/AccountAvatar';
import { ErrorNote } from '../accounts/ErrorNote';
import { pollSummary, type AccountPoll } from '../inbox/poll-progress';
import { networkName } from '../inbox/labels';
import { useAiSettings } from './ai-store';
import { kindLabel } from './ai-settings';
import {
  addUnique,
  cleanShortcut,
  draftOf,
  EMPTY_DRAFT,
  listProblem,
  pollLine,
  sameRules,
  savedReplyPatch,
  savedReplyProblems,
  splitKeywords,
  type PollState,
  type SavedReply,
  type SavedReplyDraft,
  type SavedReplyErrors,
  type TriageRules,
} from './inbox-settings';
import { ListEditor } from './ListEditor';
import { useSectionScroll } from './useSectionScroll';
import '../../styles/accounts.css';
import '../../styles/settings-sections.css';

function LoadError({ what, error, retry }: { what: string; error: unknown; retry: () => void }) {
  return (
    <p className="inline-error" role="alert">
      Could not load {what}: {messageOf(error)}{' '}
      <button type="button" className="link-button" onClick={retry}>
        Try again
      </button>
    </p>
  );
}

// ---- triage rules ------------------------------------------------------------------------------

function AiTriageNote({ workspaceId }: { workspaceId: string }) {
  const { settings } = useAiSettings(workspaceId);
  if (!settings) return null;
  const eff = settings.effective;
  return (
    <p className="set-note" data-testid="inbox-ai-note">
      <Icon name="sparkle" size={14} />
      {eff.configured ? (
        <span>
          AI triage uses {kindLabel(eff.kind)} ({eff.chatModel}). It decides respond, ignore or escalate for messages no rule matched, and
          never sends anything by itself unless auto-reply is on for the account.
        </span>
      ) : (
        <span>
          AI triage needs an AI endpoint, and none is set up: until then only the rules above sort messages.{' '}
          <Link className="link" to="/settings?section=ai">
            Set one up under AI
          </Link>
          .
        </span>
      )}
    </p>
  );
}

function RulesCard({ workspaceId }: { workspaceId: string }) {
  const [saved, setSaved] = useState<TriageRules | null>(null);
  const [draft, setDraft] = useState<TriageRules | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [justSaved, setJustSaved] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const rules = await call('inbox.rules', { workspaceId });
      setSaved(rules);
      setDraft(rules);
    } catch (err) {
      setLoadError(err);
    }
  }, [workspaceId]);

  useEffect(() => {
    setSaved(null);
    setDraft(null);
    void load();
  }, [load]);

  if (!draft || !saved) {
    return <div className="card">{loadError ? <LoadError what="the triage rules" error={loadError} retry={() => void load()} /> : <p className="muted">Loading the rules…</p>}</div>;
  }

  const dirty = !sameRules(draft, saved);
  const problems = {
    flaggedKeywords: listProblem(draft.flaggedKeywords, 'keyword'),
    flaggedPhrases: listProblem(draft.flaggedPhrases, 'phrase'),
    ignoreExamples: listProblem(draft.ignoreExamples, 'example'),
  };
  const apiErrors = failure instanceof ApiCallError ? fieldErrors(failure.issues, ['flaggedKeywords', 'flaggedPhrases', 'ignoreExamples'] as const) : {};
  const change = (patch: Partial<TriageRules>) => {
    setDraft({ ...draft, ...patch });
    setJustSaved(false);
    setFailure(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !dirty || Object.values(problems).some(Boolean)) return;
    setBusy(true);
    setFailure(null);
    try {
      const next = await call('inbox.updateRules', { workspaceId, ...draft });
      setSaved(next);
      setDraft(next);
      setJustSaved(true);
      toastSuccess('Triage rules saved', 'They apply to messages that arrive from now on.');
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card set-card" onSubmit={submit} noValidate aria-busy={busy} data-testid="inbox-rules">
      <div className="set-card__head">
        <h3 className="set-card__title">Triage rules</h3>
        <p className="set-card__text">Sort new messages before you read them, without AI. They apply to messages that arrive from now on.</p>
      </div>
      <Field
        label="Flagged keywords"
        error={problems.flaggedKeywords ?? apiErrors.flaggedKeywords}
        hint="Escalate: a message with any of these words goes to the top as high priority and you get a notification. Type a word and press Enter or comma."
      >
        {(c) => (
          <TagInput
            control={c}
            name="flagged-keywords"
            values={draft.flaggedKeywords}
            onChange={(v) => change({ flaggedKeywords: v })}
            split={splitKeywords}
            add={addUnique}
            placeholder="refund, allergy, broken"
            itemLabel="keyword"
          />
        )}
      </Field>
      <Field
        label="Flagged phrases"
        error={problems.flaggedPhrases ?? apiErrors.flaggedPhrases}
        hint="Escalate: the same words in this order, in any case and punctuation, e.g. “speak to a manager”."
      >
        {(c) => (
          <ListEditor
            control={c}
            name="flagged-phrase"
            values={draft.flaggedPhrases}
            onChange={(v) => change({ flaggedPhrases: v })}
            add={addUnique}
            placeholder="speak to a manager"
            itemLabel="phrase"
            emptyText="No phrases yet."
          />
        )}
      </Field>
      <Field
        label="Ignore examples"
        error={problems.ignoreExamples ?? apiErrors.ignoreExamples}
        hint="Set aside: a message with the same words (in any order) is marked Ignore — no answer needed — and no notification is raised. Escalation wins when both match."
      >
        {(c) => (
          <ListEditor
            control={c}
            name="ignore-example"
            values={draft.ignoreExamples}
            onChange={(v) => change({ ignoreExamples: v })}
            add={addUnique}
            placeholder="thanks so much!"
            itemLabel="example"
            emptyText="No examples yet."
          />
        )}
      </Field>

      <fieldset className="set-fieldset">
        <legend className="field__label">AI triage</legend>
        <label className="set-check">
          <input type="checkbox" checked={draft.aiEnabledForChats} onChange={(e) => change({ aiEnabledForChats: e.target.checked })} />
          <span>
            <span className="set-check__label">Direct messages</span>
            <span className="set-check__hint">Let the AI decide respond, ignore or escalate for DMs no rule matched.</span>
          </span>
        </label>
        <label className="set-check">
          <input type="checkbox" checked={draft.aiEnabledForComments} onChange={(e) => change({ aiEnabledForComments: e.target.checked })} />
          <span>
            <span className="set-check__label">Comments and mentions</span>
            <span className="set-check__hint">The same for comments on your posts and mentions of your accounts.</span>
          </span>
        </label>
        <AiTriageNote workspaceId={workspaceId} />
      </fieldset>

      {failure ? <ErrorNote error={failure} title="Could not save the triage rules" /> : null}
      <div className="form__actions set-actions">
        <span className="set-actions__state" role="status">
          {busy ? 'Saving…' : dirty ? 'Unsaved changes' : justSaved ? 'Saved' : ''}
        </span>
        <button type="button" className="button" disabled={!dirty || busy} onClick={() => {
            setDraft(saved);
            setFailure(null);
          }}>
          Discard
        </button>
        <button type="submit" className="button button--primary" disabled={!dirty || busy}>
          {busy ? 'Saving…' : 'Save rules'}
        </button>
      </div>
    </form>
  );
}

// ---- accounts: polling and auto-reply ----------------------------------------------------------

function usePollStates(workspaceId: string) {
  const [states, setStates] = useState<PollState[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [polls, setPolls] = useState<ReadonlyMap<string, AccountPoll>>(new Map());

  const load = useCallback(async () => {
    try {
      setStates(await call('inbox.pollStatus', { workspaceId }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [workspaceId]);

  useEffect(() => {
    setStates(null);
    setPolls(new Map());
    void load();
  }, [load]);

  useEffect(() => {
    const offPoll = onEvent('inbox.poll', (p) => {
      if (p.workspaceId !== workspaceId) return;
      setPolls((m) => new Map(m).set(p.accountId, { status: p.status, added: p.added ?? 0, error: p.error ?? null }));
      if (p.status !== 'polling') void load();
    });
    const offAccounts = onEvent('accounts.changed', (p) => {
      if (p.workspaceId === workspaceId) void load();
    });
    return () => {
      offPoll();
      offAccounts();
    };
  }, [workspaceId, load]);

  return { states, setStates, error, load, polls, setPolls };
}

function AutoReplyDialog({ account, onClose, onConfirm, busy }: { account: PollState | null; onClose: () => void; onConfirm: () => void; busy: boolean }) {
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (account) keep.current?.focus();
  }, [account]);
  const name = account ? `${account.accountLabel} on ${networkName(account.platform)}` : '';
  return (
    <Dialog open={account !== null} onClose={onClose} title={`Let Postdesk reply on its own for ${name}?`}>
      <div className="form">
        <div className="set-warning" role="note">
          <Icon name="alert" size={18} className="set-warning__icon" />
          <div>
            <p className="set-warning__title">Postdesk will send replies without you</p>
            <p className="set-warning__text">
              With auto-reply on, Postdesk may send AI-written replies from this account without you reading them first. Every automatic send is
              marked “AI reply” in its thread and kept in the log. You can turn it off here at any time.
            </p>
          </div>
        </div>
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose} ref={keep}>
            Keep it off
          </button>
          <button type="button" className="button button--danger" disabled={busy} onClick={onConfirm}>
            {busy ? 'Turning on…' : 'Turn on auto-reply'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

function AccountRow({ s, now, busy, onToggle }: { s: PollState; now: number; busy: boolean; onToggle: (s: PollState, on: boolean) => void }) {
  const line = pollLine(s, now);
  const switchId = useId();
  return (
    <li className="set-account" data-testid="inbox-account" data-account-id={s.accountId}>
      <NetworkMark platform={s.platform} />
      <div className="set-account__body">
        <p className="set-account__name">
          {s.accountLabel} <span className="muted">· {networkName(s.platform)}</span>
        </p>
        <p className="set-account__text">{line.text}</p>
        {line.error ? (
          <p className="set-account__error">
            <Icon name="alert" size={13} /> Last check failed: {line.error}
          </p>
        ) : null}
      </div>
      <span className={`health health--${line.tone}`}>{line.label}</span>
      <label className="set-switch" htmlFor={switchId}>
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          checked={s.autoReply}
          disabled={busy}
          aria-label={`Auto-reply for ${s.accountLabel} on ${networkName(s.platform)}`}
          onChange={(e) => onToggle(s, e.target.checked)}
        />
        <span className="set-switch__text">Auto-reply {s.autoReply ? 'on' : 'off'}</span>
      </label>
    </li>
  );
}

function AccountsCard({ workspaceId }: { workspaceId: string }) {
  const { states, setStates, error, load, polls, setPolls } = usePollStates(workspaceId);
  const now = useNow().getTime();
  const [asking, setAsking] = useState<PollState | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshNote, setRefreshNote] = useState<string | null>(null);

  const setAutoReply = async (s: PollState, enabled: boolean) => {
    setBusyId(s.accountId);
    try {
      const r = await call('inbox.setAutoReply', { accountId: s.accountId, enabled });
      setStates((list) => list?.map((x) => (x.accountId === r.accountId ? { ...x, autoReply: r.autoReply } : x)) ?? null);
      setAsking(null);
      toastSuccess(enabled ? `Auto-reply is on for ${s.accountLabel}` : `Auto-reply is off for ${s.accountLabel}`, enabled ? 'Every automatic send is marked in its thread.' : 'Nothing is sent without you.');
    } catch (err) {
      toastError(`Could not change auto-reply for ${s.accountLabel}`, err);
    } finally {
      setBusyId(null);
    }
  };

  const refresh = async () => {
    setRefreshing(true);
    setRefreshNote(null);
    setPolls(new Map());
    try {
      const r = await call('inbox.refresh', { workspaceId });
      if (r.queued === 0) setRefreshNote('No account can be checked now: connect or reconnect one on the Accounts page.');
    } catch (err) {
      setRefreshNote(`Could not start checking: ${messageOf(err)}`);
    } finally {
      setRefreshing(false);
    }
  };

  const labelOf = (id: string) => states?.find((s) => s.accountId === id)?.accountLabel ?? 'an account';
  const summary = refreshNote ?? pollSummary(polls, labelOf);

  let content;
  if (states === null) content = error ? <LoadError what="the accounts" error={error} retry={() => void load()} /> : <p className="muted">Loading the accounts…</p>;
  else if (states.length === 0)
    content = (
      <p className="set-card__text">
        No account that has an inbox is connected yet. <Link className="link" to="/accounts">Connect one</Link> and its messages arrive here.
      </p>
    );
  else
    content = (
      <ul className="set-accounts" aria-label="Accounts">
        {states.map((s) => (
          <AccountRow key={s.accountId} s={s} now={now} busy={busyId === s.accountId} onToggle={(x, on) => (on ? setAsking(x) : void setAutoReply(x, false))} />
        ))}
      </ul>
    );

  return (
    <div className="card set-card" data-testid="inbox-accounts">
      <div className="set-card__head set-card__head--row">
        <div>
          <h3 className="set-card__title">Accounts</h3>
          <p className="set-card__text">
            Each account is checked every 5 to 30 minutes — sooner after activity, less often when it is quiet. Auto-reply is off unless you turn it on.
          </p>
        </div>
        <button type="button" className="button" onClick={() => void refresh()} disabled={refreshing || states?.length === 0}>
          <Icon name="refresh" size={14} />
          {refreshing ? 'Asking…' : 'Refresh now'}
        </button>
      </div>
      <p className="set-live" role="status" aria-live="polite">
        {summary ?? ''}
      </p>
      {content}
      <AutoReplyDialog account={asking} busy={asking !== null && busyId === asking.accountId} onClose={() => setAsking(null)} onConfirm={() => asking && void setAutoReply(asking, true)} />
    </div>
  );
}

// ---- saved replies -----------------------------------------------------------------------------

function SavedReplyDialog({
  workspaceId,
  editing,
  open,
  onClose,
  onSaved,
}: {
  workspaceId: string;
  /** null: a new reply. */
  editing: SavedReply | null;
  open: boolean;
  onClose: () => void;
  onSaved: (r: SavedReply, created: boolean) => void;
}) {
  const [draft, setDraft] = useState<SavedReplyDraft>(EMPTY_DRAFT);
  const [errors, setErrors] = useState<SavedReplyErrors & { _form?: string }>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (!open) return;
    setDraft(editing ? draftOf(editing) : EMPTY_DRAFT);
    setErrors({});
    setFailure(null);
  }, [open, editing]);

  useEffect(() => {
    if (errors.title || errors.content || errors.shortcut) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set = (patch: Partial<SavedReplyDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setErrors({});
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const local = savedReplyProblems(draft);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      const shortcut = cleanShortcut(draft.shortcut) || null;
      let saved: SavedReply;
      if (editing) {
        const patch = savedReplyPatch(editing, draft);
        saved = Object.keys(patch).length === 0 ? editing : await call('inbox.updateSavedReply', { savedReplyId: editing.id, ...patch });
      } else {
        saved = await call('inbox.createSavedReply', { workspaceId, title: draft.title.trim(), content: draft.content.trim(), shortcut });
      }
      onSaved(saved, editing === null);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'conflict') setErrors({ shortcut: err.message });
      else if (err instanceof ApiCallError && err.code === 'invalid_input' && err.issues.length > 0) setErrors(fieldErrors(err.issues, ['title', 'content', 'shortcut'] as const));
      else setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title={editing ? `Edit “${editing.title}”` : 'New saved reply'} description="In a reply box, type / and the title or shortcut to insert it.">
      <form ref={form} className="form" onSubmit={submit} noValidate aria-busy={busy}>
        <Field label="Title" error={errors.title}>
          {(c) => <input {...c} className="input" name="saved-title" autoComplete="off" maxLength={200} value={draft.title} onChange={(e) => set({ title: e.target.value })} autoFocus />}
        </Field>
        <Field label="Shortcut" optional error={errors.shortcut} hint="One word, typed after / to insert this reply quickly, e.g. hours.">
          {(c) => (
            <div className="set-prefixed">
              <span className="set-prefixed__prefix" aria-hidden="true">
                /
              </span>
              <input {...c} className="input" name="saved-shortcut" autoComplete="off" spellCheck={false} maxLength={60} value={draft.shortcut} onChange={(e) => set({ shortcut: e.target.value })} />
            </div>
          )}
        </Field>
        <Field label="Text" error={errors.content}>
          {(c) => <textarea {...c} className="input textarea" name="saved-content" rows={6} value={draft.content} onChange={(e) => set({ content: e.target.value })} />}
        </Field>
        {failure ? <ErrorNote error={failure} title="Could not save the reply" /> : null}
        {errors._form ? (
          <p className="form__error" role="alert">
            {errors._form}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : editing ? 'Save changes' : 'Save reply'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteReplyDialog({ reply, onClose, onDeleted }: { reply: SavedReply | null; onClose: () => void; onDeleted: (id: string) => void }) {
  const [busy, setBusy] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (reply) keep.current?.focus();
  }, [reply]);
  return (
    <Dialog open={reply !== null} onClose={onClose} title={reply ? `Delete “${reply.title}”?` : 'Delete?'} description="Replies already sent with it are not touched.">
      <div className="form__actions">
        <button type="button" className="button" onClick={onClose} ref={keep}>
          Keep it
        </button>
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          onClick={async () => {
            if (!reply) return;
            setBusy(true);
            try {
              await call('inbox.deleteSavedReply', { savedReplyId: reply.id });
              onDeleted(reply.id);
            } catch (err) {
              toastError(`Could not delete “${reply.title}”`, err);
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? 'Deleting…' : 'Delete reply'}
        </button>
      </div>
    </Dialog>
  );
}

function SavedRepliesCard({ workspaceId }: { workspaceId: string }) {
  const [items, setItems] = useState<SavedReply[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<{ editing: SavedReply | null } | null>(null);
  const [deleting, setDeleting] = useState<SavedReply | null>(null);

  const load = useCallback(async () => {
    try {
      setItems(await call('inbox.savedReplies', { workspaceId }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [workspaceId]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);

  let content;
  if (items === null) content = error ? <LoadError what="the saved replies" error={error} retry={() => void load()} /> : <p className="muted">Loading saved replies…</p>;
  else if (items.length === 0)
    content = (
      <div className="empty empty--inline">
        <p className="empty__title">No saved replies yet</p>
        <p className="empty__text">Save the answers you give often — opening hours, prices, where to order — and insert them with / in any reply.</p>
      </div>
    );
  else
    content = (
      <ul className="set-replies" aria-label="Saved replies">
        {items.map((r) => (
          <li key={r.id} className="set-reply" data-testid="saved-reply">
            <div className="set-reply__body">
              <p className="set-reply__title">
                {r.title}
                {r.shortcut ? <span className="code set-reply__shortcut">/{cleanShortcut(r.shortcut)}</span> : null}
              </p>
              <p className="set-reply__text">{r.content}</p>
              <p className="set-reply__meta">{r.useCount === 0 ? 'Not used yet' : r.useCount === 1 ? 'Used once' : `Used ${r.useCount} times`}</p>
            </div>
            <div className="set-reply__actions">
              <button type="button" className="button button--small" onClick={() => setDialog({ editing: r })}>
                Edit<span className="visually-hidden"> {r.title}</span>
              </button>
              <button type="button" className="button button--small button--danger" onClick={() => setDeleting(r)}>
                Delete<span className="visually-hidden"> {r.title}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
    );

  return (
    <div className="card set-card" data-testid="saved-replies">
      <div className="set-card__head set-card__head--row">
        <div>
          <h3 className="set-card__title">Saved replies</h3>
          <p className="set-card__text">Answers you insert in a reply box by typing / and their title or shortcut. Most used come first.</p>
        </div>
        <button type="button" className="button" onClick={() => setDialog({ editing: null })}>
          <Icon name="plus" size={14} />
          New saved reply
        </button>
      </div>
      {content}
      <SavedReplyDialog
        workspaceId={workspaceId}
        open={dialog !== null}
        editing={dialog?.editing ?? null}
        onClose={() => setDialog(null)}
        onSaved={(r, created) => {
          setDialog(null);
          setItems((list) => (created ? [...(list ?? []), r] : (list ?? []).map((x) => (x.id === r.id ? r : x))));
          toastSuccess(created ? `Saved “${r.title}”` : `Updated “${r.title}”`, r.shortcut ? `Type /${r.shortcut} in a reply to insert it.` : undefined);
        }}
      />
      <DeleteReplyDialog
        reply={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(id) => {
          setDeleting(null);
          setItems((list) => (list ?? []).filter((x) => x.id !== id));
          toastSuccess('Saved reply deleted');
        }}
      />
    </div>
  );
}

export function InboxSection() {
  const ws = useCurrentWorkspace();
  const ref = useSectionScroll<HTMLDivElement>('inbox', ws !== null);
  if (!ws) return null;
  return (
    <Section
      id="inbox"
      title="Inbox"
      description="How new messages are sorted before you read them, how often each account is checked, whether Postdesk may answer on its own, and your saved replies."
    >
      <div className="stack" ref={ref} key={ws.id}>
        <RulesCard workspaceId={ws.id} />
        <AccountsCard workspaceId={ws.id} />
        <SavedRepliesCard workspaceId={ws.id} />
      </div>
    </Section>
  );
}
