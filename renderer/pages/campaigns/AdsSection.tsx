// Paid results in the campaign view: its ad campaigns with summed figures, ad accounts (Meta,
// Google; credentials go in sealed and never come back), daily figures imported from each
// platform's CSV export, and linking an ad campaign imported earlier.
import { useCallback, useEffect, useState } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { int, money, type CampaignDetail } from './campaign-format';
import { ImportDialog } from './ImportDialog';

type AdAccount = ApiOutput<'ads.accounts'>[number];
type AdCampaign = ApiOutput<'ads.campaigns'>[number];

const PLATFORM: Record<string, string> = { meta: 'Meta Ads', google: 'Google Ads' };
const EXPORT_HELP = {
  meta: 'In Ads Manager: Reports → Export table data (.csv), with Breakdown → By time → Day.',
  google: 'In Google Ads: Reports → Predefined → Campaign, segment by Day, Download → .csv.',
};

function AccountDialog({ open, workspaceId, onClose, onCreated }: { open: boolean; workspaceId: string; onClose: () => void; onCreated: (a: AdAccount) => void }) {
  const [platform, setPlatform] = useState<'meta' | 'google'>('meta');
  const [externalId, setExternalId] = useState('');
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState('USD');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      const a = await call('ads.accountCreate', {
        workspaceId,
        platform,
        externalAccountId: externalId,
        name: name || null,
        currency: currency || null,
        credentials: token ? (platform === 'meta' ? { accessToken: token } : { developerToken: token }) : undefined,
      });
      onCreated(a);
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <Dialog open={open} onClose={onClose} title="Add an ad account" className="dialog--form">
      <div className="form">
        <label className="field">
          <span className="field__label">Platform</span>
          <select className="input" value={platform} onChange={(e) => setPlatform(e.target.value as 'meta' | 'google')}>
            <option value="meta">Meta Ads (Facebook, Instagram)</option>
            <option value="google">Google Ads</option>
          </select>
        </label>
        <label className="field">
          <span className="field__label">{platform === 'meta' ? 'Ad account id' : 'Customer id'}</span>
          <input className="input" value={externalId} onChange={(e) => setExternalId(e.target.value)} placeholder={platform === 'meta' ? 'act_1234567890' : '123-456-7890'} />
        </label>
        <div className="cform__row">
          <label className="field">
            <span className="field__label">
              Name <span className="field__optional">optional</span>
            </span>
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="field">
            <span className="field__label">Currency</span>
            <input className="input" value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value)} />
          </label>
        </div>
        <label className="field">
          <span className="field__label">
            {platform === 'meta' ? 'Access token' : 'Developer token'} <span className="field__optional">optional, stored encrypted</span>
          </span>
          <input className="input" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
          <span className="field__hint">Figures are imported from CSV exports today; the token is kept for fetching them directly.</span>
        </label>
        {error ? (
          <p className="form__error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={() => void save()}>
            Add account
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function AdsSection({ detail, workspaceId, onChanged, say }: { detail: CampaignDetail; workspaceId: string; onChanged: () => void; say: (t: string, error?: boolean) => void }) {
  const [accounts, setAccounts] = useState<AdAccount[]>([]);
  const [others, setOthers] = useState<AdCampaign[]>([]);
  const [accountId, setAccountId] = useState('');
  const [importing, setImporting] = useState(false);
  const [adding, setAdding] = useState(false);
  const id = detail.campaign.id;

  const load = useCallback(async () => {
    try {
      const [a, all] = await Promise.all([call('ads.accounts', { workspaceId }), call('ads.campaigns', { workspaceId })]);
      setAccounts(a);
      setOthers(all.filter((c) => c.campaignId !== id));
      setAccountId((cur) => cur || a[0]?.id || '');
    } catch (err) {
      say(`Could not load the ad accounts: ${messageOf(err)}`, true);
    }
  }, [workspaceId, id, say]);
  useEffect(() => {
    void load();
  }, [load, detail]);

  const link = async (adCampaignId: string, campaignId: string | null) => {
    try {
      await call('ads.linkCampaign', { adCampaignId, campaignId });
      onChanged();
    } catch (err) {
      say(`Could not change the link: ${messageOf(err)}`, true);
    }
  };
  const account = accounts.find((a) => a.id === accountId);

  return (
    <section className="csection" aria-labelledby="cads-h">
      <div className="csection__head">
        <h2 id="cads-h" className="csection__title">
          Ads
        </h2>
        <div className="csection__actions">
          <button type="button" className="button button--small" onClick={() => setAdding(true)}>
            Add ad account…
          </button>
          <button type="button" className="button button--small" onClick={() => setImporting(true)} disabled={accounts.length === 0} title={accounts.length === 0 ? 'Add an ad account first' : undefined}>
            Import ad figures…
          </button>
        </div>
      </div>
      {detail.ads.length === 0 ? (
        <p className="empty--inline">
          No ad campaigns yet. {accounts.length === 0 ? 'Add your Meta or Google ad account, then import its CSV export.' : 'Import an export from your ad account, or link an ad campaign below.'}
        </p>
      ) : (
        <table className="ctable" aria-label="Ad campaigns">
          <thead>
            <tr>
              <th scope="col">Ad campaign</th>
              <th scope="col">Days</th>
              <th scope="col">Impressions</th>
              <th scope="col">Clicks</th>
              <th scope="col">Conversions</th>
              <th scope="col">Spend</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {detail.ads.map((a) => (
              <tr key={a.id}>
                <td>
                  {a.name} <span className="cpick__note">{PLATFORM[a.platform] ?? a.platform}</span>
                </td>
                <td>{a.days === 0 ? '—' : `${a.days} (${a.firstDate} – ${a.lastDate})`}</td>
                <td>{int(a.impressions)}</td>
                <td>{int(a.clicks)}</td>
                <td>{int(a.conversions)}</td>
                <td>{money(a.spend, a.currency)}</td>
                <td>
                  <button type="button" className="link-button" onClick={() => void link(a.id, null)}>
                    Unlink
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 ? (
        <label className="field cads__link">
          <span className="field__label">Link an ad campaign</span>
          <select
            className="input"
            value=""
            onChange={(e) => {
              if (e.target.value) void link(e.target.value, id);
            }}
          >
            <option value="">Choose…</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({PLATFORM[o.platform] ?? o.platform}
                {o.campaignId ? ', in another campaign' : ''})
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {accounts.length > 0 ? (
        <p className="casset__hint">
          Ad accounts: {accounts.map((a) => `${PLATFORM[a.platform] ?? a.platform} ${a.name ?? a.externalAccountId}${a.hasCredentials ? ' (credentials saved)' : ''}`).join(' · ')}
        </p>
      ) : null}
      <AccountDialog
        open={adding}
        workspaceId={workspaceId}
        onClose={() => setAdding(false)}
        onCreated={(a) => {
          setAdding(false);
          setAccountId(a.id);
          say(`Added ${PLATFORM[a.platform] ?? a.platform} account ${a.externalAccountId}.`);
          void load();
        }}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        title="Import ad figures"
        description={account && (account.platform === 'meta' || account.platform === 'google') ? EXPORT_HELP[account.platform] : 'Pick the ad account the export comes from.'}
        ready={accountId !== ''}
        run={(csv, o) => call('ads.importMetrics', { adAccountId: accountId, campaignId: id, csv, mode: o.mode, dryRun: o.dryRun })}
        onImported={(r) => {
          say(r.message);
          onChanged();
        }}
      >
        <label className="field">
          <span className="field__label">Ad account</span>
          <select className="input" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {PLATFORM[a.platform] ?? a.platform} · {a.name ?? a.externalAccountId}
              </option>
            ))}
          </select>
        </label>
      </ImportDialog>
    </section>
  );
}
