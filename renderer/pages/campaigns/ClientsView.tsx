// The client overview tab (for agencies, each workspace is a client): one line per client for a
// month with posts published, engagement, ad spend and AI cost, and "Record for billing", which
// writes the month's AI use per client into client_billing.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { int, moneyList, pct, thisMonth } from './campaign-format';

type Overview = ApiOutput<'clients.overview'>;

const usd = (n: number) => `$${n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: n < 1 && n > 0 ? 4 : 2 })}`;

export function ClientsView({ say }: { say: (t: string, error?: boolean) => void }) {
  const [month, setMonth] = useState(thisMonth());
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await call('clients.overview', { month }));
      setError(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }, [month]);
  useEffect(() => {
    void load();
  }, [load]);

  const bill = async () => {
    setBusy(true);
    try {
      setData(await call('clients.recordBilling', { month }));
      say(`Recorded each client's AI use for ${month} for billing.`);
    } catch (err) {
      say(`Could not record billing: ${messageOf(err)}`, true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cclients">
      <div className="clibrary__bar">
        <label className="field cclients__month">
          <span className="field__label">Month (UTC)</span>
          <input className="input" type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
        <button type="button" className="button" disabled={busy || !data} onClick={() => void bill()}>
          Record AI cost for billing
        </button>
      </div>
      {error ? (
        <p className="inline-error" role="alert">
          Could not load the overview: {error}
        </p>
      ) : null}
      {data ? (
        <table className="ctable" aria-label={`Clients in ${month}`}>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Posts published</th>
              <th scope="col">Engagements</th>
              <th scope="col">Engagement rate</th>
              <th scope="col">Active campaigns</th>
              <th scope="col">Ad spend</th>
              <th scope="col">AI cost</th>
              <th scope="col">Billed</th>
            </tr>
          </thead>
          <tbody>
            {data.clients.map((c) => (
              <tr key={c.workspaceId}>
                <th scope="row">
                  {c.name}
                  {c.archived ? ' (archived)' : ''}
                </th>
                <td>{int(c.postsPublished)}</td>
                <td>{int(c.engagements)}</td>
                <td>{pct(c.engagementRate)}</td>
                <td>{int(c.activeCampaigns)}</td>
                <td>{moneyList(c.adSpend)}</td>
                <td>
                  {usd(c.ai.costUsd)} <span className="cpick__note">· {int(c.ai.tokens)} tokens</span>
                </td>
                <td>{c.billed ? usd(c.billed.costUsd) : '—'}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All clients</th>
              <td>{int(data.totals.postsPublished)}</td>
              <td>{int(data.totals.engagements)}</td>
              <td />
              <td />
              <td />
              <td>{usd(data.totals.aiCostUsd)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      ) : null}
    </div>
  );
}
