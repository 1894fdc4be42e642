// App-password sessions (com.atproto.server.*). The entry server (bsky.social by default) may not
// be the PDS that holds the account: the session's DID document names the real one, and every
// later call goes there. Tokens are only ever placed in the Authorization header.
import type { AccountCredentials, AuthResult, ConnectorAccount } from '../connector';
import { PlatformError } from '../errors';
import { sessionSchema, type Session } from './schemas';
import type { Xrpc } from './xrpc';

/** Refresh this long before the access JWT's own expiry, like expiresAtFrom does for OAuth. */
const EXPIRY_MARGIN_MS = 60_000;

interface JwtClaims {
  exp: number | null;
  scope: string | null;
}

/** The JWT's payload claims we use. Read only (no signature check): the PDS is the one that verifies. */
export function readJwtClaims(jwt: string): JwtClaims {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return { exp: null, scope: null };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (typeof claims !== 'object' || claims === null) return { exp: null, scope: null };
    const { exp, scope } = claims as Record<string, unknown>;
    return { exp: typeof exp === 'number' && Number.isFinite(exp) ? exp : null, scope: typeof scope === 'string' ? scope : null };
  } catch {
    return { exp: null, scope: null };
  }
}

/** The `#atproto_pds` endpoint of the session's DID document, if it names one we can use. */
export function pdsEndpoint(session: Session): string | null {
  for (const svc of session.didDoc?.service ?? []) {
    // The id is "#atproto_pds" or "<did>#atproto_pds" (DID Core allows both forms).
    if (!svc.id.endsWith('#atproto_pds') || typeof svc.serviceEndpoint !== 'string') continue;
    try {
      const url = new URL(svc.serviceEndpoint);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString().replace(/\/+$/, '');
    } catch {
      // A malformed endpoint: fall back to the server that answered.
    }
  }
  return null;
}

export function credentialsFrom(session: Session): AccountCredentials {
  const { exp, scope } = readJwtClaims(session.accessJwt);
  return {
    accessToken: session.accessJwt,
    refreshToken: session.refreshJwt,
    expiresAt: exp === null ? null : exp * 1000 - EXPIRY_MARGIN_MS,
    // com.atproto.appPass or com.atproto.appPassPrivileged: only the latter may read DMs.
    scopes: scope === null ? [] : [scope],
  };
}

export async function createSession(xrpc: Xrpc, baseUrl: string, identifier: string, password: string): Promise<AuthResult> {
  const session = await xrpc.procedure(
    { baseUrl, token: null },
    'com.atproto.server.createSession',
    // A failed login creates nothing, so repeating it is safe; createSession has its own tight
    // rate limit (30 per 5 minutes), which is why refresh, not login, renews the session.
    { json: { identifier: identifier.trim().replace(/^@/, ''), password }, idempotent: true },
    sessionSchema,
  );
  const serverUrl = pdsEndpoint(session) ?? baseUrl.replace(/\/+$/, '');
  return {
    profile: {
      platformAccountId: session.did,
      username: session.handle,
      displayName: null,
      profileUrl: `https://bsky.app/profile/${session.handle === 'handle.invalid' ? session.did : session.handle}`,
      avatarUrl: null,
      serverUrl,
    },
    credentials: credentialsFrom(session),
  };
}

export async function refreshSession(xrpc: Xrpc, account: ConnectorAccount): Promise<AccountCredentials> {
  const refreshToken = account.credentials.refreshToken;
  if (refreshToken === null) {
    throw new PlatformError({ platform: 'bluesky', category: 'auth', message: 'This Bluesky connection has no refresh token; reconnect the account.', effect: 'none' });
  }
  // refreshSession is authenticated with the refresh JWT, not the access JWT. It rotates that JWT,
  // so it is not marked idempotent: a lost answer may have used the old one up.
  const session = await xrpc.procedure({ baseUrl: account.baseUrl, token: refreshToken }, 'com.atproto.server.refreshSession', {}, sessionSchema);
  if (session.did !== account.platformAccountId) {
    throw new PlatformError({ platform: 'bluesky', category: 'auth', message: 'Bluesky returned a session for a different account; reconnect the account.', effect: 'none' });
  }
  return credentialsFrom(session);
}

export async function deleteSession(xrpc: Xrpc, account: ConnectorAccount): Promise<void> {
  const refreshToken = account.credentials.refreshToken;
  if (refreshToken === null) return;
  await xrpc.procedureNoOutput({ baseUrl: account.baseUrl, token: refreshToken }, 'com.atproto.server.deleteSession', undefined, true);
}
