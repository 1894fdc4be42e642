// Analytics: what works, per post, account and network, for a range of days in the workspace's
// timezone. Totals with their change, engagement over time and per account/platform (uPlot), top
// posts with "Post again", best posting times, CSV/PDF exports and "Fetch metrics now". Figures
// refresh when new metrics are stored ('analytics.changed').
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiInput, ApiOutput } from '../../../electron/api';
import { call, messageOf, onEvent } from '../../api/client';
import { Page } from '../../components/Page';
import { useCurrentWorkspace } from '../../stores/workspaces';
import { platformName } from '../accounts/account-labels';
import { BreakdownChart, EngagementChart } from './Charts';
import { BestTimes } from './Heatmap';
import { TopPosts } from './TopPosts';
import './analytics.css';

type Dashboard = ApiOutput<'analytics.dashboard'>;
type Accounts = ApiOutput<'accounts.list'>;
type Query = ApiInput<'analytics.dashboard'>;
type Preset = 7 | 30 | 90 | 'custom';

const PRESETS: Preset[] = [7, 30, 90, 'custom'];
const TOTALS: { key: keyof Dashboard['totals']; label: string; unit?: string }[] = [
  { key: 'posts', label: 'Posts published' },
  { key: 'reach', label: 'Reach' },
  { key: 'impressions', label: 'Impressions' },
  { key: 'engagements', label: 'Engagements' },
  { key: 'engagementRate', label: 'Engagement rate', unit: '%' },
  { key: 'clicks', label: 'Clicks' },
];

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Save bytes the API returned as a file the browser downloads (web and desktop alike). */
function download(file: { fileName: string; mimeType: string; contentBase64: string }): void {
  const bin = atob(file.contentBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AnalyticsPage() {
  const ws = useCurrentWorkspace();
  const wsId = ws?.id ?? null;
  const [preset, setPreset] = useState<Preset>(30);
  const [custom, setCustom] = useState(() => ({ from: isoDay(new Date(Date.now() - 29 * 86_400_000)), to: isoDay(new Date()) }));
  const [accountId, setAccountId] = useState('');
  const [platform, setPlatform] = useState('');
  const [accounts, setAccounts] = useState<Accounts>([]);
  const [data, setData] = useState<Dashboard | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const asked = useRef(0);

  const query = useMemo<Query | null>(() => {
    if (!wsId) return null;
    const range = preset === 'custom' ? { from: custom.from, to: custom.to } : { days: preset };
    return {
      workspaceId: wsId,
      range,
      ...(accountId ? { accountIds: [accountId] } : {}),
      ...(platform ? { platforms: [platform as NonNullable<Query['platforms']>[number]] } : {}),
    };
  }, [wsId, preset, custom, accountId, platform]);

  const load = useCallback(async () => {
    if (!query) return;
    const n = ++asked.current;
    setLoading(true);
    try {
      const d = await call('analytics.dashboard', query);
      // A slower answer to an older question must not replace the newer one.
      if (n !== asked.current) return;
      setData(d);
      setError(null);
    } catch (err) {
      if (n === asked.current) setError(messageOf(err));
    } finally {
      if (n === asked.current) setLoading(false);
    }
  }, [query]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    if (!wsId) return;
    call('accounts.list', { workspaceId: wsId })
      .then(setAccounts)
      .catch(() => setAccounts([]));
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Several accounts finishing together refetch once.
    const off = onEvent('analytics.changed', (p) => {
      if (p.workspaceId !== wsId) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(), 500);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [wsId, load]);

  const platforms = useMemo(() => [...new Set(accounts.map((a) => a.platform))], [accounts]);

  const run = async (key: string, fn: () => Promise<string>, failed: string) => {
    setBusy(key);
    setNotice(null);
    try {
      setNotice({ text: await fn(), error: false });
    } catch (err) {
      setNotice({ text: `${failed}: ${messageOf(err)}`, error: true });
    } finally {
      setBusy(null);
    }
  };

  const exportFile = (kind: 'csv' | 'pdf') =>
    run(
      kind,
      async () => {
        if (!query) return '';
        const file = kind === 'csv' ? await call('analytics.exportCsv', query) : await call('analytics.exportPdf', query);
        download(file);
        return `Saved ${file.fileName}.`;
      },
      `Could not export the ${kind.toUpperCase()}`,
    );

  const refreshMetrics = () =>
    run(
      'refresh',
      async () => {
        if (!wsId) return '';
        const r = await call('analytics.refresh', { workspaceId: wsId, ...(accountId ? { accountId } : {}) });
        return r.queued === 0 ? 'Metrics are already being fetched (or no connected account offers them).' : `Fetching metrics for ${r.queued} account${r.queued === 1 ? '' : 's'}; the figures update when they arrive.`;
      },
      'Could not fetch metrics',
    );

  if (!ws || !wsId) return null;
  const tz = data?.range.timezone ?? ws.timezone;

  return (
    <Page
      title="Analytics"
      subtitle={data?.lastFetchedAt ? `Figures fetched up to ${new Date(data.lastFetchedAt).toLocaleString()}` : 'Figures come from each network, fetched on a schedule'}
      actions={
        <>
          <button type="button" className="button" onClick={() => void refreshMetrics()} disabled={busy !== null}>
            {busy === 'refresh' ? 'Asking…' : 'Fetch metrics now'}
          </button>
          <button type="button" className="button" onClick={() => void exportFile('csv')} disabled={busy !== null || !data}>
            {busy === 'csv' ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" className="button button--primary" onClick={() => void exportFile('pdf')} disabled={busy !== null || !data}>
            {busy === 'pdf' ? 'Building…' : 'PDF report'}
          </button>
        </>
      }
    >
      <div className="analytics" aria-busy={loading}>
        <div className="an-bar" role="group" aria-label="Range and filters">
          <div className="an-presets" role="group" aria-label="Range">
            {PRESETS.map((p) => (
              <button key={p} type="button" aria-pressed={preset === p} onClick={() => setPreset(p)}>
                {p === 'custom' ? 'Custom' : `${p} days`}
              </button>
            ))}
          </div>
          {preset === 'custom' ? (
            <>
              <label>
                From
                <input className="input" type="date" value={custom.from} max={custom.to} onChange={(e) => e.target.value && setCustom((c) => ({ ...c, from: e.target.value }))} />
              </label>
              <label>
                To
                <input className="input" type="date" value={custom.to} min={custom.from} onChange={(e) => e.target.value && setCustom((c) => ({ ...c, to: e.target.value }))} />
              </label>
            </>
          ) : null}
          <label>
            Account
            <select className="input" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">All accounts</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.username ?? a.displayName ?? a.platform} · {platformName(a.platform)}
                </option>
              ))}
            </select>
          </label>
          <label>
            Network
            <select className="input" value={platform} onChange={(e) => setPlatform(e.target.value)}>
              <option value="">All networks</option>
              {platforms.map((p) => (
                <option key={p} value={p}>
                  {platformName(p)}
                </option>
              ))}
            </select>
          </label>
          {loading && data ? <span className="muted" role="status">Updating…</span> : null}
        </div>

        {notice ? (
          <p className={notice.error ? 'inline-error' : 'muted'} role={notice.error ? 'alert' : 'status'}>
            {notice.text}
          </p>
        ) : null}
        {error ? (
          <p className="inline-error" role="alert">
            Could not load the figures: {error}{' '}
            <button type="button" className="link-button" onClick={() => void load()}>
              Try again
            </button>
          </p>
        ) : null}

        {!data ? (
          error ? null : <p className="muted" role="status">Loading figures…</p>
        ) : data.empty ? (
          <div className="an-empty" data-testid="analytics-empty">
            <h2>Nothing to measure yet</h2>
            <p className="muted">
              Connect an account and publish a post: its likes, comments, shares and reach are fetched from the network over the following days and show up here.
            </p>
            <p>
              <a className="button button--primary" href="#/accounts">
                Connect an account
              </a>{' '}
              <a className="button" href="#/compose">
                Write a post
              </a>
            </p>
          </div>
        ) : (
          <>
            <dl className="an-totals" aria-label={`Totals for ${data.range.from} to ${data.range.to}`}>
              {TOTALS.map((t) => {
                const v = data.totals[t.key];
                const ch = data.change[t.key];
                return (
                  <div className="an-total" key={t.key}>
                    <dt>{t.label}</dt>
                    <dd data-testid={`analytics-total-${t.key}`}>
                      {v === null ? '—' : `${v.toLocaleString()}${t.unit ?? ''}`}
                      <span className={`an-change${ch === null || ch === undefined ? '' : ch >= 0 ? ' is-up' : ' is-down'}`}>
                        {ch === null || ch === undefined ? 'no earlier figures to compare' : `${ch > 0 ? '+' : ''}${ch}% vs previous ${data.range.days} days`}
                      </span>
                    </dd>
                  </div>
                );
              })}
            </dl>

            <section className="an-section" aria-labelledby="an-over-time">
              <h2 id="an-over-time">Engagement over time</h2>
              <p className="muted">
                Likes, comments and shares of the posts published each day ({data.range.from} to {data.range.to}, {tz}), with their reach.
              </p>
              <EngagementChart series={data.series} />
            </section>

            <div className="an-two">
              <section className="an-section" aria-labelledby="an-accounts">
                <h2 id="an-accounts">By account</h2>
                {data.byAccount.length === 0 ? (
                  <p className="muted">No posts in this range.</p>
                ) : (
                  <BreakdownChart
                    rows={data.byAccount.map((a) => ({ ...a, short: a.label, label: `${a.label} · ${platformName(a.platform)}` }))}
                    label="Engagements per account"
                    testId="analytics-chart-accounts"
                  />
                )}
              </section>
              <section className="an-section" aria-labelledby="an-platforms">
                <h2 id="an-platforms">By network</h2>
                {data.byPlatform.length === 0 ? (
                  <p className="muted">No posts in this range.</p>
                ) : (
                  <BreakdownChart rows={data.byPlatform.map((p) => ({ ...p, label: platformName(p.platform) }))} label="Engagements per network" testId="analytics-chart-platforms" />
                )}
              </section>
            </div>

            <section className="an-section" aria-labelledby="an-top">
              <h2 id="an-top">Top posts</h2>
              <TopPosts
                posts={data.topPosts}
                timezone={tz}
                busyId={busy}
                onPostAgain={(p) =>
                  void run(
                    p.targetId,
                    async () => {
                      const draft = await call('analytics.postAgain', { workspaceId: wsId, targetId: p.targetId });
                      window.location.hash = `#/compose/${draft.id}`;
                      return 'A new draft was made from that post.';
                    },
                    'Could not make a draft from that post',
                  )
                }
              />
            </section>

            <section className="an-section" aria-labelledby="an-times">
              <h2 id="an-times">Best times to post</h2>
              <BestTimes heatmap={data.heatmap} timezone={tz} />
            </section>
          </>
        )}
      </div>
    </Page>
  );
}
