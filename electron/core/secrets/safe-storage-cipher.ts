// The desktop host's cipher, on Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). The
// core may not import electron, so the host passes `safeStorage` in through this narrow type.
import { createHash } from 'node:crypto';
import type { SecretCipher } from './cipher';
import { tampered } from './cipher';
import { SecretError } from './errors';
import { decodeSealed, encodeSealed } from './format';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only in Electron: 'basic_text' means no secret service and a key built into Electron. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export const SAFE_STORAGE_KEY_ID = 'ss';

/** safeStorage has no associated data and, on macOS and Linux, no MAC (AES-CBC): a digest of the
 * aad and plaintext is sealed inside the payload and checked after decryption, so changed bytes
 * or a value copied to another row fail to open instead of yielding garbage. */
export class SafeStorageCipher implements SecretCipher {
  readonly keyId = SAFE_STORAGE_KEY_ID;
  readonly #storage: SafeStorageLike;

  constructor(storage: SafeStorageLike) {
    this.#storage = storage;
  }

  seal(plaintext: string, aad: string): string {
    if (!this.#storage.isEncryptionAvailable()) throw unavailable();
    const payload = JSON.stringify({ c: checkDigest(aad, plaintext), p: plaintext });
    const body = this.#storage.encryptString(payload);
    return encodeSealed({ keyId: this.keyId, nonce: Buffer.alloc(0), body });
  }

  open(sealed: string, aad: string): string {
    const parts = decodeSealed(sealed);
    if (parts.keyId !== this.keyId) {
      throw new SecretError(
        'secret_key_mismatch',
        'A stored secret was sealed with the app key file or a passphrase, not the system keychain. Reconnect the account or re-enter the key.',
      );
    }
    if (!this.#storage.isEncryptionAvailable()) throw unavailable();
    let payload: unknown;
    try {
      payload = JSON.parse(this.#storage.decryptString(parts.body));
    } catch (cause) {
      // Keychain decryption of changed bytes throws (or, without a MAC, yields non-JSON).
      throw tampered(cause);
    }
    if (!isPayload(payload) || payload.c !== checkDigest(aad, payload.p)) throw tampered();
    return payload.p;
  }
}

function isPayload(v: unknown): v is { c: string; p: string } {
  return typeof v === 'object' && v !== null && typeof (v as { c?: unknown }).c === 'string' && typeof (v as { p?: unknown }).p === 'string';
}

function checkDigest(aad: string, plaintext: string): string {
  const aadBytes = Buffer.from(aad, 'utf8');
  // Length-prefixed so ('ab', 'c') and ('a', 'bc') never hash alike.
  const len = Buffer.alloc(4);
  len.writeUInt32BE(aadBytes.length);
  return createHash('sha256').update('postdesk/safe-storage/v1\0').update(len).update(aadBytes).update(plaintext, 'utf8').digest('base64url');
}

function unavailable(): SecretError {
  return new SecretError(
    'secret_storage_unavailable',
    'The system keychain is not available right now, so secrets cannot be read or saved. Unlock your keychain (or log in to your desktop session) and try again.',
  );
}
