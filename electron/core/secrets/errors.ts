// One error type for the secret box, with codes the API layer can map to user-facing messages.
// Messages say what happened and what to do; they never carry plaintext, keys or sealed values.

export const SECRET_ERROR_CODES = [
  /** No key where one is needed, and secrets sealed with the old key exist. */
  'secret_key_missing',
  /** The key file or POSTDESK_SECRET_KEY is not a valid 32-byte key. */
  'secret_key_invalid',
  /** The value was sealed with another key (or another cipher) than the one in use. */
  'secret_key_mismatch',
  /** The value is not in a format this version understands. */
  'secret_format',
  /** Authentication failed: the bytes were changed, or the value belongs to another row. */
  'secret_tampered',
  /** The passphrase does not match the one the secrets were sealed with. */
  'wrong_passphrase',
  /** A new passphrase is too short to protect anything. */
  'passphrase_too_short',
  /** The OS keychain (Electron safeStorage) cannot encrypt right now. */
  'secret_storage_unavailable',
  /** A passphrase protects the secrets and has not been entered this session. */
  'secrets_locked',
] as const;

export type SecretErrorCode = (typeof SECRET_ERROR_CODES)[number];

export class SecretError extends Error {
  readonly code: SecretErrorCode;

  constructor(code: SecretErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretError';
    this.code = code;
  }
}

export function isSecretError(err: unknown, code?: SecretErrorCode): err is SecretError {
  return err instanceof SecretError && (code === undefined || err.code === code);
}
