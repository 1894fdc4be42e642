// Timezones from the browser's own IANA list; the default is this machine's zone.
export function localTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let cached: string[] | null = null;

export function allTimezones(): string[] {
  if (cached) return cached;
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const set = new Set(zones);
  set.add('UTC');
  set.add(localTimezone());
  cached = [...set].sort((a, b) => a.localeCompare(b));
  return cached;
}

/** "14:05" in the given zone, or null if the zone is unknown. */
export function timeIn(timezone: string, at: Date = new Date()): string | null {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: timezone, hour: '2-digit', minute: '2-digit' }).format(at);
  } catch {
    return null;
  }
}

/** "UTC+02:00" style offset label for a zone at a given moment. */
export function offsetLabel(timezone: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName');
    return part?.value.replace('GMT', 'UTC') || 'UTC';
  } catch {
    return '';
  }
}
