// The drafts list in words: which posts count as "still being written", how one reads in a line,
// and newest first. Pure, so tested without a browser.
import type { ApiInput, ApiOutput } from '../../../electron/api';

export type ListedPost = ApiOutput<'posts.list'>['items'][number];
type Status = NonNullable<ApiInput<'posts.list'>['statuses']>[number];

/** Posts the author may still change before they go out. */
export const DRAFT_STATUSES: readonly Status[] = ['draft', 'pending_approval', 'approved', 'rejected', 'failed'];

/** The first line of the text, shortened on a word; "(no text yet)" when empty. */
export function snippet(text: string, max = 110): string {
  const line = text.trim().split(/\n+/)[0]?.trim() ?? '';
  if (line === '') return '(no text yet)';
  const chars = [...line];
  if (chars.length <= max) return line;
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export function newestFirst(posts: readonly ListedPost[]): ListedPost[] {
  return [...posts].sort((a, b) => b.updatedAt - a.updatedAt);
}

/** "Bluesky, Mastodon" — the networks a post goes to, each once, in the order first seen. */
export function networksOf(post: Pick<ListedPost, 'targets'>): string[] {
  return [...new Set(post.targets.map((t) => t.platform))];
}
