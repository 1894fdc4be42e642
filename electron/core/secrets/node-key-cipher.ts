// The Node host's cipher (web mode, CLI, headless): AES-256-GCM with a key from POSTDESK_SECRET_KEY
// or from `<dataDir>/secret.key`, created on first use with mode 0600.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AesGcmCipher, KEY_BYTES } from './cipher';
import { SecretError } from './errors';
import { createFileExclusive, readPrivateFile } from './key-file';

export const SECRET_KEY_ENV = 'POSTDESK_SECRET_KEY';
export const KEY_FILE_NAME = 'secret.key';

export interface NodeKeyOptions {
  dataDir: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** True when sealed secrets exist in the database: a missing key file is then an error, not a
   * reason to make a new key (that would silently orphan them). */
  hasStoredSecrets?: () => boolean;
}

export type NodeKeySource = 'env' | 'key-file';

export class NodeKeyCipher extends AesGcmCipher {
  readonly source: NodeKeySource;
  readonly keyFile: string | null;

  private constructor(key: Buffer, source: NodeKeySource, keyFile: string | null) {
    super(
      key,
      'k',
      source === 'env'
        ? `Set ${SECRET_KEY_ENV} back to the key used before, or reconnect the accounts.`
        : `Restore the previous ${KEY_FILE_NAME} from a backup, or reconnect the accounts.`,
    );
    this.source = source;
    this.keyFile = keyFile;
  }

  static load(opts: NodeKeyOptions): NodeKeyCipher {
    const fromEnv = opts.env?.[SECRET_KEY_ENV];
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      return new NodeKeyCipher(parseKey(fromEnv, `The ${SECRET_KEY_ENV} environment variable`), 'env', null);
    }
    const file = join(opts.dataDir, KEY_FILE_NAME);
    return new NodeKeyCipher(loadOrCreateKeyFile(file, opts.hasStoredSecrets), 'key-file', file);
  }
}

function loadOrCreateKeyFile(file: string, hasStoredSecrets: (() => boolean) | undefined): Buffer {
  const existing = readPrivateFile(file);
  if (existing !== null) return parseKey(existing, `The key file ${file}`);
  if (hasStoredSecrets?.() === true) {
    throw new SecretError(
      'secret_key_missing',
      `The key file ${file} is missing, but the database holds secrets sealed with it. Restore the file from a backup ` +
        `(or set ${SECRET_KEY_ENV}); to start over instead, disconnect the accounts and delete their saved keys.`,
    );
  }
  const key = randomBytes(KEY_BYTES);
  if (createFileExclusive(file, `${key.toString('base64')}\n`)) return key;
  // Another process created it between our read and our write: use theirs.
  const raced = readPrivateFile(file);
  if (raced === null) throw new Error(`The key file ${file} vanished while it was being created.`);
  return parseKey(raced, `The key file ${file}`);
}

/** Strict: exactly 32 bytes of canonical base64, so truncation or an edit is caught, not padded. */
function parseKey(text: string, what: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== trimmed) {
    throw new SecretError(
      'secret_key_invalid',
      `${what} is damaged: it must hold a ${KEY_BYTES}-byte key in base64 (generate one with \`openssl rand -base64 32\`). ` +
        'If secrets were sealed with it, restore the original from a backup.',
    );
  }
  return key;
}
