// One open chat: its header (name, model, rename, delete), the messages, and the box to write in.
// An answer streams in as it is written (also after a reload: the engine says which request is
// running and the page follows its stream); Stop keeps what was typed and what was written so far.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { call, messageOf, onEvent } from '../../api/client';
import type { CatalogueModel } from '../settings/ai-settings';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { historyNote, modelChoices, newRequestId, type StudioSettings, type ThreadView } from './studio-view';

interface Live {
  requestId: string;
  /** The message being answered; null when an earlier message is answered again. */
  userMessage: string | null;
  text: string;
}

export function Conversation({
  workspaceId,
  threadId,
  settings,
  catalogue,
  onChanged,
  onDeleted,
}: {
  workspaceId: string;
  threadId: string;
  settings: StudioSettings;
  catalogue: readonly CatalogueModel[];
  onChanged(): void;
  onDeleted(): void;
}) {
  const [view, setView] = useState<ThreadView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [live, setLive] = useState<Live | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [useKnowledge, setUseKnowledge] = useState(false);
  const [model, setModel] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  /** The request this window started, so its own changes don't reload the page mid-answer. */
  const mine = useRef<string | null>(null);

  const load = useCallback(async () => {
    try {
      const v = await call('studio.thread', { workspaceId, threadId });
      setView(v);
      setLoadError(null);
      return v;
    } catch (err) {
      setLoadError(messageOf(err));
      return null;
    }
  }, [workspaceId, threadId]);

  useEffect(() => {
    setView(null);
    setText('');
    setError(null);
    setNotice(null);
    setModel(null);
    setRenaming(null);
    setConfirmDelete(false);
    void load().then((v) => {
      if (v) setUseKnowledge(v.useKnowledge);
    });
    return onEvent('studio.changed', (e) => {
      if (e.workspaceId === workspaceId && e.threadId === threadId && mine.current === null) void load();
    });
  }, [workspaceId, threadId, load]);

  // An answer started elsewhere (before a reload, another window): follow its stream until it is saved.
  const followId = mine.current === null ? (view?.pending?.requestId ?? null) : null;
  const followUser = view?.pending?.userMessage?.content ?? null;
  useEffect(() => {
    if (!followId) return;
    setLive({ requestId: followId, userMessage: followUser, text: '' });
    const off = onEvent('ai.stream', (e) => {
      if (e.requestId === followId && e.delta) setLive((l) => (l && l.requestId === followId ? { ...l, text: l.text + e.delta } : l));
    });
    return () => {
      off();
      setLive((l) => (l?.requestId === followId ? null : l));
    };
  }, [followId, followUser]);

  const run = async (kind: 'send' | 'regenerate') => {
    const message = text.trim();
    const requestId = newRequestId();
    mine.current = requestId;
    setError(null);
    setNotice(null);
    setLive({ requestId, userMessage: kind === 'send' ? message : null, text: '' });
    if (kind === 'send') setText('');
    // Listening before the call starts, so no early words are missed.
    const off = onEvent('ai.stream', (e) => {
      if (e.requestId === requestId && e.delta) setLive((l) => (l && l.requestId === requestId ? { ...l, text: l.text + e.delta } : l));
    });
    try {
      const input = { workspaceId, threadId, requestId, useKnowledge, ...(model ? { model } : {}) };
      const r = kind === 'send' ? await call('studio.send', { ...input, text: message }) : await call('studio.regenerate', input);
      setView(r.thread);
      if (r.status === 'cancelled') setNotice('Stopped. Your message and the text written so far are kept; Regenerate asks again.');
    } catch (err) {
      const said = messageOf(err);
      const v = await load();
      // A failed turn shows its error under the answer already; say it here only when it is not there.
      const last = v?.messages.at(-1);
      if (!(last?.status === 'failed' && last.error !== undefined && said.includes(last.error))) setError(said);
      // Refused before anything was saved (AI not set up, a chat already answering): the words go back in the box.
      if (kind === 'send' && v && v.messages.at(-2)?.content !== message) setText((t) => t || message);
    } finally {
      off();
      mine.current = null;
      setLive(null);
      onChanged();
    }
  };

  const stop = () => {
    if (live) void call('ai.cancel', { requestId: live.requestId }).catch(() => undefined);
  };

  const rename = async (e: FormEvent) => {
    e.preventDefault();
    if (renaming === null || renaming.trim() === '') return;
    try {
      await call('studio.rename', { workspaceId, threadId, title: renaming });
      setRenaming(null);
      await load();
      onChanged();
    } catch (err) {
      setError(`Could not rename the chat: ${messageOf(err)}`);
    }
  };

  const remove = async () => {
    try {
      await call('studio.delete', { workspaceId, threadId });
      onDeleted();
    } catch (err) {
      setError(`Could not delete the chat: ${messageOf(err)}`);
    }
  };

  if (loadError && !view) {
    return (
      <p className="inline-error" role="alert">
        Could not open this chat: {loadError}
      </p>
    );
  }
  if (!view) return <p className="muted">Opening the chat…</p>;

  const running = live !== null;
  const choices = modelChoices(catalogue, settings, view.effectiveModel);
  return (
    <section className="studio-conversation" aria-label={`Chat: ${view.title}`}>
      <header className="studio-conversation__head">
        {renaming !== null ? (
          <form className="studio-rename" onSubmit={(e) => void rename(e)}>
            <input className="input" aria-label="Chat name" value={renaming} maxLength={200} autoFocus onChange={(e) => setRenaming(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setRenaming(null)} />
            <button type="submit" className="button button--primary button--small" disabled={renaming.trim() === ''}>
              Save
            </button>
            <button type="button" className="button button--small" onClick={() => setRenaming(null)}>
              Cancel
            </button>
          </form>
        ) : (
          <h2 className="studio-conversation__title">
            <bdi>{view.title}</bdi>
          </h2>
        )}
        <label className="studio-model">
          <span>Model</span>
          <select className="input" value={model ?? view.effectiveModel} disabled={running} onChange={(e) => setModel(e.target.value)}>
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {renaming === null ? (
          <button type="button" className="button button--small" onClick={() => setRenaming(view.title)}>
            Rename
          </button>
        ) : null}
        {confirmDelete ? (
          <span className="studio-confirm" role="group" aria-label="Delete this chat?">
            Delete this chat and its history?
            <button type="button" className="button button--danger button--small" onClick={() => void remove()}>
              Delete
            </button>
            <button type="button" className="button button--small" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button--small" onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </header>
      <MessageList view={view} live={live} onRegenerate={() => void run('regenerate')} canRegenerate={settings.configured && !running} />
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className="muted" role="status">
          {notice}
        </p>
      ) : null}
      <Composer
        text={text}
        onText={setText}
        onSend={() => void run('send')}
        onStop={stop}
        running={running}
        disabled={!settings.configured}
        useKnowledge={useKnowledge}
        onUseKnowledge={setUseKnowledge}
        note={historyNote(settings.historyTokenBudget, view.history)}
        maxChars={settings.maxMessageChars}
      />
    </section>
  );
}
