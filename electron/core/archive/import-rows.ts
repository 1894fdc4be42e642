// The import's heavy part, run in the archive worker:
//  1. unpack: extract the tar into a scratch folder (regular files at expected paths only), then
//     check the manifest (format, schema version) and every file's size and SHA-256, and that
//     nothing unlisted came along. Any failure refuses the archive before a row is written.
//  2. commit, in ONE transaction on the live file with foreign-key checks deferred to the commit
//     (a failure or a cancel rolls everything back):
//     - an archive at this install's schema: rows go straight in from the JSON lines;
//     - an older archive: rows are loaded into a scratch SQLite file at the archive's schema
//       version, this install's newer migrations run over it (exactly as over an older
//       database), and every table is copied into the live file with INSERT ... SELECT.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join, relative, sep } from 'node:path';
import { extract as tarExtract } from 'tar';
import { openConnection, openDatabase } from '../../../db/client';
import { withBulkFtsIndexing } from '../../../db/search';
import { migrate } from '../../../db/migrate';
import { ensureVectorTable } from '../../../db/vector/tables';
import { migrations } from '../../../migrations/embedded';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  ArchiveError,
  MANIFEST_FILE,
  manifestSchema,
  totalRows,
  type ArchiveProgress,
  type Manifest,
  type TableEntry,
} from './format';
import { decodeCell, readLines } from './jsonl';
import { columnsOf, planTables, q } from './tables';

type Progress = (p: ArchiveProgress) => void;

const STAGING_FILE = 'staging.db';
const VECTORS = '__archive_vectors';

const ALLOWED = /^(manifest\.json|rows\/[a-z0-9_]+\.jsonl|secrets\/[A-Za-z0-9_.-]+|media\/[A-Za-z0-9_./-]+|knowledge\/[A-Za-z0-9_./-]+)$/;

export interface UnpackRequest {
  archive: string;
  workDir: string;
}

function damaged(detail: string): ArchiveError {
  return new ArchiveError('damaged', `This archive is damaged or incomplete (${detail}). Nothing was imported. Export the workspace again and copy the whole file.`);
}

export async function unpackArchive(req: UnpackRequest, progress: Progress): Promise<Manifest> {
  if (!existsSync(req.archive)) throw new ArchiveError('not_found', `There is no file at ${req.archive}. Check the path and try again.`);
  const size = statSync(req.archive).size;
  progress({ stage: 'unpacking', done: 0, total: size, message: 'Unpacking…' });
  try {
    await tarExtract({
      file: req.archive,
      cwd: req.workDir,
      strict: true,
      preserveOwner: false,
      // Only regular files at the paths an archive has; links, devices and anything else are left out.
      filter: (path, entry) => {
        const type = 'type' in entry ? entry.type : entry.isDirectory() ? 'Directory' : 'File';
        const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
        return type === 'Directory' || (type === 'File' && ALLOWED.test(clean) && !clean.split('/').includes('..'));
      },
    });
  } catch (err) {
    const msg = (err as Error).message;
    if (/unexpected end|TAR_BAD_ARCHIVE|unrecognized archive|zlib|incorrect header|invalid/i.test(msg)) {
      throw new ArchiveError(
        'wrong_format',
        /unexpected end|truncat/i.test(msg)
          ? `This archive ends early: the file was cut off while it was copied or downloaded. Nothing was imported. Copy the whole file again.`
          : `This file is not a Postdesk workspace archive (${msg}). Nothing was imported. Choose a file made with Settings → Export and import.`,
      );
    }
    throw damaged(msg);
  }
  progress({ stage: 'verifying', done: 0, total: 1, message: 'Checking the archive…' });
  const manifest = readManifest(req.workDir);
  await verifyFiles(req.workDir, manifest, progress);
  return manifest;
}

/** The manifest, checked for format and schema version against this install. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw damaged('its manifest is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== ARCHIVE_FORMAT) {
    throw new ArchiveError('wrong_format', 'This file is not a Postdesk workspace archive. Nothing was imported. Choose a file made with Settings → Export and import.');
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && version > ARCHIVE_FORMAT_VERSION) {
    throw new ArchiveError('newer_schema', 'This archive was made by a newer version of Postdesk. Update Postdesk on this computer, then import it again.');
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw damaged(`its manifest does not match the format: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const m = parsed.data;
  const latest = migrations.at(-1)!;
  if (m.schema.idx > latest.idx) {
    throw new ArchiveError(
      'newer_schema',
      `This archive was made by a newer version of Postdesk (Postdesk ${m.appVersion}, database version ${m.schema.idx}; this one reads up to ${latest.idx}). Update Postdesk on this computer, then import it again.`,
    );
  }
  const known = migrations.find((x) => x.idx === m.schema.idx);
  if (!known || known.tag !== m.schema.tag) {
    throw new ArchiveError('unknown_schema', `This archive's database version (${m.schema.idx} "${m.schema.tag}") is not one this version of Postdesk knows. Nothing was imported.`);
  }
  const listed = new Set(m.files.map((f) => f.path));
  for (const t of m.tables) if (!listed.has(t.file)) throw damaged(`${t.file} is not in its file list`);
  return m;
}

function readManifest(workDir: string): Manifest {
  const file = join(workDir, MANIFEST_FILE);
  if (!existsSync(file)) throw new ArchiveError('wrong_format', 'This file is not a Postdesk workspace archive (it has no manifest). Nothing was imported.');
  return parseManifest(readFileSync(file, 'utf8'));
}

function walk(dir: string, base: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) walk(abs, base, out);
    else out.push(relative(base, abs).split(sep).join('/'));
  }
}

async function verifyFiles(workDir: string, m: Manifest, progress: Progress): Promise<void> {
  const present: string[] = [];
  walk(workDir, workDir, present);
  const listed = new Set(m.files.map((f) => f.path));
  const extra = present.find((p) => p !== MANIFEST_FILE && !listed.has(p));
  if (extra) throw damaged(`it holds ${extra}, which its manifest does not list`);
  const total = m.files.reduce((n, f) => n + f.bytes, 0);
  let done = 0;
  for (const f of m.files) {
    const abs = join(workDir, f.path);
    if (!existsSync(abs)) throw damaged(`${f.path} is missing`);
    const size = statSync(abs).size;
    if (size !== f.bytes) throw damaged(`${f.path} has ${size} bytes instead of ${f.bytes}`);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(abs)) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== f.sha256) throw damaged(`${f.path} does not match its checksum`);
    done += f.bytes;
    progress({ stage: 'verifying', done, total, message: 'Checking the archive…' });
  }
}

export interface CommitRequest {
  dbFile: string;
  dataDir: string;
  workDir: string;
  manifest: Manifest;
  /** Secret tables' rows re-sealed for this install, by table name (relative to workDir). Secret
   * tables without an entry are not imported. */
  secretFiles: Record<string, string>;
  /** The app checkpoints the WAL from its own background thread (scheduler/checkpointer.ts), so the
   * import's commit leaves its pages in the WAL for it instead of copying them itself. */
  backgroundCheckpoints?: boolean;
}

export interface CommitResult {
  rows: number;
  /** Internal row numbers (seq) that clashed with this install's and were moved up. */
  renumbered: string[];
}

export function commitArchive(req: CommitRequest, progress: Progress): CommitResult {
  const m = req.manifest;
  const stagingFile = join(req.workDir, STAGING_FILE);
  const latest = migrations.at(-1)!.idx;
  const older = m.schema.idx < latest;
  if (!older) return importDirect(req, progress);
  stageRows(stagingFile, req, progress);
  if (older) {
    progress({ stage: 'migrating', done: 0, total: latest - m.schema.idx, message: `Upgrading the archive from database version ${m.schema.idx} to ${latest}…` });
    const staging = openConnection({ file: stagingFile });
    try {
      // The scratch file needs no pre-migration backup: ':memory:' tells migrate() to skip it.
      migrate(staging, { file: ':memory:' });
    } finally {
      staging.close();
    }
  }
  return copyIntoLive(stagingFile, req, progress);
}

function stageRows(stagingFile: string, req: CommitRequest, progress: Progress): void {
  const m = req.manifest;
  const db = openDatabase({ file: stagingFile, migrateUpTo: m.schema.idx });
  const sqlite = db.sqlite;
  try {
    // A scratch file: no journal, no fsync, no foreign keys (checked when copied into the live file).
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('foreign_keys = OFF');
    sqlite.exec(`CREATE TABLE ${VECTORS} (table_name TEXT NOT NULL, chunk_seq INTEGER NOT NULL, workspace_id TEXT NOT NULL, embedding BLOB NOT NULL)`);
    sqlite.exec('BEGIN');
    const counter = rowCounter(totalRows(m), 'staging', progress);
    for (const t of m.tables) {
      const file = fileFor(t, req);
      if (!file) continue;
      const insert =
        t.kind === 'vectors'
          ? sqlite.prepare(`INSERT INTO ${VECTORS} (table_name, chunk_seq, workspace_id, embedding) VALUES ('${t.name}', ?, ?, ?)`)
          : prepareInsert(sqlite, t.name, t.columns);
      loadRows(req.workDir, file, t, (values) => insert.run(values), counter);
    }
    for (const r of m.relocated) {
      // The row named the file by absolute path on the other computer; here it lives under this data folder.
      sqlite.prepare(`UPDATE ${q(r.table)} SET ${q(r.column)} = ? WHERE id = ?`).run(join(req.dataDir, ...r.path.split('/')), r.id);
    }
    sqlite.exec('COMMIT');
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  } finally {
    db.close();
  }
}


/** The file a table's rows are read from: secrets only in their re-sealed form, or not at all. */
function fileFor(t: TableEntry, req: CommitRequest): string | null {
  if (t.kind !== 'secrets') return t.file;
  return req.secretFiles[t.name] ?? null;
}

function rowCounter(total: number, stage: 'staging' | 'committing', progress: Progress): (table: string) => void {
  let done = 0;
  let last = 0;
  progress({ stage, done, total, message: 'Reading rows…' });
  return (table) => {
    if (++done - last >= 20_000) {
      last = done;
      progress({ stage, done, total, message: `Saving ${table}…` });
    }
  };
}

/** Parses each JSON line of a table's file, checks its shape, and hands the values on. */
function loadRows(workDir: string, file: string, t: TableEntry, run: (values: unknown[]) => void, counted: (table: string) => void): number {
  let n = 0;
  for (const line of readLines(join(workDir, file))) {
    let values: unknown;
    try {
      values = JSON.parse(line);
    } catch {
      throw damaged(`row ${n + 1} of ${t.name} is not valid JSON`);
    }
    if (!Array.isArray(values) || values.length !== t.columns.length) throw damaged(`row ${n + 1} of ${t.name} has the wrong number of values`);
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (v !== null && typeof v === 'object') values[i] = decodeCell(v);
    }
    try {
      run(values);
    } catch (err) {
      if (err instanceof ArchiveError) throw err;
      throw damaged(`row ${n + 1} of ${t.name} was refused: ${(err as Error).message}`);
    }
    n++;
    counted(t.name);
  }
  if (t.kind !== 'secrets' && n !== t.rows) throw damaged(`${t.name} has ${n} rows instead of ${t.rows}`);
  return n;
}

function refuseExisting(live: ReturnType<typeof openConnection>, m: Manifest): void {
  if (live.prepare('SELECT 1 FROM main.workspaces WHERE id = ?').get(m.workspace.id)) {
    throw new ArchiveError(
      'workspace_exists',
      `The workspace "${m.workspace.name}" is already on this computer (same id). Nothing was imported. Delete it here first if the archive should replace it.`,
    );
  }
}

/**
 * Rows restored from an archive are not new edits: with sync on, this install's capture triggers
 * (electron/core/sync/capture.ts) skip writes made while sync_state.applying = 1, the flag the
 * sync engine itself sets while applying pulled changes. It is set inside the import's own
 * transaction, so no other connection ever sees it, and put back before the commit.
 */
function quietSync(live: ReturnType<typeof openConnection>): () => void {
  const has = live.prepare(`SELECT 1 FROM pragma_table_info('sync_state') WHERE name = 'applying'`).get();
  if (!has) return () => undefined;
  const before = live.prepare<[], { applying: number }>('SELECT applying FROM sync_state WHERE id = 1').get()?.applying ?? 0;
  live.prepare('UPDATE sync_state SET applying = 1 WHERE id = 1').run();
  return () => live.prepare('UPDATE sync_state SET applying = ? WHERE id = 1').run(before);
}

function commitOrExplain(live: ReturnType<typeof openConnection>): void {
  try {
    live.exec('COMMIT');
  } catch (err) {
    throw /FOREIGN KEY/i.test((err as Error).message) ? damaged('some rows point at rows the archive does not hold') : err;
  }
}

/**
 * An archive at this install's schema goes straight into the live file, in one transaction with
 * foreign-key checks deferred to the commit: no second copy of a million rows through a scratch
 * file. The worker holds the write lock meanwhile; reads (WAL) carry on.
 */
function importDirect(req: CommitRequest, progress: Progress): CommitResult {
  const m = req.manifest;
  const live = openForImport(req);
  try {
    const shared = new Set(planTables(live).filter((p) => p.shared).map((p) => p.name));
    for (const t of m.tables) {
      if (t.kind !== 'vectors' || t.rows === 0) continue;
      const dims = Number(/^knowledge_vec_(\d+)$/.exec(t.name)?.[1]);
      if (!Number.isInteger(dims)) throw damaged(`${t.name} is not a vector table`);
      ensureVectorTable(live, dims);
    }
    let rows = 0;
    const renumbered: string[] = [];
    live.exec('BEGIN IMMEDIATE');
    try {
      live.pragma('defer_foreign_keys = ON');
      refuseExisting(live, m);
      const restoreSync = quietSync(live);
      // seq is an internal row number (the full-text index's rowid), unique per install: when
      // another workspace here already uses one in the archive's range, this table's rows move
      // above this install's highest. Ids, which everything else references, never change.
      const offsets = new Map<string, number>();
      for (const t of m.tables) {
        if (!t.seq || t.kind !== 'rows') continue;
        const clash = live.prepare(`SELECT 1 FROM ${q(t.name)} WHERE seq BETWEEN ? AND ? LIMIT 1`).get(t.seq.min, t.seq.max);
        if (!clash) continue;
        const max = live.prepare<[], { n: number | null }>(`SELECT MAX(seq) AS n FROM ${q(t.name)}`).get()?.n ?? 0;
        offsets.set(t.name, max + 1 - t.seq.min);
        renumbered.push(t.name);
      }
      const chunkOffset = offsets.get('knowledge_chunks') ?? 0;
      const counter = rowCounter(totalRows(m), 'committing', progress);
      // Each table's rows keep their seq range, moved by its offset: no row of this install lies in it.
      const ftsRanges = m.tables.flatMap((t) => (t.seq && t.kind === 'rows' ? [{ table: t.name, from: t.seq.min + (offsets.get(t.name) ?? 0), to: t.seq.max + (offsets.get(t.name) ?? 0) }] : []));
      withBulkFtsIndexing(live, ftsRanges, () => {
        for (const t of m.tables) {
          const file = fileFor(t, req);
          if (!file) continue;
          if (t.kind === 'vectors') {
            const ins = live.prepare(`INSERT INTO ${q(t.name)} (chunk_seq, workspace_id, embedding) VALUES (?, ?, ?)`);
            // vec0 takes only INTEGER keys, and a JS number binds as REAL: BigInt.
            rows += loadRows(req.workDir, file, t, (v) => ins.run(BigInt((v[0] as number) + chunkOffset), v[1], v[2]), counter);
            continue;
          }
          const ins = prepareInsert(live, t.name, t.columns, shared.has(t.name));
          const seqAt = t.columns.indexOf('seq');
          const offset = offsets.get(t.name) ?? 0;
          const range = t.seq;
          rows += loadRows(
            req.workDir,
            file,
            t,
            range && seqAt >= 0
              ? (v) => {
                  // Full-text indexing covers exactly the manifest's seq range (see ftsRanges).
                  const seq = v[seqAt];
                  if (typeof seq !== 'number' || seq < range.min || seq > range.max) throw damaged(`a ${t.name} row's number lies outside the range its manifest gives`);
                  v[seqAt] = seq + offset;
                  ins.run(v);
                }
              : (v) => ins.run(v),
            counter,
          );
        }
      });
      for (const r of m.relocated) {
        live.prepare(`UPDATE ${q(r.table)} SET ${q(r.column)} = ? WHERE id = ?`).run(join(req.dataDir, ...r.path.split('/')), r.id);
      }
      restoreSync();
      commitOrExplain(live);
    } catch (err) {
      if (live.inTransaction) live.exec('ROLLBACK');
      throw err;
    }
    return { rows, renumbered };
  } finally {
    live.close();
  }
}

/** Largest page cache an import's connection may grow to. */
const IMPORT_CACHE_MAX_BYTES = 1 << 30;

/**
 * The import's own connection to the live file. Measured on the large demo (1.9M rows, bench/data.ts):
 * - The page cache is sized to the rows being loaded, up to 1 GiB or an eighth of this computer's
 *   memory: vector rows are written into 1.5 MB chunk blobs whose pages a small cache evicts
 *   between rows (knowledge_vec_384, 100k rows: 11.2 s with 256 MB, 8.0 s with 512 MB, 3.2 s with
 *   1 GB). SQLite allocates the cache as pages are touched and frees it when the import closes.
 * - With the app's background checkpointer running, the commit leaves the WAL to it: copying 1.2 GB
 *   back into the database inside the commit took 5 s the user would wait for.
 */
function openForImport(req: CommitRequest): ReturnType<typeof openConnection> {
  const live = openConnection({ file: req.dbFile });
  const rowBytes = req.manifest.files.filter((f) => f.path.startsWith('rows/')).reduce((n, f) => n + f.bytes, 0);
  const cacheBytes = Math.max(64 << 20, Math.min(IMPORT_CACHE_MAX_BYTES, Math.floor(totalmem() / 8), rowBytes * 2));
  live.pragma(`cache_size = -${Math.floor(cacheBytes / 1024)}`);
  if (req.backgroundCheckpoints) live.pragma('wal_autocheckpoint = 0');
  return live;
}

function prepareInsert(sqlite: ReturnType<typeof openConnection>, table: string, columns: string[], orIgnore = false) {
  const have = new Set(columnsOf(sqlite, table));
  if (have.size === 0) throw damaged(`it holds rows of a table "${table}" that its database version does not have`);
  const unknown = columns.find((c) => !have.has(c));
  if (unknown) throw damaged(`${table}.${unknown} is not a column at its database version`);
  return sqlite.prepare(`INSERT ${orIgnore ? 'OR IGNORE ' : ''}INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
}

/** Tables with an integer `seq` rowid (full-text and vector tables key on it). */
function seqTables(sqlite: ReturnType<typeof openConnection>, tables: string[]): string[] {
  return tables.filter((t) => columnsOf(sqlite, t).includes('seq') && columnsOf(sqlite, t).includes('id'));
}

function copyIntoLive(stagingFile: string, req: CommitRequest, progress: Progress): CommitResult {
  const m = req.manifest;
  const live = openForImport(req);
  try {
    const plans = planTables(live).filter((p) => p.kind !== 'vectors');
    const vectorEntries = m.tables.filter((t) => t.kind === 'vectors' && t.rows > 0);
    for (const t of vectorEntries) {
      const dims = Number(/^knowledge_vec_(\d+)$/.exec(t.name)?.[1]);
      if (!Number.isInteger(dims)) throw damaged(`${t.name} is not a vector table`);
      ensureVectorTable(live, dims);
    }
    live.prepare('ATTACH DATABASE ? AS st').run(stagingFile);
    const total = plans.length + vectorEntries.length;
    let step = 0;
    let rows = 0;
    const renumbered: string[] = [];
    progress({ stage: 'committing', done: 0, total, message: 'Saving…' });
    live.exec('BEGIN IMMEDIATE');
    try {
      live.pragma('defer_foreign_keys = ON');
      refuseExisting(live, m);
      const restoreSync = quietSync(live);
      for (const t of seqTables(live, plans.map((p) => p.name))) {
        // seq is an internal row number (the full-text index's rowid), unique per install: when
        // another workspace here already uses one of the archive's, this table's rows move above
        // this install's highest. Ids, which everything else references, never change.
        const clash = live.prepare(`SELECT 1 FROM st.${q(t)} s WHERE EXISTS (SELECT 1 FROM main.${q(t)} x WHERE x.seq = s.seq) LIMIT 1`).get();
        if (!clash) continue;
        const offset = (live.prepare<[], { n: number | null }>(`SELECT MAX(seq) AS n FROM main.${q(t)}`).get()?.n ?? 0) + 1;
        live.exec(`UPDATE st.${q(t)} SET seq = -seq`);
        live.prepare(`UPDATE st.${q(t)} SET seq = ? - seq`).run(offset);
        if (t === 'knowledge_chunks') live.prepare(`UPDATE st.${VECTORS} SET chunk_seq = chunk_seq + ?`).run(offset);
        renumbered.push(t);
      }
      for (const p of plans) {
        const cols = columnsOf(live, p.name);
        const stCols = new Set(columnsOf(live, p.name, 'st'));
        const missing = cols.find((c) => !stCols.has(c));
        if (missing) throw new Error(`the upgraded archive lacks ${p.name}.${missing}`);
        const list = cols.map(q).join(', ');
        // Rows of shared tables (users) may already be here: the install's own is kept.
        rows += live.prepare(`INSERT ${p.shared ? 'OR IGNORE ' : ''}INTO main.${q(p.name)} (${list}) SELECT ${list} FROM st.${q(p.name)}`).run().changes;
        progress({ stage: 'committing', done: ++step, total, message: `Saving ${p.name}…` });
      }
      for (const t of vectorEntries) {
        rows += live
          .prepare(`INSERT INTO main.${q(t.name)} (chunk_seq, workspace_id, embedding) SELECT chunk_seq, workspace_id, embedding FROM st.${VECTORS} WHERE table_name = ?`)
          .run(t.name).changes;
        progress({ stage: 'committing', done: ++step, total, message: `Saving ${t.name}…` });
      }
      restoreSync();
      commitOrExplain(live);
    } catch (err) {
      if (live.inTransaction) live.exec('ROLLBACK');
      throw err;
    }
    live.exec('DETACH DATABASE st');
    return { rows, renumbered };
  } finally {
    live.close();
  }
}
