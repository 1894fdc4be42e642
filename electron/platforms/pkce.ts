// PKCE (RFC 7636) for the desktop's OAuth flows: a public client cannot keep a secret, so each
// authorization is bound to a one-time verifier that only this process knows.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes as base64url: 43 characters, inside RFC 7636's 43..128 range. */
export function createCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 challenge sent in the authorize URL; the verifier itself only goes to the token endpoint. */
export function codeChallengeS256(verifier: string): string {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) throw new RangeError('A PKCE verifier is 43-128 unreserved characters (RFC 7636 §4.1).');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The `state` parameter: unguessable, so a callback we did not start is refused. */
export function createState(): string {
  return randomBytes(16).toString('base64url');
}
