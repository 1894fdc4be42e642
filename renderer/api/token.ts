// Web mode's access token arrives once in the URL (`#token=…`), is kept for this tab only
// (sessionStorage survives reloads, not new tabs) and is removed from the address bar at once.
export const TOKEN_STORAGE_KEY = 'postdesk.token';

/** The token in a location hash like `#token=abc` (other `&key=value` pairs ignored), or null. */
export function tokenFromHash(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith('token=')) return null;
  const params = new URLSearchParams(h);
  const token = params.get('token');
  return token && token.length > 0 ? token : null;
}

interface BootEnv {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** Take the token from the URL if present (replacing the hash with the app's start route). */
export function bootToken(env: BootEnv): string | null {
  const fromUrl = tokenFromHash(env.location.hash);
  if (fromUrl) {
    try {
      env.storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be disabled; the token still works for this page load.
    }
    env.history.replaceState(null, '', `${env.location.pathname}${env.location.search}#/`);
    return fromUrl;
  }
  try {
    return env.storage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}
