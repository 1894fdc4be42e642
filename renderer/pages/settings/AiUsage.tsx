// Settings → AI → Usage: this month's spend against the budget, spend by day (a bar chart drawn
// in SVG), by feature and by model, and the same report as a CSV download. Follows 'ai.metered',
// so a call made meanwhile shows without a reload.
import { useCallback, useEffect, useRef, useState } from 'react';
import { call, messageOf, onEvent } from '../../api/client';
import { Icon } from '../../components/Icon';
import { toastError, toastSuccess } from '../../stores/ui';
import { budgetLine, chartTop, count, featureLabel, money, RANGE_LABELS, usageRange, type RangeChoice, type UsageReport, type WorkspaceUsage } from './ai-settings';

const CHOICES = Object.keys(RANGE_LABELS) as RangeChoice[];

/** "3 Mar" for a UTC day "2026-03-03" (the report's days are UTC). */
function shortDay(date: string): string {
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

function DayChart({ report }: { report: UsageReport }) {
  const days = report.byDay;
  const top = chartTop(days.map((d) => d.costNanoUsd));
  const busiest = days.reduce<UsageReport['byDay'][number] | null>((b, d) => (d.costNanoUsd > (b?.costNanoUsd ?? 0) ? d : b), null);
  const W = 100;
  const H = 40;
  const slot = W / Math.max(1, days.length);
  const gap = Math.min(slot * 0.25, 0.6);
  const summary = busiest
    ? `Spend by day from ${shortDay(report.from)} to ${shortDay(report.to)}: ${money(report.total.costNanoUsd)} in all, most on ${shortDay(busiest.date)} (${money(busiest.costNanoUsd)}).`
    : `Spend by day from ${shortDay(report.from)} to ${shortDay(report.to)}: nothing spent.`;
  const mid = days[Math.floor((days.length - 1) / 2)];
  return (
    <figure className="set-chart" data-testid="ai-usage-chart">
      <div className="set-chart__plot">
        <div className="set-chart__axis" aria-hidden="true">
          <span>{money(top)}</span>
          <span>$0</span>
        </div>
        <svg className="set-chart__svg" viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
          <line x1="0" y1={H - 0.05} x2={W} y2={H - 0.05} className="set-chart__base" />
          <line x1="0" y1="0.05" x2={W} y2="0.05" className="set-chart__grid" />
          {days.map((d, i) => {
            // A day with only free calls (a local model) still shows a sliver: something ran.
            const h = d.costNanoUsd > 0 ? Math.max(0.6, (d.costNanoUsd / top) * H) : d.generations > 0 ? 0.6 : 0;
            return (
              <rect key={d.date} className={d.costNanoUsd === 0 ? 'set-chart__bar is-free' : 'set-chart__bar'} x={i * slot + gap / 2} y={H - h} width={Math.max(0.1, slot - gap)} height={h}>
                <title>{`${shortDay(d.date)}: ${money(d.costNanoUsd)}, ${d.generations === 1 ? '1 call' : `${count(d.generations)} calls`}, ${count(d.tokens)} tokens`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <figcaption className="set-chart__labels" aria-hidden="true">
        <span>{days[0] ? shortDay(days[0].date) : ''}</span>
        <span>{mid && days.length > 2 ? shortDay(mid.date) : ''}</span>
        <span>{days.length > 1 ? shortDay(days[days.length - 1]?.date ?? '') : ''}</span>
      </figcaption>
    </figure>
  );
}

function GroupTable({ caption, rows, label, testId }: { caption: string; rows: UsageReport['byFeature']; label: (key: string) => string; testId: string }) {
  return (
    <table className="set-table" data-testid={testId}>
      <caption className="set-table__caption">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{caption.replace(/^By /, '').replace(/^./, (c) => c.toUpperCase())}</th>
          <th scope="col" className="num">
            Calls
          </th>
          <th scope="col" className="num">
            Tokens in / out
          </th>
          <th scope="col" className="num">
            Cost
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{label(r.key)}</th>
            <td className="num">
              {count(r.calls)}
              {r.failed > 0 ? <span className="set-table__failed"> ({count(r.failed)} failed)</span> : null}
            </td>
            <td className="num">
              {count(r.promptTokens)} / {count(r.completionTokens)}
            </td>
            <td className="num" title={`$${r.cost}`}>
              {money(r.costNanoUsd)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Hand a text to the user as a file: a Blob URL clicked as a download (works in Electron too). */
function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once started; give it a moment before letting go of the Blob.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AiUsage({ workspaceId, budgetUsd }: { workspaceId: string; budgetUsd: number | null }) {
  const [choice, setChoice] = useState<RangeChoice>('month');
  const [report, setReport] = useState<UsageReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const [byWorkspace, setByWorkspace] = useState<WorkspaceUsage | null>(null);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const g = ++generation.current;
    try {
      const range = usageRange(choice, Date.now());
      const [r, w] = await Promise.all([call('ai.usage', { workspaceId, ...range }), call('ai.usageByWorkspace', range)]);
      if (g === generation.current) {
        setReport(r);
        setByWorkspace(w);
        setError(null);
      }
    } catch (err) {
      if (g === generation.current) setError(err);
    }
  }, [workspaceId, choice]);

  useEffect(() => {
    void load();
  }, [load, budgetUsd]);

  useEffect(() => {
    setReport(null);
  }, [workspaceId]);

  // Calls come in bursts (a stream, a batch of embeddings): one reload per burst.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onEvent('ai.metered', (p) => {
      if (p.workspaceId !== workspaceId) return;
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 400);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [workspaceId, load]);

  const exportCsv = async (scope: 'workspace' | 'all') => {
    setExporting(true);
    try {
      const range = usageRange(choice, Date.now());
      const r = scope === 'all' ? await call('ai.usageByWorkspaceCsv', range) : await call('ai.usageCsv', { workspaceId, ...range });
      download(r.filename, r.csv, 'text/csv;charset=utf-8');
      toastSuccess('Usage exported', r.filename);
    } catch (err) {
      toastError('Could not export the usage', err);
    } finally {
      setExporting(false);
    }
  };

  let body;
  if (!report && error)
    body = (
      <p className="inline-error" role="alert">
        Could not load the usage: {messageOf(error)}{' '}
        <button type="button" className="link-button" onClick={() => void load()}>
          Try again
        </button>
      </p>
    );
  else if (!report) body = <p className="muted">Adding up the usage…</p>;
  else {
    const b = budgetLine(report.month);
    body = (
      <>
        <div className="set-budget" data-testid="ai-usage-month">
          <p className="set-budget__line">
            <span className="set-budget__spent">{b.text}</span>
            {report.month.remainingUsd !== null && !b.over ? <span className="muted"> · {money(Math.round(report.month.remainingUsd * 1e9))} left</span> : null}
          </p>
          {b.share !== null ? (
            <div
              className={b.over ? 'progress set-budget__bar is-over' : b.share >= 0.8 ? 'progress set-budget__bar is-near' : 'progress set-budget__bar'}
              role="meter"
              aria-label="Budget used this month"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(b.share * 100)}
            >
              <span style={{ width: `${b.share * 100}%` }} />
            </div>
          ) : null}
          {b.over ? (
            <p className="set-budget__over" role="alert">
              The budget for this month is used up: AI calls are refused until next month. Raise the budget above to keep going.
            </p>
          ) : null}
        </div>
        <dl className="set-totals">
          <div>
            <dt>Spent</dt>
            <dd title={`$${report.total.cost}`}>{money(report.total.costNanoUsd)}</dd>
          </div>
          <div>
            <dt>Calls</dt>
            <dd>{count(report.total.generations)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>{count(report.total.tokens)}</dd>
          </div>
        </dl>
        <DayChart report={report} />
        {report.byFeature.length === 0 ? (
          <p className="muted" data-testid="ai-usage-empty">
            No AI calls in this period.
          </p>
        ) : (
          <div className="set-tables">
            <GroupTable caption="By feature" rows={report.byFeature} label={featureLabel} testId="ai-usage-features" />
            <GroupTable caption="By model" rows={report.byModel} label={(k) => k || 'unknown model'} testId="ai-usage-models" />
          </div>
        )}
        {byWorkspace && byWorkspace.workspaces.length > 1 ? (
          <div className="set-tables">
            <GroupTable
              caption="By workspace"
              rows={byWorkspace.workspaces}
              label={(k) => {
                const name = byWorkspace.workspaces.find((w) => w.key === k)?.name ?? k;
                return k === workspaceId ? `${name} (this one)` : name;
              }}
              testId="ai-usage-workspaces"
            />
            <p className="muted">
              Every workspace (client) in this period: {money(byWorkspace.total.costNanoUsd)} in {count(byWorkspace.total.calls)} calls.{' '}
              <button type="button" className="link-button" onClick={() => void exportCsv('all')} disabled={exporting}>
                Export per workspace (CSV)
              </button>
            </p>
          </div>
        ) : null}
      </>
    );
  }

  return (
    <div className="card set-card" data-testid="ai-usage" aria-busy={report === null && !error}>
      <div className="set-card__head set-card__head--row">
        <div>
          <h3 className="set-card__title">Usage</h3>
          <p className="set-card__text">Every AI call is metered: tokens, cost (the catalogue’s approximate prices; local models are free) and time. Days are UTC.</p>
        </div>
        <button type="button" className="button" onClick={() => void exportCsv('workspace')} disabled={exporting}>
          <Icon name="external" size={14} />
          {exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <div role="radiogroup" aria-label="Period" className="segmented segmented--labels set-range">
        {CHOICES.map((c) => (
          <label key={c} className={choice === c ? 'segmented__option is-checked' : 'segmented__option'}>
            <input type="radio" name="ai-usage-range" value={c} checked={choice === c} onChange={() => setChoice(c)} />
            <span>{RANGE_LABELS[c]}</span>
          </label>
        ))}
      </div>
      {body}
    </div>
  );
}
