// Which links may leave the app, as a pure check with no Electron in it: the main process applies
// it before handing a link to the OS (security.ts), and the renderer applies the same rule before
// it makes a stranger's text clickable, so a link that would be refused never looks like a link.

const EXTERNAL_SCHEMES = new Set(['https:', 'http:', 'mailto:']);
/** Longer than any real link; a 100 kB "URL" in a message is an attack on the parser, not a page. */
const MAX_URL_LENGTH = 8192;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Links that may be handed to the OS: web pages and mail only. Never file: (runs local
 * programs on some systems), javascript:, or custom schemes that launch other apps with
 * attacker-chosen arguments.
 */
export function isAllowedExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return false;
  const u = parse(url);
  if (!u || !EXTERNAL_SCHEMES.has(u.protocol)) return false;
  if (u.protocol === 'mailto:') return true;
  // Credentials in a link are a phishing trick ("https://bank.com@evil.example").
  return u.hostname !== '' && u.username === '' && u.password === '';
}

/**
 * The link as it should be opened — re-serialised, so what is opened is exactly what was checked —
 * or null when it may not be opened at all.
 */
export function externalHref(url: string): string | null {
  return isAllowedExternalUrl(url) ? new URL(url).toString() : null;
}
