// The campaign's posts with their per-network figures, and a picker to attach existing posts
// (a post belongs to one campaign at most; the picker says when attaching moves one).
import { useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { int, pct, snippet, type CampaignDetail } from './campaign-format';

type Attachable = ApiOutput<'campaigns.attachablePosts'>;

function AttachDialog({ campaignId, open, onClose, onAttached }: { campaignId: string; open: boolean; onClose: () => void; onAttached: (n: number) => void }) {
  const [query, setQuery] = useState('');
  const [posts, setPosts] = useState<Attachable>([]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!open) return;
    let live = true;
    setLoading(true);
    const t = setTimeout(() => {
      call('campaigns.attachablePosts', { campaignId, query: query || undefined })
        .then((p) => {
          if (live) setPosts(p);
        })
        .catch((err: unknown) => {
          if (live) setError(`Could not list posts: ${messageOf(err)}`);
        })
        .finally(() => {
          if (live) setLoading(false);
        });
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [open, campaignId, query]);

  const attach = async () => {
    try {
      const r = await call('campaigns.attachPosts', { campaignId, postIds: [...chosen] });
      setChosen(new Set());
      onAttached(r.attached);
    } catch (err) {
      setError(`Could not attach: ${messageOf(err)}`);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="Attach posts" description="Pick posts from this workspace. A post in another campaign moves to this one." className="dialog--form">
      <div className="form">
        <input className="input" type="search" placeholder="Search post text" aria-label="Search posts" value={query} onChange={(e) => setQuery(e.target.value)} />
        {error ? (
          <p className="inline-error" role="alert">
            {error}
          </p>
        ) : null}
        <ul className="cpick" aria-label="Posts to attach" aria-busy={loading}>
          {posts.length === 0 && !loading ? <li className="empty--inline">No posts match. Write one in Compose first.</li> : null}
          {posts.map((p) => (
            <li key={p.id}>
              <label className="cpick__item">
                <input
                  type="checkbox"
                  checked={chosen.has(p.id)}
                  onChange={(e) =>
                    setChosen((s) => {
                      const n = new Set(s);
                      if (e.target.checked) n.add(p.id);
                      else n.delete(p.id);
                      return n;
                    })
                  }
                />
                <span className="cpick__text">{snippet(p.text)}</span>
                <span className="badge badge--soft">{p.status}</span>
                {p.campaignName ? <span className="cpick__note">in {p.campaignName}</span> : null}
              </label>
            </li>
          ))}
        </ul>
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" disabled={chosen.size === 0} onClick={() => void attach()}>
            Attach {chosen.size > 0 ? chosen.size : ''} {chosen.size === 1 ? 'post' : 'posts'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function PostsSection({ detail, onChanged, say }: { detail: CampaignDetail; onChanged: () => void; say: (t: string, error?: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const id = detail.campaign.id;
  const detach = async (postId: string) => {
    try {
      await call('campaigns.detachPost', { campaignId: id, postId });
      onChanged();
    } catch (err) {
      say(`Could not take the post out: ${messageOf(err)}`, true);
    }
  };
  return (
    <section className="csection" aria-labelledby="cposts-h">
      <div className="csection__head">
        <h2 id="cposts-h" className="csection__title">
          Posts
        </h2>
        <button type="button" className="button button--small" onClick={() => setOpen(true)}>
          Attach posts…
        </button>
      </div>
      {detail.posts.length === 0 ? (
        <p className="empty--inline">No posts yet. Attach the posts that belong to this campaign to see their engagement here.</p>
      ) : (
        <table className="ctable" aria-label="Campaign posts">
          <thead>
            <tr>
              <th scope="col">Post</th>
              <th scope="col">Networks</th>
              <th scope="col">Engagements</th>
              <th scope="col">Rate</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.posts.map((p) => {
              const measured = p.targets.filter((t) => t.reach !== null);
              const eng = measured.reduce((n, t) => n + (t.likes ?? 0) + (t.comments ?? 0) + (t.shares ?? 0), 0);
              const reach = measured.reduce((n, t) => n + (t.reach ?? 0), 0);
              return (
                <tr key={p.id}>
                  <td>{snippet(p.text, 70)}</td>
                  <td>{p.targets.map((t) => `${t.platform} (${t.status})`).join(', ') || p.status}</td>
                  <td>{measured.length ? int(eng) : '—'}</td>
                  <td>{reach > 0 ? pct(Math.round((eng / reach) * 10000) / 100) : '—'}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => void detach(p.id)} aria-label={`Take "${snippet(p.text, 30)}" out of the campaign`}>
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {open ? (
        <AttachDialog
          campaignId={id}
          open={open}
          onClose={() => setOpen(false)}
          onAttached={(n) => {
            setOpen(false);
            say(`Attached ${n} ${n === 1 ? 'post' : 'posts'}.`);
            onChanged();
          }}
        />
      ) : null}
    </section>
  );
}
