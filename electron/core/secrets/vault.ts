// The app's one secret box: which cipher is in force, whether it is locked (a passphrase was chosen
// and not yet entered this session), and moving every stored secret to a new key when the user
// sets, changes or removes a passphrase. Connectors and settings seal and open through it only.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../../db/client';
import type { SecretCipher } from './cipher';
import { chooseCipher, type CipherKind, type CipherWarning } from './choose-cipher';
import { SecretError } from './errors';
import { decodeSealed } from './format';
import { PassphraseCipher, PASSPHRASE_FILE_NAME, type ScryptParams } from './passphrase-cipher';
import type { SafeStorageLike } from './safe-storage-cipher';
import { hasStoredSecrets } from './stored-secrets';

/** Every sealed column, with the row key its AAD is bound to. */
const SEALED_COLUMNS = [
  { table: 'account_secrets', columns: ['access_token_encrypted', 'refresh_token_encrypted', 'app_password_encrypted', 'cookies_encrypted', 'api_key_encrypted', 'credentials_encrypted'] },
  { table: 'app_secrets', columns: ['value_encrypted'] },
] as const;

export type SealedTable = (typeof SEALED_COLUMNS)[number]['table'];

/** A sealed value is bound to its table, row and column: moving it to another row fails to open. */
export function secretAad(table: SealedTable, rowId: string, column: string): string {
  return `${table}:${rowId}:${column}`;
}

export interface VaultStatus {
  state: 'unlocked' | 'locked';
  kind: CipherKind | null;
  /** Shown in Settings: secrets are less protected than they should be, and what to do. */
  warning: CipherWarning | null;
  passphraseSet: boolean;
}

export interface VaultOptions {
  db: Database;
  dataDir: string;
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  safeStorage?: SafeStorageLike;
  /** Tests use a cheap cost; users get DEFAULT_SCRYPT. */
  scrypt?: ScryptParams;
}

const STAGING_DIR = 'passphrase-staging';

export class SecretVault {
  readonly #opts: VaultOptions;
  #cipher: SecretCipher | null = null;
  #kind: CipherKind | null = null;
  #warning: CipherWarning | null = null;

  private constructor(opts: VaultOptions) {
    this.#opts = opts;
  }

  /** Opens unlocked unless the user chose a passphrase, which must then be entered (`unlock`). */
  static open(opts: VaultOptions): SecretVault {
    const vault = new SecretVault(opts);
    vault.#dropStalePassphrase();
    if (!vault.passphraseSet) vault.#useDefault();
    return vault;
  }

  get passphraseSet(): boolean {
    return existsSync(this.#passphraseFile);
  }

  status(): VaultStatus {
    return { state: this.#cipher ? 'unlocked' : 'locked', kind: this.#kind, warning: this.#warning, passphraseSet: this.passphraseSet };
  }

  /** The cipher in force; a locked vault refuses with a message that says how to unlock it. */
  get cipher(): SecretCipher {
    if (!this.#cipher) throw new SecretError('secrets_locked', 'Your saved sign-ins are locked. Enter your passphrase in Settings to unlock them.');
    return this.#cipher;
  }

  /** Throws the 'secrets_locked' error now, before any work that would end up needing the key. */
  assertUnlocked(): void {
    if (!this.#cipher) void this.cipher;
  }

  seal(table: SealedTable, rowId: string, column: string, plaintext: string): string {
    return this.cipher.seal(plaintext, secretAad(table, rowId, column));
  }

  open(table: SealedTable, rowId: string, column: string, sealed: string): string {
    return this.cipher.open(sealed, secretAad(table, rowId, column));
  }

  /** Enter the passphrase chosen earlier. scrypt runs off the event loop. */
  async unlock(passphrase: string): Promise<VaultStatus> {
    if (!this.passphraseSet) return this.status();
    const sample = this.#sampleKeyId();
    const staged = join(this.#stagingDir, PASSPHRASE_FILE_NAME);
    // A passphrase change that crashed between re-sealing and swapping files: the staged file is
    // the one in force if the stored secrets carry its key.
    if (existsSync(staged)) {
      const candidate = await this.#tryUnlock(this.#stagingDir, passphrase);
      if (candidate && (sample === null || candidate.keyId === sample)) {
        renameSync(staged, this.#passphraseFile);
        rmSync(this.#stagingDir, { recursive: true, force: true });
        return this.#set(candidate, 'passphrase', null);
      }
    }
    const cipher = await PassphraseCipher.unlockAsync({ dataDir: this.#opts.dataDir, passphrase, ...this.#scrypt });
    rmSync(this.#stagingDir, { recursive: true, force: true });
    return this.#set(cipher, 'passphrase', null);
  }

  /** Protect secrets with a passphrase (new or changed): every stored secret is re-sealed in one transaction. */
  async setPassphrase(passphrase: string): Promise<VaultStatus> {
    const current = this.cipher;
    rmSync(this.#stagingDir, { recursive: true, force: true });
    mkdirSync(this.#stagingDir, { recursive: true, mode: 0o700 });
    const next = await PassphraseCipher.unlockAsync({ dataDir: this.#stagingDir, passphrase, hasStoredSecrets: () => false, ...this.#scrypt });
    this.#reseal(current, next);
    // After the commit: a crash here leaves the staged file, which `unlock` recognises and promotes.
    renameSync(join(this.#stagingDir, PASSPHRASE_FILE_NAME), this.#passphraseFile);
    rmSync(this.#stagingDir, { recursive: true, force: true });
    return this.#set(next, 'passphrase', null);
  }

  /** Back to the system keychain (or key file): re-seal, then forget the passphrase. */
  removePassphrase(): VaultStatus {
    const current = this.cipher;
    const chosen = chooseCipher({ ...this.#base, hasStoredSecrets: () => false });
    this.#reseal(current, chosen.cipher);
    rmSync(this.#passphraseFile, { force: true });
    return this.#set(chosen.cipher, chosen.kind, chosen.warning ?? null);
  }

  get #base() {
    const o = this.#opts;
    return { platform: o.platform, dataDir: o.dataDir, env: o.env, ...(o.safeStorage ? { safeStorage: o.safeStorage } : {}) };
  }

  get #scrypt(): { scrypt?: ScryptParams } {
    return this.#opts.scrypt ? { scrypt: this.#opts.scrypt } : {};
  }

  get #passphraseFile(): string {
    return join(this.#opts.dataDir, PASSPHRASE_FILE_NAME);
  }

  get #stagingDir(): string {
    return join(this.#opts.dataDir, STAGING_DIR);
  }

  #useDefault(): void {
    const chosen = chooseCipher({ ...this.#base, hasStoredSecrets: () => hasStoredSecrets(this.#opts.db.sqlite) });
    this.#set(chosen.cipher, chosen.kind, chosen.warning ?? null);
  }

  #set(cipher: SecretCipher, kind: CipherKind, warning: CipherWarning | null): VaultStatus {
    this.#cipher = cipher;
    this.#kind = kind;
    this.#warning = warning;
    return this.status();
  }

  async #tryUnlock(dir: string, passphrase: string): Promise<PassphraseCipher | null> {
    try {
      return await PassphraseCipher.unlockAsync({ dataDir: dir, passphrase, ...this.#scrypt });
    } catch {
      return null;
    }
  }

  /** Passphrase ciphers' key ids start with 'p'. If stored secrets carry another key, removing the
   * passphrase crashed after re-sealing: the file is stale, and keeping it would lock for nothing. */
  #dropStalePassphrase(): void {
    if (!this.passphraseSet) return;
    const sample = this.#sampleKeyId();
    if (sample !== null && !sample.startsWith('p')) rmSync(this.#passphraseFile, { force: true });
  }

  #sampleKeyId(): string | null {
    for (const { table, columns } of SEALED_COLUMNS) {
      const value = this.#opts.db.sqlite
        .prepare<[], { v: string | null }>(`SELECT COALESCE(${columns.join(', ')}, NULL) AS v FROM ${table} WHERE COALESCE(${columns.join(', ')}, NULL) IS NOT NULL LIMIT 1`)
        .get()?.v;
      if (value) {
        try {
          return decodeSealed(value).keyId;
        } catch {
          return null;
        }
      }
    }
    return null;
  }

  #reseal(from: SecretCipher, to: SecretCipher): void {
    const sqlite = this.#opts.db.sqlite;
    const now = Date.now();
    sqlite.transaction(() => {
      for (const { table, columns } of SEALED_COLUMNS) {
        const rows = sqlite.prepare<[], Record<string, string | null>>(`SELECT id, ${columns.join(', ')} FROM ${table}`).all();
        const update = sqlite.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c} = @${c}`).join(', ')}, key_version = key_version + 1, updated_at = @now WHERE id = @id`);
        for (const row of rows) {
          const id = row['id']!;
          const next: Record<string, string | number | null> = { id, now };
          for (const column of columns) {
            const sealed = row[column] ?? null;
            const aad = secretAad(table, id, column);
            next[column] = sealed === null ? null : to.seal(from.open(sealed, aad), aad);
          }
          update.run(next);
        }
      }
    })();
  }
}
