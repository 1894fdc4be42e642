// The sealed text format: `pd1.<keyId>.<nonce>.<body>`, all base64url, so a sealed value is plain
// ASCII that fits a TEXT column, says which version and key made it, and can be rotated later.
import { SecretError } from './errors';

export const FORMAT_VERSION = 'pd1';

export interface SealedParts {
  keyId: string;
  nonce: Buffer;
  body: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export function encodeSealed(parts: SealedParts): string {
  if (!KEY_ID.test(parts.keyId)) throw new Error(`invalid key id for the sealed format`);
  return [FORMAT_VERSION, parts.keyId, parts.nonce.toString('base64url'), parts.body.toString('base64url')].join('.');
}

export function decodeSealed(sealed: string): SealedParts {
  const fields = sealed.split('.');
  const [version, keyId, nonce, body] = fields;
  if (fields.length !== 4 || version === undefined || keyId === undefined || nonce === undefined || body === undefined) {
    throw formatError(version);
  }
  if (version !== FORMAT_VERSION) throw formatError(version);
  if (!KEY_ID.test(keyId) || !B64URL.test(nonce) || !B64URL.test(body) || body.length === 0) {
    throw formatError(version);
  }
  return { keyId, nonce: Buffer.from(nonce, 'base64url'), body: Buffer.from(body, 'base64url') };
}

function formatError(version: string | undefined): SecretError {
  // Only the version prefix is echoed: the rest could be (or contain) a secret stored in clear.
  const known = version === FORMAT_VERSION;
  return new SecretError(
    'secret_format',
    known
      ? 'A stored secret is damaged (its sealed text is malformed). Reconnect the account or re-enter the key.'
      : 'A stored secret is not in a format this version of Postdesk can read. Update Postdesk, or reconnect the account.',
  );
}
