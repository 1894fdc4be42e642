// The range's top posts by engagements, each with "Post again" (a new draft from it).
import type { ApiOutput } from '../../../electron/api';
import { platformName } from '../accounts/account-labels';

type TopPost = ApiOutput<'analytics.dashboard'>['topPosts'][number];
const n = (v: number) => v.toLocaleString();

export function TopPosts({ posts, timezone, busyId, onPostAgain }: { posts: readonly TopPost[]; timezone: string; busyId: string | null; onPostAgain: (p: TopPost) => void }) {
  if (posts.length === 0) return <p className="muted">No post published in this range has figures yet.</p>;
  const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone });
  return (
    <div className="an-table-wrap">
      <table className="an-table" data-testid="analytics-top-posts">
        <thead>
          <tr>
            <th scope="col">Post</th>
            <th scope="col">Account</th>
            <th scope="col">Published</th>
            <th scope="col" className="num">Reach</th>
            <th scope="col" className="num">Likes</th>
            <th scope="col" className="num">Comments</th>
            <th scope="col" className="num">Shares</th>
            <th scope="col" className="num">Rate</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {posts.map((p) => (
            <tr key={p.targetId}>
              <td className="an-table__text" title={p.text}>
                {p.url ? (
                  <a href={p.url} target="_blank" rel="noreferrer noopener">
                    {p.text || '(no text)'}
                  </a>
                ) : (
                  p.text || '(no text)'
                )}
              </td>
              <td>
                {p.accountLabel} <span className="muted">· {platformName(p.platform)}</span>
              </td>
              <td>{date.format(p.publishedAt)}</td>
              <td className="num">{n(p.reach)}</td>
              <td className="num">{n(p.likes)}</td>
              <td className="num">{n(p.comments)}</td>
              <td className="num">{n(p.shares)}</td>
              <td className="num" title={p.engagementRate === null ? 'This network reports no reach, so there is no rate' : '(likes + comments + shares) / reach'}>
                {p.engagementRate === null ? '—' : `${p.engagementRate}%`}
              </td>
              <td>
                <button type="button" className="button button--small" disabled={busyId === p.targetId} onClick={() => onPostAgain(p)}>
                  {busyId === p.targetId ? 'Creating…' : 'Post again'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
