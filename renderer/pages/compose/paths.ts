// Where a post opens in Compose. One place, so every link (drafts list, calendar, queue) agrees.
// `/compose/<postId>` is the post's address; `?post=<id>` (older links) is still read.
export const POST_PARAM = 'post';

export function composePath(postId?: string | null): string {
  return postId ? `/compose/${encodeURIComponent(postId)}` : '/compose';
}

/** The post id in a Compose URL: the `/compose/<id>` route parameter or `?post=<id>`. */
export function postIdFrom(params: { postId?: string | undefined }, search: URLSearchParams): string | null {
  const id = params.postId ?? search.get(POST_PARAM);
  return id && /^[0-9a-zA-Z-]{8,64}$/.test(id) ? id : null;
}
