// An account's comment-monitoring rule as edited in its settings: the numbers are text while the
// user types them and are checked against the engine's limits before saving.

export const COUNT_RANGE = { min: 1, max: 20 } as const;
export const DAYS_RANGE = { min: 1, max: 30 } as const;

export interface MonitoringDraft {
  /** Use the workspace's rule instead of one of the account's own. */
  inherit: boolean;
  enabled: boolean;
  count: string;
  days: string;
}

/** "7" -> 7; anything that is not a whole number ("", "2.5", "7 days") -> null. */
export function parseWhole(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

function problem(text: string, range: { min: number; max: number }, what: string): string | undefined {
  const n = parseWhole(text);
  if (n === null) return `Enter a whole number of ${what}, ${range.min} to ${range.max}.`;
  if (n < range.min || n > range.max) return `Use ${range.min} to ${range.max} ${what}.`;
  return undefined;
}

/** What is wrong with the numbers, per field; nothing when the rule is inherited or off. */
export function monitoringProblems(d: MonitoringDraft): { autoMonitorCount?: string; monitoringDurationDays?: string } {
  if (d.inherit || !d.enabled) return {};
  const out: { autoMonitorCount?: string; monitoringDurationDays?: string } = {};
  const count = problem(d.count, COUNT_RANGE, 'posts');
  const days = problem(d.days, DAYS_RANGE, 'days');
  if (count) out.autoMonitorCount = count;
  if (days) out.monitoringDurationDays = days;
  return out;
}

/** The rule in a sentence, for the account card: "Watches its latest 5 posts for 7 days (workspace default)". */
export function monitoringSummary(m: { autoMonitorEnabled: boolean; autoMonitorCount: number; monitoringDurationDays: number; inherited: boolean }): string {
  const base = m.autoMonitorEnabled
    ? `Watches its latest ${m.autoMonitorCount} ${m.autoMonitorCount === 1 ? 'post' : 'posts'} for comments for ${m.monitoringDurationDays} ${m.monitoringDurationDays === 1 ? 'day' : 'days'}`
    : 'Does not watch posts for comments';
  return m.inherited ? `${base} (workspace default)` : base;
}
