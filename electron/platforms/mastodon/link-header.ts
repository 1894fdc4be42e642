// Mastodon pages lists through the HTTP Link header (RFC 8288), not through ids in the body: some
// lists page by an id the body never shows (conversations page by their last status id). So the
// cursor is whatever max_id the server put in rel="next".

/** Every link of a Link header by its relation: `<url>; rel="next", <url>; rel="prev"`. */
export function parseLinkHeader(value: string | null): Map<string, string> {
  const links = new Map<string, string>();
  if (value === null) return links;
  // A comma may appear inside <...> (in a query), so split on the commas that start a new link.
  for (const part of value.split(/,\s*(?=<)/)) {
    const match = /^\s*<([^>]*)>\s*((?:;\s*[^;]+)*)$/.exec(part);
    if (!match) continue;
    const [, url, params] = match;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(params ?? '');
    if (url === undefined || !rel?.[1]) continue;
    // rel may list several relation types separated by spaces.
    for (const r of rel[1].trim().split(/\s+/)) if (!links.has(r.toLowerCase())) links.set(r.toLowerCase(), url);
  }
  return links;
}

/** The max_id of the next (older) page, or null when the server offers none. */
export function nextMaxId(headers: Headers): string | null {
  const next = parseLinkHeader(headers.get('link')).get('next');
  if (next === undefined) return null;
  try {
    return new URL(next).searchParams.get('max_id');
  } catch {
    return null;
  }
}
