// Where a post opens in Compose. One place, so every link (drafts list, calendar, queue) agrees.
// `/compose/<postId>` needs its own route next to the area's `/compose`; until the router has it,
// the id travels as `?post=<id>`, which the page reads either way.
export const POST_PARAM = 'post';

export function composePath(postId?: string | null): string {
  return postId ? `/compose?${POST_PARAM}=${encodeURIComponent(postId)}` : '/compose';
}

/** The post id in a Compose URL: the `/compose/<id>` route parameter or `?post=<id>`. */
export function postIdFrom(params: { postId?: string | undefined }, search: URLSearchParams): string | null {
  const id = params.postId ?? search.get(POST_PARAM);
  return id && /^[0-9a-zA-Z-]{8,64}$/.test(id) ? id : null;
}
