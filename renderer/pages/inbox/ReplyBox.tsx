// The reply box: Ctrl/Cmd+Enter sends (Enter is a new line — replies are often several lines, and
// an accidental send to a customer cannot be taken back). "/" at the start opens the saved replies
// (arrows and Enter insert one); "Note" writes a private note instead, kept with the thread and
// never sent. The draft survives switching threads, and a refused send keeps every word typed.
import { forwardRef, useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { Kbd } from '../../components/Page';
import { countText } from '../../../electron/core/posts/text-count';
import { capabilitiesOf } from '../../../electron/platforms/capabilities';
import { toastSuccess } from '../../stores/ui';
import type { Conversation, Message, SavedReply } from './inbox-types';
import { networkName } from './labels';
import { oneLine } from './safe-text';
import { filterSaved, slashQuery, useSavedReplies } from './saved-replies';
import { DraftWithAi } from './DraftWithAi';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

interface Draft {
  text: string;
  note: boolean;
  savedReplyId: string | null;
}
/** Drafts by conversation, for this window's life: switching threads never loses a reply. */
const drafts = new Map<string, Draft>();
const EMPTY: Draft = { text: '', note: false, savedReplyId: null };

export interface ReplyBoxHandle {
  focus(): void;
}

export interface ReplyBoxProps {
  conversation: Conversation;
  canReply: boolean;
  /** Why replying is off, in words. */
  closedReason: string | null;
  /** The message the reply is threaded under (the latest incoming one unless the user chose another). */
  replyTo: Message | null;
  /** The user chose `replyTo` ("Reply to this"): say so, with a way back. */
  replyToChosen: boolean;
  onClearReplyTo(): void;
  /** Esc: give the keys back to the list. */
  onLeave(): void;
  onSent(): void;
}

export const ReplyBox = forwardRef<ReplyBoxHandle, ReplyBoxProps>(function ReplyBox(p, ref) {
  const c = p.conversation;
  const [draft, setDraftState] = useState<Draft>(() => drafts.get(c.id) ?? EMPTY);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [menuDismissed, setMenuDismissed] = useState(false);
  const [active, setActive] = useState(0);
  const [saving, setSaving] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const ids = useId();

  useEffect(() => {
    setDraftState(drafts.get(c.id) ?? EMPTY);
    setError(null);
    setMenuDismissed(false);
  }, [c.id]);

  const setDraft = (d: Draft) => {
    drafts.set(c.id, d);
    setDraftState(d);
  };

  useImperativeHandle(ref, () => ({ focus: () => area.current?.focus() }), []);

  const query = menuDismissed ? null : slashQuery(draft.text);
  const saved = useSavedReplies(c.workspaceId, query !== null || saving);
  const options = useMemo(() => (query !== null && saved.state.status === 'ready' ? filterSaved(saved.state.items, query) : []), [query, saved.state]);
  const menuOpen = query !== null;
  useEffect(() => setActive(0), [query]);

  const insert = (r: SavedReply) => {
    setDraft({ ...draft, text: r.content, savedReplyId: r.id });
    setMenuDismissed(false);
    requestAnimationFrame(() => {
      const el = area.current;
      if (el) el.setSelectionRange(el.value.length, el.value.length);
    });
  };

  const caps = capabilitiesOf(c.platform);
  // DMs have their own, larger limits; the post limit applies to replies that are posts or comments.
  const count = caps && c.kind !== 'dm' && !draft.note && draft.text !== '' ? countText(draft.text, caps.text) : null;
  const sendBlocked = !draft.note && !p.canReply;
  const empty = draft.text.trim() === '';

  const send = async () => {
    if (sending || empty || sendBlocked || menuOpen) return;
    setSending(true);
    setError(null);
    try {
      if (draft.note) await call('inbox.addNote', { conversationId: c.id, text: draft.text });
      else await call('inbox.reply', { conversationId: c.id, text: draft.text, replyToMessageId: p.replyTo?.id ?? null, savedReplyId: draft.savedReplyId });
      drafts.delete(c.id);
      setDraftState({ ...EMPTY, note: draft.note });
      p.onSent();
    } catch (err) {
      // The text stays in the box: nothing typed is lost to a refused send.
      setError(messageOf(err));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (menuOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (options.length > 0) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && options[active]) {
        e.preventDefault();
        insert(options[active]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setMenuDismissed(true);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      area.current?.blur();
      p.onLeave();
    }
  };

  const listId = `${ids}-saved`;
  const hintId = `${ids}-hint`;
  const placeholder = draft.note
    ? 'A private note for your team — never sent'
    : sendBlocked
      ? 'Replying is closed here; you can still add a private note'
      : `Reply on ${networkName(c.platform)}… (type / for saved replies)`;

  return (
    <div className={`ib-reply${draft.note ? ' is-note' : ''}`} data-testid="reply-box">
      {p.replyTo && p.replyToChosen && !draft.note ? (
        <p className="ib-reply__to">
          Replying to <bdi>“{oneLine(p.replyTo.content, 80)}”</bdi>{' '}
          <button type="button" className="link-button" onClick={p.onClearReplyTo}>
            Reply to the latest instead
          </button>
        </p>
      ) : null}
      <div className="ib-reply__field">
        <textarea
          ref={area}
          className="textarea ib-reply__text"
          aria-label={draft.note ? 'Private note' : 'Reply'}
          aria-describedby={hintId}
          aria-keyshortcuts="Control+Enter Meta+Enter"
          placeholder={placeholder}
          value={draft.text}
          rows={3}
          dir="auto"
          onChange={(e) => {
            const text = e.target.value;
            // Back to "/": the menu may open again.
            if (!text.startsWith('/')) setMenuDismissed(false);
            setDraft({ ...draft, text, savedReplyId: draft.savedReplyId !== null && text !== '' ? draft.savedReplyId : null });
          }}
          onKeyDown={onKeyDown}
          role={menuOpen ? 'combobox' : undefined}
          aria-expanded={menuOpen ? true : undefined}
          aria-controls={menuOpen ? listId : undefined}
          aria-autocomplete={menuOpen ? 'list' : undefined}
          aria-activedescendant={menuOpen && options[active] ? `${listId}-${active}` : undefined}
        />
        {menuOpen ? (
          <div className="ib-saved" data-inbox-menu="">
            <p className="ib-saved__head">Saved replies {query ? <span className="muted">matching “{query}”</span> : null}</p>
            {saved.state.status === 'error' ? (
              <p className="inline-error">Could not load the saved replies: {messageOf(saved.state.error)}</p>
            ) : saved.state.status !== 'ready' ? (
              <p className="muted">Loading…</p>
            ) : options.length === 0 ? (
              <p className="muted">{saved.state.items.length === 0 ? 'No saved replies yet. Write a reply, then “Save this reply” to use it again.' : 'None match. Esc keeps what you typed.'}</p>
            ) : (
              <ul id={listId} role="listbox" aria-label="Saved replies" className="ib-saved__list">
                {options.map((r, i) => (
                  <li
                    key={r.id}
                    id={`${listId}-${i}`}
                    role="option"
                    aria-selected={i === active}
                    className={i === active ? 'ib-saved__item is-active' : 'ib-saved__item'}
                    onMouseDown={(e) => {
                      // Keep focus in the textarea.
                      e.preventDefault();
                      insert(r);
                    }}
                  >
                    <span className="ib-saved__title">
                      {r.shortcut ? <code>/{r.shortcut}</code> : null} {r.title}
                    </span>
                    <span className="ib-saved__preview">{oneLine(r.content, 120)}</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="ib-saved__keys muted" aria-hidden="true">
              <Kbd>↑</Kbd> <Kbd>↓</Kbd> choose · <Kbd>Enter</Kbd> insert · <Kbd>Esc</Kbd> close
            </p>
          </div>
        ) : null}
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          {draft.note ? 'The note was not saved' : 'The reply was not sent'}: {error}
        </p>
      ) : null}
      {sendBlocked ? (
        <p className="ib-reply__closed" role="note">
          {p.closedReason ?? 'This network no longer accepts a reply in this thread.'}
        </p>
      ) : null}
      {draft.note || sendBlocked ? null : <DraftWithAi conversation={c} onAccept={(text) => setDraft({ ...draft, text, savedReplyId: null })} />}
      <div className="ib-reply__bar">
        <label className="ib-switch">
          <input type="checkbox" checked={draft.note} onChange={(e) => setDraft({ ...draft, note: e.target.checked })} />
          <span>Note</span>
        </label>
        <button type="button" className="link-button" disabled={empty || draft.text.startsWith('/')} onClick={() => setSaving(true)}>
          Save this reply
        </button>
        <span className="ib-reply__spacer" />
        {count ? (
          <span className={count.over ? 'ib-reply__count is-over' : 'ib-reply__count'} aria-live="polite">
            {count.used.toLocaleString()} / {count.limit.toLocaleString()}
          </span>
        ) : null}
        <span id={hintId} className="ib-reply__hint muted">
          <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd>+<Kbd>Enter</Kbd> {draft.note ? 'adds the note' : 'sends'} · <Kbd>Enter</Kbd> new line
        </span>
        <button type="button" className="button button--primary button--small" onClick={() => void send()} disabled={sending || empty || sendBlocked || menuOpen || (count?.over ?? false)}>
          {sending ? (draft.note ? 'Saving…' : 'Sending…') : draft.note ? 'Add note' : 'Send'}
        </button>
      </div>
      <SaveReplyDialog
        open={saving}
        workspaceId={c.workspaceId}
        content={draft.text}
        onClose={() => setSaving(false)}
        onSaved={() => {
          setSaving(false);
          void saved.reload();
        }}
      />
    </div>
  );
});

function SaveReplyDialog({ open, workspaceId, content, onClose, onSaved }: { open: boolean; workspaceId: string; content: string; onClose(): void; onSaved(): void }) {
  const [title, setTitle] = useState('');
  const [shortcut, setShortcut] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      setTitle(oneLine(content, 60));
      setShortcut('');
      setError(null);
    }
  }, [open, content]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('inbox.createSavedReply', { workspaceId, title: title.trim(), content, shortcut: shortcut.trim() === '' ? null : shortcut.trim() });
      toastSuccess('Reply saved', 'Type / in a reply to use it.');
      onSaved();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="Save this reply" description="Type / at the start of a reply to insert it again.">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="Title">{(control) => <input {...control} className="input" value={title} maxLength={120} required onChange={(e) => setTitle(e.target.value)} />}</Field>
        <Field label="Shortcut" optional hint="One word, e.g. hours — then /hours finds it first.">
          {(control) => <input {...control} className="input" value={shortcut} maxLength={40} onChange={(e) => setShortcut(e.target.value)} />}
        </Field>
        <div className="ib-saved__preview-box" aria-label="The reply">
          {content}
        </div>
        {error ? (
          <p className="form__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy || title.trim() === ''}>
            {busy ? 'Saving…' : 'Save reply'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
