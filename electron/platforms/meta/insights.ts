// Insights for one post or media object. Meta renames and retires insight metrics often (several
// Page post metrics went in 2025, Instagram's `impressions` gave way to `views`), and one retired
// name fails the whole request with code 100. So a refused metric list is not an error here: the
// caller falls back to the counts every object carries, and only what Meta reported is returned.
import type { ConnectorAccount, MetricName } from '../connector';
import { PlatformError } from '../errors';
import type { GraphClient } from './graph';
import { insightsSchema } from './schemas';

export type MetricMap = Readonly<Record<string, MetricName>>;

export async function readInsights(
  graph: GraphClient,
  account: ConnectorAccount,
  objectId: string,
  metrics: MetricMap,
  signal?: AbortSignal,
): Promise<Partial<Record<MetricName, number>> | null> {
  let data;
  try {
    data = await graph.call(
      account.baseUrl,
      {
        method: 'GET',
        path: `${objectId}/insights`,
        token: account.credentials.accessToken,
        query: { metric: Object.keys(metrics).join(',') },
        ...(signal ? { signal } : {}),
      },
      insightsSchema,
    );
  } catch (err) {
    if (err instanceof PlatformError && err.category === 'validation' && (err.code === '100' || err.code?.startsWith('100/'))) return null;
    throw err;
  }
  const values: Partial<Record<MetricName, number>> = {};
  for (const row of data.data) {
    const name = metrics[row.name];
    if (name === undefined) continue;
    const value = row.total_value?.value ?? row.values?.[0]?.value;
    if (typeof value === 'number') values[name] = value;
  }
  return values;
}
