// Pick pictures and videos already in the workspace's media library (newest first), several at
// once; what is already on the post is marked and cannot be added twice.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { thumbnailSrc, useLazyThumbnails } from '../../lib/thumbnails';
import { formatSize } from './media-upload';

export type LibraryItem = ApiOutput<'media.list'>['items'][number];

const PAGE = 60;
const NONE: LibraryItem[] = [];

export function LibraryDialog({
  open,
  workspaceId,
  attached,
  room,
  onClose,
  onPick,
}: {
  open: boolean;
  workspaceId: string;
  attached: ReadonlySet<string>;
  /** How many more the post can take (the strictest chosen network), or null for no limit known. */
  room: number | null;
  onClose: () => void;
  onPick: (items: LibraryItem[]) => void;
}) {
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; items: LibraryItem[]; total: number; error: unknown }>({ status: 'loading', items: [], total: 0, error: null });
  const [picked, setPicked] = useState<LibraryItem[]>([]);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setPicked([]);
    setState((s) => ({ ...s, status: 'loading', error: null }));
    call('media.list', { workspaceId, limit: PAGE }).then(
      (r) => live && setState({ status: 'ready', items: r.items, total: r.total, error: null }),
      (error: unknown) => live && setState({ status: 'error', items: [], total: 0, error }),
    );
    return () => {
      live = false;
    };
  }, [open, workspaceId, nonce]);

  const loadMore = async () => {
    try {
      const r = await call('media.list', { workspaceId, limit: PAGE, offset: state.items.length });
      setState((s) => ({ ...s, items: [...s.items, ...r.items.filter((x) => !s.items.some((y) => y.id === x.id))], total: r.total }));
    } catch (error) {
      setState((s) => ({ ...s, error }));
    }
  };

  // Items from before thumbnails were made get theirs while the grid shows the originals.
  const thumbnailMade = useCallback((id: string, thumbnailUrl: string) => {
    setState((s) => ({ ...s, items: s.items.map((x) => (x.id === id ? { ...x, thumbnailUrl } : x)) }));
  }, []);
  useLazyThumbnails(open ? state.items : NONE, thumbnailMade);

  const full = room !== null && picked.length >= room;
  const toggle = (item: LibraryItem) =>
    setPicked((p) => (p.some((x) => x.id === item.id) ? p.filter((x) => x.id !== item.id) : full ? p : [...p, item]));

  return (
    <Dialog open={open} onClose={onClose} title="Media library" description="Pick what to attach; they appear in the order you pick them." className="dialog--form cmp-library">
      {state.status === 'loading' ? <p className="muted">Loading the library…</p> : null}
      {state.status === 'error' ? (
        <p className="inline-error" role="alert">
          Could not load the library: {messageOf(state.error)}{' '}
          <button type="button" className="link-button" onClick={() => setNonce((n) => n + 1)}>
            Try again
          </button>
        </p>
      ) : null}
      {state.status === 'ready' && state.items.length === 0 ? (
        <div className="empty cmp-library__empty">
          <p className="empty__title">The library is empty</p>
          <p className="empty__text">Pictures and videos you upload or drop on the composer are kept here, once each, to reuse in later posts.</p>
        </div>
      ) : null}
      {state.items.length > 0 ? (
        <>
          <ul className="cmp-library__grid" aria-label="Library items">
            {state.items.map((m) => {
              const on = attached.has(m.id);
              const order = picked.findIndex((x) => x.id === m.id);
              const selected = order >= 0;
              return (
                <li key={m.id}>
                  <button
                    type="button"
                    className={`cmp-library__item${selected ? ' is-picked' : ''}`}
                    aria-pressed={selected}
                    disabled={on || m.url === null || (full && !selected)}
                    onClick={() => toggle(m)}
                    title={m.filename}
                  >
                    {(m.kind === 'video' && !m.thumbnailUrl) || m.url === null ? (
                      <span className="cmp-library__video">
                        <Icon name="monitor" size={18} />
                        {m.kind === 'video' ? 'Video' : 'Not on this computer'}
                      </span>
                    ) : (
                      <img src={thumbnailSrc(m) ?? undefined} alt={m.altText ?? ''} loading="lazy" />
                    )}
                    <span className="cmp-library__name">
                      {m.filename}
                      <span className="visually-hidden">{on ? ' (already attached)' : ''}</span>
                    </span>
                    <span className="cmp-library__meta">
                      {m.kind === 'video' && m.thumbnailUrl ? 'Video · ' : ''}
                      {formatSize(m.sizeBytes)}
                      {m.altText ? ' · ALT' : ''}
                    </span>
                    {selected ? <span className="cmp-library__order">{order + 1}</span> : null}
                    {on ? <span className="cmp-library__order cmp-library__order--on">✓</span> : null}
                  </button>
                </li>
              );
            })}
          </ul>
          {state.items.length < state.total ? (
            <button type="button" className="button button--small cmp-library__more" onClick={() => void loadMore()}>
              Show more ({state.total - state.items.length} left)
            </button>
          ) : null}
        </>
      ) : null}
      <div className="form__actions">
        {full ? <span className="cmp-library__room">The chosen networks take no more.</span> : null}
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button--primary" disabled={picked.length === 0} onClick={() => onPick(picked)}>
          {picked.length === 0 ? 'Attach' : `Attach ${picked.length}`}
        </button>
      </div>
    </Dialog>
  );
}
