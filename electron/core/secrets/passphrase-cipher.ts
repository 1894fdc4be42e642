// A key derived from the user's passphrase with scrypt, for machines whose OS keychain is missing
// (Linux without a secret service, where Electron would use a fixed key). The salt and a verifier
// live in `<dataDir>/secret.passphrase.json` so a wrong passphrase is refused, never used to
// produce garbage or to seal new values under a key nobody knows.
import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
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

  /** Blocks for the scrypt cost (~0.3 s at the default); the main process should use unlockAsync. */
  static unlock(opts: PassphraseOptions): PassphraseCipher {
    const plan = planUnlock(opts);
    return new PassphraseCipher(finishUnlock(opts, plan, deriveSync(opts.passphrase, plan.salt, plan.params)), plan.file);
  }

  /** Same as unlock, with scrypt on libuv's thread pool so the event loop stays responsive. */
  static async unlockAsync(opts: PassphraseOptions): Promise<PassphraseCipher> {
    const plan = planUnlock(opts);
    return new PassphraseCipher(finishUnlock(opts, plan, await deriveAsync(opts.passphrase, plan.salt, plan.params)), plan.file);
  }
}

type ParamsRecord = z.infer<typeof paramsFile>;

/** What to derive with: an existing file's salt and cost, or a fresh salt for a new passphrase. */
interface UnlockPlan {
  file: string;
  salt: Buffer;
  params: ScryptParams;
  existing: ParamsRecord | null;
}

function planUnlock(opts: PassphraseOptions): UnlockPlan {
  const file = join(opts.dataDir, PASSPHRASE_FILE_NAME);
  const text = readPrivateFile(file);
  if (text !== null) {
    const record = parseRecord(file, text);
    return { file, salt: Buffer.from(record.salt, 'base64'), params: record, existing: record };
  }
  if (opts.hasStoredSecrets?.() === true) {
    throw new SecretError(
      'secret_key_missing',
      `The passphrase file ${file} is missing, but the database holds secrets sealed with it. Restore the file from a backup, ` +
        'or disconnect the accounts and delete their saved keys to start over.',
    );
  }
  if (opts.passphrase.length < MIN_PASSPHRASE_CHARS) {
    throw new SecretError('passphrase_too_short', `Choose a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters.`);
  }
  return { file, salt: randomBytes(SALT_BYTES), params: opts.scrypt ?? DEFAULT_SCRYPT, existing: null };
}

/** Checks the key against an existing verifier, or records a new passphrase; returns the key in force. */
function finishUnlock(opts: PassphraseOptions, plan: UnlockPlan, key: Buffer): Buffer {
  if (plan.existing) {
    checkVerifier(plan.existing, key);
    return key;
  }
  const record: ParamsRecord = {
    v: 1,
    kdf: 'scrypt',
    N: plan.params.N,
    r: plan.params.r,
    p: plan.params.p,
    salt: plan.salt.toString('base64'),
    verifier: verifierOf(key).toString('base64'),
  };
  if (createFileExclusive(plan.file, `${JSON.stringify(record, null, 2)}\n`)) return key;
  // Lost a creation race: the other process's salt is the one in force. Rare, so derive in place.
  const raced = readPrivateFile(plan.file);
  if (raced === null) throw new Error(`The passphrase file ${plan.file} vanished while it was being created.`);
  const theirs = parseRecord(plan.file, raced);
  const theirKey = deriveSync(opts.passphrase, Buffer.from(theirs.salt, 'base64'), theirs);
  checkVerifier(theirs, theirKey);
  return theirKey;
}

function parseRecord(file: string, text: string): ParamsRecord {
  try {
    return paramsFile.parse(JSON.parse(text));
  } catch (cause) {
    throw new SecretError(
      'secret_key_invalid',
      `The passphrase file ${file} is damaged. Restore it from a backup; without it the sealed secrets cannot be opened.`,
      { cause },
    );
  }
}

function checkVerifier(record: ParamsRecord, key: Buffer): void {
  const expected = Buffer.from(record.verifier, 'base64');
  const actual = verifierOf(key);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new SecretError('wrong_passphrase', 'That passphrase is not the one your secrets were sealed with. Try again.');
  }
}

function scryptOptions(params: ScryptParams): ScryptOptions {
  // Node's default maxmem (32 MiB) is below what the recommended N needs (128 * N * r bytes).
  return { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
}

// NFC so the same passphrase typed on another keyboard or OS derives the same key.
function deriveSync(passphrase: string, salt: Buffer, params: ScryptParams): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, KEY_BYTES, scryptOptions(params));
}

function deriveAsync(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, scryptOptions(params), (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** HMAC under the derived key: checks the passphrase without storing anything that helps decrypt. */
function verifierOf(key: Buffer): Buffer {
  return createHmac('sha256', key).update('postdesk/passphrase-verifier/v1').digest();
}
