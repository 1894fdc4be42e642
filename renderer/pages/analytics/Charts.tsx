// The dashboard's charts: engagements (and reach) per local day as lines, and engagements per
// account or platform as bars, drawn by uPlot.
import { useMemo } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import type { ApiOutput } from '../../../electron/api';
import { UPlotChart } from './UPlotChart';

type Dashboard = ApiOutput<'analytics.dashboard'>;

const ACCENT = '#4653c9';
const SECOND = '#2b7a4b';
const AXIS = { stroke: '#696962', grid: { stroke: '#e3e3de', width: 1 }, ticks: { stroke: '#e3e3de', width: 1 } };
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export function EngagementChart({ series }: { series: Dashboard['series'] }) {
  const data = useMemo<AlignedData>(
    () => [series.map((p) => Date.parse(`${p.date}T12:00:00Z`) / 1000), series.map((p) => p.engagements), series.map((p) => p.reach)],
    [series],
  );
  const options = useMemo<Omit<Options, 'width' | 'height'>>(
    () => ({
      // Days are local dates already: show them as UTC so the browser's own zone moves nothing.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, reach: { auto: true } },
      axes: [
        // Ticks on whole days (a week or a month apart on long ranges), labelled as dates.
        { ...AXIS, space: 56, incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400, 91 * 86_400], values: (_u, v) => v.map((t) => dayLabel.format(new Date(t * 1000))) },
        { ...AXIS, values: (_u, v) => v.map((x) => compact.format(x)), size: 56 },
        { ...AXIS, scale: 'reach', side: 1, grid: { show: false }, values: (_u, v) => v.map((x) => compact.format(x)), size: 56 },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
        { label: 'Engagements', stroke: ACCENT, width: 2, fill: 'rgba(70, 83, 201, 0.08)', points: { show: series.length <= 31 } },
        { label: 'Reach', stroke: SECOND, width: 1.5, scale: 'reach', dash: [4, 4], points: { show: false } },
      ],
    }),
    [series.length <= 31],
  );
  return (
    <>
      <UPlotChart options={options} data={data} label={`Engagements and reach per day, ${series.length} days`} testId="analytics-chart-engagement" />
      <table className="visually-hidden">
        <caption>Engagements and reach per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Posts</th>
            <th scope="col">Engagements</th>
            <th scope="col">Reach</th>
          </tr>
        </thead>
        <tbody>
          {series.map((p) => (
            <tr key={p.date}>
              <th scope="row">{p.date}</th>
              <td>{p.posts}</td>
              <td>{p.engagements}</td>
              <td>{p.reach}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function BreakdownChart({ rows, label, testId }: { rows: { label: string; short?: string; engagements: number; posts: number; reach: number; engagementRate: number | null }[]; label: string; testId: string }) {
  // The axis has room for a short name (a handle); the table below gives the full one.
  const labels = useMemo(() => rows.map((r) => r.short ?? r.label), [rows]);
  const data = useMemo<AlignedData>(() => [rows.map((_, i) => i), rows.map((r) => r.engagements)], [rows]);
  const options = useMemo<Omit<Options, 'width' | 'height'>>(
    () => ({
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] } },
      axes: [
        { ...AXIS, grid: { show: false }, splits: () => labels.map((_, i) => i), values: (_u, v) => v.map((i) => labels[i] ?? '') },
        { ...AXIS, values: (_u, v) => v.map((x) => compact.format(x)), size: 56 },
      ],
      series: [{}, { label: 'Engagements', fill: ACCENT, stroke: ACCENT, width: 0, paths: uPlot.paths.bars!({ size: [0.6, 64] }), points: { show: false } }],
    }),
    [labels],
  );
  return (
    <>
      <UPlotChart options={options} data={data} label={label} testId={testId} height={200} />
      <table className="an-table">
        <thead>
          <tr>
            <th scope="col">{label.replace(/^Engagements per /, '').replace(/^./, (c) => c.toUpperCase())}</th>
            <th scope="col" className="num">Posts</th>
            <th scope="col" className="num">Reach</th>
            <th scope="col" className="num">Engagements</th>
            <th scope="col" className="num">Rate</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={`${r.label}-${i}`}>
              <th scope="row">{r.label}</th>
              <td className="num">{r.posts.toLocaleString()}</td>
              <td className="num">{r.reach.toLocaleString()}</td>
              <td className="num">{r.engagements.toLocaleString()}</td>
              <td className="num">{r.engagementRate === null ? '—' : `${r.engagementRate}%`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
