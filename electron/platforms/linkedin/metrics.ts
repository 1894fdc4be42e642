// Counts LinkedIn reports: likes and comments for any post (socialActions), and for a Page's posts
// also impressions, reach, clicks and reshares (organizationalEntityShareStatistics). Members get
// no impression figures from the API, so those stay absent rather than zero.
import type { ConnectorAccount, MetricName, PostMetrics } from '../connector';
import { PlatformError } from '../errors';
import { type LinkedInApi, encodeUrn } from './api';
import { isOrganizationUrn } from './config';
import { restrictedRead } from './permissions';
import { shareStatistics, socialActions } from './schemas';

type Values = Partial<Record<MetricName, number>>;

function put(values: Values, name: MetricName, value: number | undefined): void {
  if (value !== undefined) values[name] = value;
}

/** Rest.li 2.0 list syntax; URLSearchParams would encode the parentheses and commas it needs. */
function restliList(urns: readonly string[]): string {
  return `List(${urns.map(encodeUrn).join(',')})`;
}

async function pageStatistics(api: LinkedInApi, account: ConnectorAccount, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, Values>> {
  const shares = ids.filter((id) => id.startsWith('urn:li:share:'));
  const ugcPosts = ids.filter((id) => id.startsWith('urn:li:ugcPost:'));
  const out = new Map<string, Values>();
  if (shares.length === 0 && ugcPosts.length === 0) return out;
  const params = [`q=organizationalEntity`, `organizationalEntity=${encodeUrn(account.platformAccountId)}`];
  if (shares.length > 0) params.push(`shares=${restliList(shares)}`);
  if (ugcPosts.length > 0) params.push(`ugcPosts=${restliList(ugcPosts)}`);
  const { data } = await api.json(
    account,
    { method: 'GET', path: `/rest/organizationalEntityShareStatistics?${params.join('&')}`, ...(signal === undefined ? {} : { signal }) },
    shareStatistics,
  );
  for (const el of data.elements) {
    const id = el.share ?? el.ugcPost;
    if (id === undefined) continue;
    const s = el.totalShareStatistics;
    const values: Values = {};
    put(values, 'impressions', s.impressionCount);
    put(values, 'reach', s.uniqueImpressionsCount);
    put(values, 'clicks', s.clickCount);
    put(values, 'likes', s.likeCount);
    put(values, 'replies', s.commentCount);
    put(values, 'reposts', s.shareCount);
    out.set(id, values);
  }
  return out;
}

export async function fetchPostMetrics(api: LinkedInApi, account: ConnectorAccount, ids: readonly string[], signal?: AbortSignal): Promise<readonly PostMetrics[]> {
  const author = account.platformAccountId;
  try {
    const stats = isOrganizationUrn(author) ? await pageStatistics(api, account, ids, signal) : new Map<string, Values>();
    const results: PostMetrics[] = [];
    for (const id of ids) {
      const values: Values = { ...stats.get(id) };
      try {
        const { data } = await api.json(
          account,
          { method: 'GET', path: `/rest/socialActions/${encodeUrn(id)}`, ...(signal === undefined ? {} : { signal }) },
          socialActions,
        );
        // The live counters win over the statistics, which LinkedIn computes with a delay.
        put(values, 'likes', data.likesSummary?.totalLikes);
        put(values, 'replies', data.commentsSummary?.aggregatedTotalComments);
      } catch (err) {
        // A deleted post has no counts; leave it out instead of failing the others.
        if (err instanceof PlatformError && err.status === 404) continue;
        throw err;
      }
      results.push({ platformPostId: id, fetchedAt: api.now(), values });
    }
    return results;
  } catch (err) {
    throw restrictedRead(err, author, 'the likes and comments');
  }
}
