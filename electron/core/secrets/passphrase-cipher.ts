// A key derived from the user's passphrase with scrypt, for machines whose OS keychain is missing
// (Linux without a secret service, where Electron would use a fixed key). The salt and a verifier
// live in `<dataDir>/secret.passphrase.json` so a wrong passphrase is refused, never used to
// produce garbage or to seal new values under a key nobody knows.
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { AesGcmCipher, KEY_BYTES } from './cipher';
import { SecretError } from './errors';
import { createFileExclusive, readPrivateFile } from './key-file';

export const PASSPHRASE_FILE_NAME = 'secret.passphrase.json';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt recommendation: 2^17 x 8 x 1 costs 128 MiB and a few hundred ms once at unlock. */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = { N: 2 ** 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const MIN_PASSPHRASE_CHARS = 8;

const paramsFile = z.object({
  v: z.literal(1),
  kdf: z.literal('scrypt'),
  N: z.number().int().min(2 ** 10).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: z.string().min(1),
  verifier: z.string().min(1),
});

export interface PassphraseOptions {
  dataDir: string;
  passphrase: string;
  /** Only for a new passphrase file; an existing file's parameters always win. */
  scrypt?: ScryptParams;
  /** See NodeKeyOptions: refuse to start a new passphrase while old sealed secrets exist. */
  hasStoredSecrets?: () => boolean;
}

export class PassphraseCipher extends AesGcmCipher {
  readonly paramsFile: string;

  private constructor(key: Buffer, file: string) {
    super(key, 'p', 'Unlock with the passphrase used before, or reconnect the accounts.');
    this.paramsFile = file;
  }

  static unlock(opts: PassphraseOptions): PassphraseCipher {
    const file = join(opts.dataDir, PASSPHRASE_FILE_NAME);
    const existing = readPrivateFile(file);
    if (existing !== null) return new PassphraseCipher(unlockExisting(file, existing, opts.passphrase), file);

    if (opts.hasStoredSecrets?.() === true) {
      throw new SecretError(
        'secret_key_missing',
        `The passphrase file ${file} is missing, but the database holds secrets sealed with it. Restore the file from a backup, ` +
          'or disconnect the accounts and delete their saved keys to start over.',
      );
    }
    if (opts.passphrase.length < MIN_PASSPHRASE_CHARS) {
      throw new SecretError('wrong_passphrase', `Choose a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters.`);
    }
    const params = opts.scrypt ?? DEFAULT_SCRYPT;
    const salt = randomBytes(SALT_BYTES);
    const key = derive(opts.passphrase, salt, params);
    const record: z.infer<typeof paramsFile> = {
      v: 1,
      kdf: 'scrypt',
      ...params,
      salt: salt.toString('base64'),
      verifier: verifierOf(key).toString('base64'),
    };
    if (createFileExclusive(file, `${JSON.stringify(record, null, 2)}\n`)) return new PassphraseCipher(key, file);
    // Lost a creation race: the other process's salt is the one in force.
    const raced = readPrivateFile(file);
    if (raced === null) throw new Error(`The passphrase file ${file} vanished while it was being created.`);
    return new PassphraseCipher(unlockExisting(file, raced, opts.passphrase), file);
  }
}

function unlockExisting(file: string, text: string, passphrase: string): Buffer {
  let record: z.infer<typeof paramsFile>;
  try {
    record = paramsFile.parse(JSON.parse(text));
  } catch (cause) {
    throw new SecretError(
      'secret_key_invalid',
      `The passphrase file ${file} is damaged. Restore it from a backup; without it the sealed secrets cannot be opened.`,
      { cause },
    );
  }
  const key = derive(passphrase, Buffer.from(record.salt, 'base64'), record);
  const expected = Buffer.from(record.verifier, 'base64');
  const actual = verifierOf(key);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new SecretError('wrong_passphrase', 'That passphrase is not the one your secrets were sealed with. Try again.');
  }
  return key;
}

function derive(passphrase: string, salt: Buffer, params: ScryptParams): Buffer {
  // NFC so the same passphrase typed on another keyboard/OS derives the same key.
  const normalized = passphrase.normalize('NFC');
  // Node's default maxmem (32 MiB) is below what the recommended N needs (128 * N * r bytes).
  const maxmem = 256 * params.N * params.r + 1024 * 1024;
  return scryptSync(normalized, salt, KEY_BYTES, { N: params.N, r: params.r, p: params.p, maxmem });
}

/** HMAC under the derived key: checks the passphrase without storing anything that helps decrypt. */
function verifierOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('postdesk/passphrase-verifier/v1').digest();
}
