// "Drafts": every post of the workspace still being written or waiting (approval, a failed run),
// newest first, to open in Compose or delete. Live: a save anywhere refreshes the list.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { call, messageOf, onEvent } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { toastError } from '../../stores/ui';
import { NetworkMark } from '../accounts/AccountAvatar';
import { composePath } from '../compose/paths';
import { STATUS_LABEL, STATUS_TONE } from '../compose/draft';
import { relativeTime } from '../queue/time';
import { DRAFT_STATUSES, networksOf, newestFirst, snippet, type ListedPost } from './post-list';

/** How many drafts the workspace has (for the button's badge); null until known. */
export function useDraftCount(workspaceId: string): number | null {
  const [n, setN] = useState<number | null>(null);
  useEffect(() => {
    let live = true;
    let t: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      call('posts.list', { workspaceId, statuses: [...DRAFT_STATUSES], limit: 1 }).then(
        (r) => live && setN(r.total),
        () => undefined,
      );
    void load();
    const off = onEvent('posts.changed', (p) => {
      if (p.workspaceId !== workspaceId) return;
      clearTimeout(t);
      t = setTimeout(() => void load(), 400);
    });
    return () => {
      live = false;
      clearTimeout(t);
      off();
    };
  }, [workspaceId]);
  return n;
}

export function DraftsDialog({
  open,
  workspaceId,
  currentId,
  onClose,
  onDeleted,
}: {
  open: boolean;
  workspaceId: string;
  currentId: string | null;
  onClose: () => void;
  /** The open post was deleted: the composer starts a new one. */
  onDeleted: (postId: string) => void;
}) {
  const navigate = useNavigate();
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; items: ListedPost[]; error: unknown }>({ status: 'loading', items: [], error: null });
  const [deleting, setDeleting] = useState<string | null>(null);
  const now = Date.now();

  const load = useCallback(async () => {
    try {
      const r = await call('posts.list', { workspaceId, statuses: [...DRAFT_STATUSES], limit: 200 });
      setState({ status: 'ready', items: newestFirst(r.items), error: null });
    } catch (error) {
      setState((s) => ({ ...s, status: 'error', error }));
    }
  }, [workspaceId]);

  useEffect(() => {
    if (!open) return;
    setState((s) => ({ ...s, status: s.items.length > 0 ? 'ready' : 'loading' }));
    void load();
  }, [open, load]);

  const remove = async (post: ListedPost) => {
    setDeleting(post.id);
    try {
      await call('posts.delete', { postId: post.id });
      setState((s) => ({ ...s, items: s.items.filter((x) => x.id !== post.id) }));
      onDeleted(post.id);
    } catch (err) {
      toastError('Could not delete the draft', err);
    } finally {
      setDeleting(null);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="Drafts" description="Posts still being written or waiting for approval, newest first. They are saved on this computer." className="dialog--form cmp-drafts">
      {state.status === 'loading' ? <p className="muted">Loading drafts…</p> : null}
      {state.status === 'error' ? (
        <p className="inline-error" role="alert">
          Could not load the drafts: {messageOf(state.error)}{' '}
          <button type="button" className="link-button" onClick={() => void load()}>
            Try again
          </button>
        </p>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 ? (
        <div className="empty">
          <p className="empty__title">No drafts</p>
          <p className="empty__text">Everything you start writing in Compose is kept here until it is scheduled.</p>
        </div>
      ) : null}
      {state.items.length > 0 ? (
        <ul className="cmp-drafts__list">
          {state.items.map((p) => (
            <li key={p.id} className={`cmp-drafts__item${p.id === currentId ? ' is-current' : ''}`}>
              <button
                type="button"
                className="cmp-drafts__open"
                onClick={() => {
                  onClose();
                  navigate(composePath(p.id));
                }}
              >
                <span className="cmp-drafts__text">{snippet(p.content)}</span>
                <span className="cmp-drafts__meta">
                  <span className="cmp-drafts__marks" aria-hidden="true">
                    {networksOf(p).map((n) => (
                      <NetworkMark key={n} platform={n} size="sm" />
                    ))}
                  </span>
                  <span className={`cmp-status cmp-status--${STATUS_TONE[p.status]}`}>{STATUS_LABEL[p.status]}</span>
                  <span>
                    {p.targets.length === 0 ? 'no accounts yet' : `${p.targets.length} ${p.targets.length === 1 ? 'account' : 'accounts'}`} · edited {relativeTime(p.updatedAt, now)}
                  </span>
                  {p.id === currentId ? <span className="cmp-drafts__here">open now</span> : null}
                </span>
              </button>
              <button type="button" className="icon-button cmp-drafts__delete" disabled={deleting === p.id} onClick={() => void remove(p)} aria-label={`Delete the draft “${snippet(p.content, 40)}”`}>
                <Icon name="x" size={14} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}
