// The chat list: newest activity first, the open one marked, a new chat at the top.
import { plural } from '../../lib/format';
import { shortTime, type ThreadItem } from './studio-view';

export function ThreadList({ threads, openId, onOpen, onNew, busy }: { threads: readonly ThreadItem[] | null; openId: string | null; onOpen(id: string): void; onNew(): void; busy: boolean }) {
  return (
    <nav className="studio-threads" aria-label="Chats">
      <button type="button" className="button button--primary studio-threads__new" onClick={onNew} disabled={busy}>
        New chat
      </button>
      {threads === null ? (
        <p className="muted">Loading chats…</p>
      ) : threads.length === 0 ? (
        <p className="muted">No chats yet. Start one to ask the AI anything about your marketing.</p>
      ) : (
        <ul className="studio-threads__list">
          {threads.map((t) => (
            <li key={t.id}>
              <button type="button" className="studio-thread" aria-current={t.id === openId ? 'true' : undefined} onClick={() => onOpen(t.id)}>
                <span className="studio-thread__title">
                  <bdi>{t.title}</bdi>
                </span>
                <span className="studio-thread__meta">
                  {t.running ? 'Answering…' : `${plural(t.messageCount, 'message')} · ${shortTime(t.lastMessageAt ?? t.createdAt)}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
