// Campaigns: the list and one campaign's view (its posts, ads and assets, with totals organic and
// paid side by side, and CSV imports of conversions and events), the component library, and the
// client overview for agencies (here rather than in Settings: it is a monthly results report, read
// next to the campaigns it sums up).
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, messageOf, onEvent } from '../../api/client';
import { Page } from '../../components/Page';
import { useCurrentWorkspace } from '../../stores/workspaces';
import { AdsSection } from './AdsSection';
import { AssetsSection } from './AssetsSection';
import { dateRange, moneyList, STATUS_LABELS, type CampaignDetail, type CampaignItem } from './campaign-format';
import { CampaignForm, type CampaignFormValues } from './CampaignForm';
import './campaigns.css';
import { ClientsView } from './ClientsView';
import { ImportDialog } from './ImportDialog';
import { LibraryView } from './LibraryView';
import { PostsSection } from './PostsSection';
import { TotalsPanel } from './TotalsPanel';

type Tab = 'campaigns' | 'library' | 'clients';

/** ", $34.50 spent (9%)" when the ads spent in the budget's currency. */
function spentOf(d: CampaignDetail): string {
  const b = d.campaign.budget;
  const spent = d.totals.ads.spend.find((s) => s.currency === b?.currency);
  if (!b || !spent) return '';
  return `, ${moneyList([spent])} spent${b.amount > 0 ? ` (${Math.round((spent.amount / b.amount) * 100)}%)` : ''}`;
}
const TABS: { id: Tab; label: string }[] = [
  { id: 'campaigns', label: 'Campaigns' },
  { id: 'library', label: 'Library' },
  { id: 'clients', label: 'Clients' },
];

export function CampaignsPage() {
  const ws = useCurrentWorkspace();
  const wsId = ws?.id ?? null;
  const [tab, setTab] = useState<Tab>('campaigns');
  const [list, setList] = useState<CampaignItem[] | null>(null);
  const [showArchived, setShowArchived] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [detail, setDetail] = useState<CampaignDetail | null>(null);
  const [editing, setEditing] = useState<'new' | 'edit' | null>(null);
  const [importing, setImporting] = useState<'conversions' | 'events' | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notices, setNotices] = useState<{ id: number; text: string; error: boolean }[]>([]);
  const noticeId = useRef(0);

  const say = useCallback((text: string, error = false) => setNotices((n) => [...n.slice(-3), { id: ++noticeId.current, text, error }]), []);

  const loadList = useCallback(async () => {
    if (!wsId) return;
    try {
      const l = await call('campaigns.list', { workspaceId: wsId, includeArchived: showArchived });
      setList(l);
      setLoadError(null);
      setSelected((cur) => (cur && l.some((c) => c.id === cur) ? cur : (l[0]?.id ?? null)));
    } catch (err) {
      setLoadError(messageOf(err));
    }
  }, [wsId, showArchived]);

  const loadDetail = useCallback(async () => {
    if (!selected) return setDetail(null);
    try {
      setDetail(await call('campaigns.get', { campaignId: selected }));
    } catch (err) {
      setLoadError(messageOf(err));
    }
  }, [selected]);

  const refresh = useCallback(() => {
    void loadList();
    void loadDetail();
  }, [loadList, loadDetail]);

  useEffect(() => {
    setList(null);
    setSelected(null);
    void loadList();
  }, [loadList]);
  useEffect(() => {
    void loadDetail();
  }, [loadDetail]);
  useEffect(() => {
    if (!wsId) return;
    // Imports, edits from another window, posts published by the scheduler: look again, at most every 300 ms.
    let timer: ReturnType<typeof setTimeout> | null = null;
    const later = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, 300);
    };
    const offs = [
      onEvent('campaigns.changed', (p) => {
        if (p.workspaceId === wsId) later();
      }),
      onEvent('posts.changed', (p) => {
        if (p.workspaceId === wsId) later();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      if (timer) clearTimeout(timer);
    };
  }, [wsId, refresh]);

  const submit = async (v: CampaignFormValues) => {
    if (!wsId) return;
    if (editing === 'edit' && detail) {
      await call('campaigns.update', { campaignId: detail.campaign.id, ...v });
    } else {
      const c = await call('campaigns.create', { workspaceId: wsId, ...v });
      setSelected(c.id);
      say(`Created “${c.name}”.`);
    }
    setEditing(null);
    refresh();
  };

  const archive = async (c: CampaignItem | CampaignDetail['campaign'], archived: boolean) => {
    try {
      await call('campaigns.archive', { campaignId: c.id, archived });
      say(archived ? `Archived “${c.name}”. Show archived to find it again.` : `“${c.name}” is back.`);
      refresh();
    } catch (err) {
      say(`Could not ${archived ? 'archive' : 'restore'} “${c.name}”: ${messageOf(err)}`, true);
    }
  };

  if (!ws || !wsId) return null;
  const current = list?.find((c) => c.id === selected) ?? null;

  return (
    <Page
      title="Campaigns"
      subtitle="Posts, ads and assets per campaign, with what they brought in"
      actions={
        tab === 'campaigns' ? (
          <button type="button" className="button button--primary" onClick={() => setEditing('new')}>
            New campaign
          </button>
        ) : null
      }
    >
      <div className="campaigns">
        <div className="segmented segmented--labels" role="tablist" aria-label="Campaigns views">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={`segmented__option${tab === t.id ? ' is-checked' : ''}`} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <div className="cnotices" aria-live="polite">
          {notices.map((n) => (
            <p key={n.id} className={n.error ? 'inline-error' : 'cok'} role={n.error ? 'alert' : undefined}>
              {n.text}
            </p>
          ))}
        </div>
        {loadError ? (
          <p className="inline-error" role="alert">
            Could not load campaigns: {loadError}{' '}
            <button type="button" className="link-button" onClick={refresh}>
              Try again
            </button>
          </p>
        ) : null}

        {tab === 'library' ? <LibraryView workspaceId={wsId} say={say} /> : null}
        {tab === 'clients' ? <ClientsView say={say} /> : null}
        {tab === 'campaigns' ? (
          <div className="campaigns__split">
            <nav className="clist" aria-label="Campaign list">
              {list === null ? <p role="status">Loading…</p> : null}
              {list?.length === 0 ? (
                <div className="empty">
                  <p className="empty__title">No campaigns yet</p>
                  <p className="empty__text">A campaign groups posts, ads and assets around one goal, and adds up what they brought in.</p>
                </div>
              ) : null}
              <ul>
                {list?.map((c) => (
                  <li key={c.id}>
                    <button type="button" className={`clist__item${c.id === selected ? ' is-selected' : ''}`} aria-current={c.id === selected ? 'true' : undefined} onClick={() => setSelected(c.id)}>
                      <span className="clist__name">{c.name}</span>
                      <span className="clist__meta">
                        {STATUS_LABELS[c.status]} · {c.postCount} posts · {c.adCampaignCount} ads · {c.componentCount} assets
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              <label className="clist__archived">
                <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> Show archived
              </label>
            </nav>
            <div className="cdetail">
              {detail && current && detail.campaign.id === current.id ? (
                <>
                  <header className="cdetail__head">
                    <div>
                      <h2 className="cdetail__title">{detail.campaign.name}</h2>
                      <p className="cdetail__meta">
                        <span className={`badge cstatus--${detail.campaign.status}`}>{STATUS_LABELS[detail.campaign.status]}</span> {dateRange(detail.campaign.startsAt, detail.campaign.endsAt)}
                        {detail.campaign.budget ? ` · Budget ${moneyList([detail.campaign.budget])}${spentOf(detail)}` : ''}
                      </p>
                      {detail.campaign.goals.length ? <p className="cdetail__goal">Goal: {detail.campaign.goals.join('; ')}</p> : null}
                      {detail.campaign.targetAudience ? <p className="cdetail__goal">Audience: {detail.campaign.targetAudience}</p> : null}
                    </div>
                    <div className="csection__actions">
                      <button type="button" className="button button--small" onClick={() => setEditing('edit')}>
                        Edit
                      </button>
                      <button type="button" className="button button--small" onClick={() => setImporting('conversions')}>
                        Import conversions…
                      </button>
                      <button type="button" className="button button--small" onClick={() => setImporting('events')}>
                        Import events…
                      </button>
                      <button type="button" className="button button--small" onClick={() => void archive(detail.campaign, detail.campaign.status !== 'archived')}>
                        {detail.campaign.status === 'archived' ? 'Restore' : 'Archive'}
                      </button>
                    </div>
                  </header>
                  <TotalsPanel totals={detail.totals} />
                  <PostsSection detail={detail} onChanged={refresh} say={say} />
                  <AdsSection detail={detail} workspaceId={wsId} onChanged={refresh} say={say} />
                  <AssetsSection detail={detail} onChanged={refresh} say={say} workspaceId={wsId} />
                </>
              ) : list && list.length > 0 ? (
                <p role="status">Loading the campaign…</p>
              ) : null}
            </div>
          </div>
        ) : null}
      </div>
      {editing ? <CampaignForm open initial={editing === 'edit' ? current : null} onClose={() => setEditing(null)} onSubmit={submit} /> : null}
      {detail ? (
        <ImportDialog
          open={importing !== null}
          onClose={() => setImporting(null)}
          title={importing === 'events' ? 'Import events' : 'Import conversions'}
          description={
            importing === 'events'
              ? 'A CSV with a time, an event type (view, click, form_submit, email_open, email_click, conversion), utm_source and utm_medium per row.'
              : 'A CSV with a time, a conversion type, a value and currency, utm_source and utm_medium per row (a shop or form tool export).'
          }
          run={(csv, o) =>
            importing === 'events'
              ? call('campaigns.importEvents', { campaignId: detail.campaign.id, csv, mode: o.mode, dryRun: o.dryRun })
              : call('campaigns.importConversions', { campaignId: detail.campaign.id, csv, mode: o.mode, dryRun: o.dryRun })
          }
          onImported={(r) => {
            say(r.message);
            refresh();
          }}
        />
      ) : null}
    </Page>
  );
}
