// Dates and counts for people, in their locale.
export function formatDate(ms: number | null | undefined, timezone?: string): string {
  if (ms === null || ms === undefined) return '—';
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', ...(timezone ? { timeZone: timezone } : {}) }).format(new Date(ms));
  } catch {
    return new Date(ms).toDateString();
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function greeting(hour: number): string {
  if (hour < 5) return 'Hello';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

/** The hour (0-23) now in a timezone. */
export function hourIn(timezone: string, at = new Date()): number {
  try {
    const h = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' }).format(at);
    return Number.parseInt(h, 10);
  } catch {
    return at.getHours();
  }
}
