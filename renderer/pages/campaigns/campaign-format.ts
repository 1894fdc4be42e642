// Words and numbers for the Campaigns page: statuses, money by currency, dates, rates.
import type { ApiOutput } from '../../../electron/api';

export type CampaignItem = ApiOutput<'campaigns.list'>[number];
export type CampaignDetail = ApiOutput<'campaigns.get'>;
export type Totals = CampaignDetail['totals'];
export type ImportReport = ApiOutput<'campaigns.importConversions'>;

export const STATUS_LABELS: Record<CampaignItem['status'], string> = {
  draft: 'Draft',
  generating: 'Generating',
  ready: 'Ready',
  launched: 'Launched',
  paused: 'Paused',
  archived: 'Archived',
};

export const TYPE_LABELS: Record<CampaignItem['type'], string> = {
  social: 'Social posts',
  landing_page: 'Landing page',
  funnel: 'Funnel',
  email_sequence: 'Email sequence',
  complete_campaign: 'Complete campaign',
  component_enhancement: 'Asset refresh',
};

export function money(amount: number, currency: string | null): string {
  if (!currency) return amount.toLocaleString('en', { maximumFractionDigits: 2 });
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "$115.80 + €20.00": amounts in different currencies are shown side by side, never added. */
export function moneyList(list: readonly { amount: number; currency: string | null }[]): string {
  return list.length === 0 ? '—' : list.map((m) => money(m.amount, m.currency)).join(' + ');
}

export const int = (n: number) => n.toLocaleString('en');
export const pct = (n: number | null) => (n === null ? '—' : `${n.toLocaleString('en', { maximumFractionDigits: 2 })}%`);

/** An epoch as the date input's value (the user's local calendar day). */
export function dateInput(ms: number | null): string {
  if (ms === null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The date input's value as the start (or end) of that local day. */
export function fromDateInput(v: string, end = false): number | null {
  if (!v) return null;
  const [y, m, d] = v.split('-').map(Number) as [number, number, number];
  return end ? new Date(y, m - 1, d, 23, 59, 59, 999).getTime() : new Date(y, m - 1, d).getTime();
}

export function dateRange(startsAt: number | null, endsAt: number | null): string {
  const f = (ms: number) => new Date(ms).toLocaleDateString('en', { day: 'numeric', month: 'short', year: 'numeric' });
  if (startsAt === null && endsAt === null) return 'No dates';
  if (startsAt !== null && endsAt !== null) return `${f(startsAt)} – ${f(endsAt)}`;
  return startsAt !== null ? `From ${f(startsAt)}` : `Until ${f(endsAt!)}`;
}

export function snippet(text: string, n = 90): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t || '(no text)';
}

export function thisMonth(now = new Date()): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}
