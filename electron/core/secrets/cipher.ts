// The interface every connector uses, and the AES-256-GCM core shared by the key-file, env-key and
// passphrase ciphers (they differ only in where the 32-byte key comes from).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretError } from './errors';
import { decodeSealed, encodeSealed } from './format';

export interface SecretCipher {
  /** Which key seals new values (non-secret fingerprint, also written into every sealed value). */
  readonly keyId: string;
  /** `aad` binds the value to its row (e.g. `account:<id>:access_token`); open needs the same one. */
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

export const KEY_BYTES = 32;
/** 96 bits: GCM's native nonce size; random per seal, so the same plaintext never seals the same. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A short public fingerprint of a key, so a value sealed with another key is reported as such
 * rather than as tampering. Domain-separated hash: it reveals nothing usable about the key. */
export function keyFingerprint(prefix: string, key: Buffer): string {
  const digest = createHash('sha256').update('postdesk/secret-key-id/v1\0').update(key).digest('base64url');
  return `${prefix}${digest.slice(0, 10)}`;
}

export class AesGcmCipher implements SecretCipher {
  readonly keyId: string;
  readonly #key: Buffer;
  readonly #mismatchHint: string;

  /** `mismatchHint` tells the user what to do when a value was sealed with a different key. */
  constructor(key: Buffer, keyIdPrefix: string, mismatchHint: string) {
    if (key.length !== KEY_BYTES) throw new SecretError('secret_key_invalid', `The secret key must be ${KEY_BYTES} bytes.`);
    // Own copy: the caller's buffer may be reused or zeroed.
    this.#key = Buffer.from(key);
    this.keyId = keyFingerprint(keyIdPrefix, this.#key);
    this.#mismatchHint = mismatchHint;
  }

  seal(plaintext: string, aad: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadBytes(this.keyId, aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return encodeSealed({ keyId: this.keyId, nonce, body });
  }

  open(sealed: string, aad: string): string {
    const parts = decodeSealed(sealed);
    if (parts.keyId !== this.keyId) {
      throw new SecretError('secret_key_mismatch', `A stored secret was sealed with a different key than the one in use. ${this.#mismatchHint}`);
    }
    if (parts.nonce.length !== NONCE_BYTES || parts.body.length < TAG_BYTES) throw tampered();
    const tag = parts.body.subarray(parts.body.length - TAG_BYTES);
    const ciphertext = parts.body.subarray(0, parts.body.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, parts.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadBytes(this.keyId, aad));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw tampered(cause);
    }
  }
}

/** The format version and key id are authenticated too, so they cannot be swapped undetected. */
function aadBytes(keyId: string, aad: string): Buffer {
  return Buffer.from(`pd1\0${keyId}\0${aad}`, 'utf8');
}

export function tampered(cause?: unknown): SecretError {
  return new SecretError(
    'secret_tampered',
    'A stored secret failed its integrity check: it was changed, damaged, or copied from another record. Reconnect the account or re-enter the key.',
    cause === undefined ? undefined : { cause },
  );
}
