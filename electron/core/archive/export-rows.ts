// The export's heavy part, run in the archive worker with its own read-only connection: every
// row of the workspace in one read transaction (a consistent snapshot while the app keeps
// writing), the files the rows name, the manifest, and the gzipped tar, written beside the
// destination and renamed into place only when complete.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { create as tarCreate } from 'tar';
import { openConnection } from '../../../db/client';
import { resolveStored } from '../media/store';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, MANIFEST_FILE, ROWS_DIR, type FileEntry, type Manifest, type TableEntry, type ArchiveProgress } from './format';
import { JsonlWriter } from './jsonl';
import { planTables, schemaVersion } from './tables';

export interface ExportRequest {
  dbFile: string;
  dataDir: string;
  workspaceId: string;
  outFile: string;
  /** Scratch folder (created by the caller, removed by the caller). */
  workDir: string;
  appVersion: string;
  createdAt: number;
  /** Written by the main thread before the worker starts (secrets re-sealed under the passphrase). */
  prewritten: { tables: TableEntry[]; files: FileEntry[]; secrets: Manifest['secrets'] };
  /** zlib level: 1 packs several times faster than 6 for ~15% more bytes on JSON lines. */
  gzipLevel: number;
}

export interface ExportResult {
  manifest: Manifest;
  archiveBytes: number;
}

type Progress = (p: ArchiveProgress) => void;

export async function exportRows(req: ExportRequest, progress: Progress): Promise<ExportResult> {
  const sqlite = openConnection({ file: req.dbFile, readonly: true });
  let manifest: Manifest;
  try {
    // A read-only connection gets no pragmas from openConnection; this one reads every page of a
    // workspace once, so memory-mapped reads and a larger cache pay (the worker ends with the export).
    sqlite.pragma('mmap_size = 1073741824');
    sqlite.pragma('cache_size = -131072');
    sqlite.exec('BEGIN');
    const ws = sqlite.prepare<[string], { id: string; name: string }>('SELECT id, name FROM workspaces WHERE id = ?').get(req.workspaceId);
    if (!ws) throw new Error(`no workspace ${req.workspaceId}`);
    const schema = schemaVersion(sqlite);
    const plans = planTables(sqlite).filter((p) => p.kind !== 'secrets');
    const counts = plans.map((p) => (sqlite.prepare<[{ ws: string }], { n: number }>(p.count).get({ ws: req.workspaceId })?.n ?? 0));
    const total = counts.reduce((a, b) => a + b, 0);
    const tables: TableEntry[] = [...req.prewritten.tables];
    const files: FileEntry[] = [...req.prewritten.files];
    let done = 0;
    let lastReport = 0;
    progress({ stage: 'rows', done, total, message: 'Writing rows…' });
    for (const plan of plans) {
      const rel = `${ROWS_DIR}/${plan.name}.jsonl`;
      const w = new JsonlWriter(join(req.workDir, rel), rel);
      const stmt = sqlite.prepare(plan.select).raw(true);
      const seqAt = plan.kind === 'rows' ? plan.columns.indexOf('seq') : -1;
      let seqMin = Infinity;
      let seqMax = -Infinity;
      for (const row of stmt.iterate({ ws: req.workspaceId }) as IterableIterator<unknown[]>) {
        w.row(row);
        if (seqAt >= 0) {
          const s = row[seqAt] as number;
          if (s < seqMin) seqMin = s;
          if (s > seqMax) seqMax = s;
        }
        if (++done - lastReport >= 20_000) {
          lastReport = done;
          progress({ stage: 'rows', done, total: Math.max(total, done), message: `Writing ${plan.name}…` });
        }
      }
      files.push(w.close());
      tables.push({ name: plan.name, kind: plan.kind, file: rel, columns: plan.columns, rows: w.rows, seq: seqAt >= 0 && w.rows > 0 ? { min: seqMin, max: seqMax } : null });
    }
    const { mediaFiles, missing, relocated } = await copyFiles(sqlite, req, progress);
    sqlite.exec('COMMIT');
    files.push(...mediaFiles);
    manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      appVersion: req.appVersion,
      schema,
      workspace: { id: ws.id, name: ws.name },
      createdAt: req.createdAt,
      tables,
      files,
      media: { files: mediaFiles.length, bytes: mediaFiles.reduce((n, f) => n + f.bytes, 0), thumbnails: 'included', missingCount: missing.length, missing: missing.slice(0, 100) },
      relocated,
      secrets: req.prewritten.secrets,
    };
  } finally {
    sqlite.close();
  }
  writeFileSync(join(req.workDir, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
  const archiveBytes = await pack(req, manifest, progress);
  return { manifest, archiveBytes };
}

/** A file under the data folder that a row names, as a path relative to the data folder. */
function underDataDir(dataDir: string, stored: string): string | null {
  const abs = isAbsolute(stored) ? resolve(stored) : resolve(dataDir, stored);
  const rel = relative(resolve(dataDir), abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

async function copyFiles(sqlite: ReturnType<typeof openConnection>, req: ExportRequest, progress: Progress) {
  // Media originals and thumbnails (content-addressed under media/), and knowledge documents'
  // stored files (knowledge/<id>.<ext>, named by absolute path in the row, so relocated on import).
  const wanted = new Map<string, { table: string; column: string; id: string } | null>();
  const media = sqlite
    .prepare<[string], { path: string | null; thumb: string | null }>('SELECT path, thumbnail_path AS thumb FROM media WHERE workspace_id = ?')
    .all(req.workspaceId);
  for (const m of media) {
    for (const p of [m.path, m.thumb]) {
      if (p && resolveStored(req.dataDir, p)) wanted.set(p, null);
    }
  }
  const docs = sqlite
    .prepare<[string], { id: string; filePath: string | null }>('SELECT id, file_path AS filePath FROM knowledge_documents WHERE workspace_id = ? AND file_path IS NOT NULL')
    .all(req.workspaceId);
  for (const d of docs) {
    const rel = d.filePath ? underDataDir(req.dataDir, d.filePath) : null;
    if (rel) wanted.set(rel, isAbsolute(d.filePath!) ? { table: 'knowledge_documents', column: 'file_path', id: d.id } : null);
  }

  const mediaFiles: FileEntry[] = [];
  const missing: string[] = [];
  const relocated: Manifest['relocated'] = [];
  let done = 0;
  for (const [rel, reloc] of wanted) {
    const src = join(req.dataDir, rel);
    if (!existsSync(src) || !statSync(src).isFile()) {
      missing.push(rel);
      continue;
    }
    const dest = join(req.workDir, rel);
    mkdirSync(dirname(dest), { recursive: true });
    const hash = createHash('sha256');
    let bytes = 0;
    await pipeline(
      createReadStream(src),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          bytes += chunk.length;
          cb(null, chunk);
        },
      }),
      createWriteStream(dest, { mode: 0o600 }),
    );
    mediaFiles.push({ path: rel, bytes, sha256: hash.digest('hex') });
    if (reloc) relocated.push({ ...reloc, path: rel });
    progress({ stage: 'media', done: ++done, total: wanted.size, message: 'Copying media…' });
  }
  return { mediaFiles, missing, relocated };
}

async function pack(req: ExportRequest, manifest: Manifest, progress: Progress): Promise<number> {
  const partial = `${req.outFile}.partial`;
  mkdirSync(dirname(req.outFile), { recursive: true });
  const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
  let done = 0;
  let last = 0;
  try {
    // manifest.json first, so `inspect` reads it without inflating the rest.
    const top = [MANIFEST_FILE, ...new Set(manifest.files.map((f) => f.path))];
    await tarCreate(
      {
        gzip: { level: req.gzipLevel },
        file: partial,
        cwd: req.workDir,
        portable: true,
        noDirRecurse: true,
        mode: 0o600,
        onWriteEntry: (entry) => {
          done += entry.stat?.size ?? 0;
          if (done - last > 8 * 1024 * 1024 || done === total) {
            last = done;
            progress({ stage: 'packing', done, total, message: 'Compressing…' });
          }
        },
      },
      top,
    );
    renameSync(partial, req.outFile);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return statSync(req.outFile).size;
}
