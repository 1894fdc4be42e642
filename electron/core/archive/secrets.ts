// Secrets in an archive. Sealed values are bound to this install's key (the OS keychain, a key
// file or the user's passphrase), so they are useless elsewhere and are left out by default. With
// an export passphrase, each is opened with the vault and sealed again under a key derived from
// that passphrase (scrypt, the same PassphraseCipher the app uses, whose salt and verifier file
// travels in secrets/): the archive then opens only with the passphrase, and on import every value
// is opened with it and sealed with the importing install's vault. Runs on the main thread: the
// vault (Electron safeStorage) lives there, and there are a handful of rows.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { ApiContext } from '../context';
import { isSecretError } from '../secrets/errors';
import { PassphraseCipher, PASSPHRASE_FILE_NAME, type ScryptParams } from '../secrets/passphrase-cipher';
import { secretAad, type SealedTable } from '../secrets/vault';
import { ArchiveError, SECRETS_DIR, type FileEntry, type Manifest, type TableEntry } from './format';
import { JsonlWriter, readLines } from './jsonl';
import { columnsOf, q, SECRET_TABLES } from './tables';

/** A sealed column is one whose name says so; every secret column in the schema ends this way. */
const isSealed = (column: string) => column.endsWith('_encrypted');

async function exportCipher(dir: string, passphrase: string, scrypt?: ScryptParams): Promise<PassphraseCipher> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return PassphraseCipher.unlockAsync({ dataDir: dir, passphrase, hasStoredSecrets: () => false, ...(scrypt ? { scrypt } : {}) });
}

function hashFile(abs: string, rel: string): FileEntry {
  const buf = readFileSync(abs);
  return { path: rel, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** Writes secrets/<table>.jsonl re-sealed under the passphrase, and the passphrase's salt file. */
export async function writeExportSecrets(
  ctx: ApiContext,
  workspaceId: string,
  workDir: string,
  passphrase: string,
  scrypt?: ScryptParams,
): Promise<{ tables: TableEntry[]; files: FileEntry[]; secrets: NonNullable<Manifest['secrets']> }> {
  ctx.vault.assertUnlocked();
  const to = await exportCipher(join(workDir, SECRETS_DIR), passphrase, scrypt);
  const sqlite = ctx.db.sqlite;
  const tables: TableEntry[] = [];
  const files: FileEntry[] = [];
  let rows = 0;
  for (const table of SECRET_TABLES) {
    const columns = columnsOf(sqlite, table);
    const idIdx = columns.indexOf('id');
    const rel = `${SECRETS_DIR}/${table}.jsonl`;
    const w = new JsonlWriter(join(workDir, rel), rel);
    const all = sqlite.prepare(`SELECT ${columns.map(q).join(', ')} FROM ${q(table)} WHERE workspace_id = ?`).raw(true).all(workspaceId) as unknown[][];
    for (const row of all) {
      const id = String(row[idIdx]);
      w.row(
        row.map((v, i) => {
          const col = columns[i]!;
          if (!isSealed(col) || typeof v !== 'string') return v;
          const plain = ctx.vault.open(table as SealedTable, id, col, v);
          return to.seal(plain, secretAad(table as SealedTable, id, col));
        }),
      );
    }
    files.push(w.close());
    tables.push({ name: table, kind: 'secrets', file: rel, columns, rows: w.rows });
    rows += w.rows;
  }
  const passphraseFile = `${SECRETS_DIR}/${PASSPHRASE_FILE_NAME}`;
  files.push(hashFile(join(workDir, passphraseFile), passphraseFile));
  return { tables, files, secrets: { passphraseFile, rows } };
}

/**
 * Opens the archive's secrets with the passphrase and seals them with this install's vault, into
 * secrets/<table>.local.jsonl; returns those files by table for the commit.
 */
export async function resealImportSecrets(ctx: ApiContext, manifest: Manifest, workDir: string, passphrase: string | undefined): Promise<Record<string, string>> {
  if (!manifest.secrets || manifest.secrets.rows === 0) return {};
  if (!passphrase) {
    throw new ArchiveError(
      'passphrase_required',
      'This archive holds saved sign-ins and keys, protected by the passphrase chosen when it was exported. Enter that passphrase to import it.',
    );
  }
  ctx.vault.assertUnlocked();
  let from: PassphraseCipher;
  try {
    from = await PassphraseCipher.unlockAsync({ dataDir: join(workDir, dirname(manifest.secrets.passphraseFile)), passphrase });
  } catch (err) {
    if (isSecretError(err, 'wrong_passphrase')) {
      throw new ArchiveError('wrong_passphrase', 'That is not the passphrase this archive was exported with. Nothing was imported. Try again.');
    }
    throw err;
  }
  const out: Record<string, string> = {};
  for (const t of manifest.tables.filter((x) => x.kind === 'secrets')) {
    const idIdx = t.columns.indexOf('id');
    const rel = `${SECRETS_DIR}/${t.name}.local.jsonl`;
    const w = new JsonlWriter(join(workDir, rel), rel);
    for (const line of readLines(join(workDir, t.file))) {
      const row = JSON.parse(line) as unknown[];
      const id = String(row[idIdx]);
      w.row(
        row.map((v, i) => {
          const col = t.columns[i]!;
          if (!isSealed(col) || typeof v !== 'string') return v;
          try {
            const plain = from.open(v, secretAad(t.name as SealedTable, id, col));
            return ctx.vault.seal(t.name as SealedTable, id, col, plain);
          } catch (err) {
            if (isSecretError(err)) throw new ArchiveError('damaged', `A saved sign-in in this archive failed its integrity check (${t.name}). Nothing was imported. Export the workspace again.`);
            throw err;
          }
        }),
      );
    }
    w.close();
    out[t.name] = rel;
  }
  return out;
}
