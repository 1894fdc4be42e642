// Export one workspace to a single archive file and import it on another install (or this one,
// once the workspace is gone): same ids, same rows, same media bytes. The row and file work runs
// in the archive worker (worker-client.ts); this module does what must happen on the main thread
// (secrets through the vault, events, moving media into place after the commit) and keeps the
// operations cancellable by id.
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Parser } from 'tar';
import { migrations } from '../../../migrations/embedded';
import type { ApiContext } from '../context';
import { ARCHIVE_EXTENSION, ArchiveError, MANIFEST_FILE, ROWS_DIR, SECRETS_DIR, totalRows, type ArchiveProgress, type ArchiveSummary, type Manifest } from './format';
import { parseManifest } from './import-rows';
import { resealImportSecrets, writeExportSecrets } from './secrets';
import { runInWorker } from './worker-client';
import type { ScryptParams } from '../secrets/passphrase-cipher';

/** Scratch folders live in the data folder, so media moves into place with a rename. */
const WORK_DIR = 'archive-work';
export const EXPORTS_DIR = 'exports';
export const UPLOADS_DIR = 'archive-uploads';

const running = new Map<string, AbortController>();

export interface ExportInput {
  workspaceId: string;
  /** Where to write the archive (absolute); default: <data folder>/exports/<name>-<date>.postdesk.tgz. */
  path?: string | undefined;
  /** Include saved sign-ins and keys, sealed under this passphrase. */
  passphrase?: string | undefined;
  /** Chosen by the caller so it can follow 'archive.progress' and cancel. */
  operationId?: string | undefined;
  /** Tests use a cheap cost; users get the default. */
  scrypt?: ScryptParams | undefined;
  gzipLevel?: number | undefined;
}

export interface ExportOutcome {
  operationId: string;
  path: string;
  fileName: string;
  bytes: number;
  rows: number;
  mediaFiles: number;
  /** Files the rows name that were not on disk (and so are not in the archive). */
  missingMedia: number;
  secrets: boolean;
  seconds: number;
}

export interface ImportInput {
  path: string;
  passphrase?: string | undefined;
  operationId?: string | undefined;
}

export interface ImportOutcome {
  operationId: string;
  workspaceId: string;
  name: string;
  rows: number;
  mediaFiles: number;
  /** The archive's database version when it was older than this install's (migrated on import). */
  migratedFrom: number | null;
  secrets: boolean;
  seconds: number;
}

/** Stop a running export or import; false when nothing by that id is running. */
export function cancelArchiveOperation(operationId: string): boolean {
  const c = running.get(operationId);
  if (!c) return false;
  c.abort();
  return true;
}

function emit(ctx: ApiContext, operationId: string, direction: 'export' | 'import', p: ArchiveProgress): void {
  ctx.events.emit('archive.progress', { operationId, direction, ...p });
}

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'workspace'
  );
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(resolve(dir), resolve(file));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function defaultExportPath(dataDir: string, workspaceName: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return join(dataDir, EXPORTS_DIR, `${slug(workspaceName)}-${stamp}${ARCHIVE_EXTENSION}`);
}

async function withOperation<T>(
  ctx: ApiContext,
  direction: 'export' | 'import',
  operationId: string | undefined,
  work: (id: string, signal: AbortSignal, workDir: string) => Promise<T>,
): Promise<T> {
  const id = operationId ?? randomUUID();
  if (running.has(id)) throw new ArchiveError('io', `An ${direction} with id ${id} is already running.`);
  const controller = new AbortController();
  running.set(id, controller);
  const workDir = join(ctx.dataDir, WORK_DIR, id);
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  try {
    const result = await work(id, controller.signal, workDir);
    emit(ctx, id, direction, { stage: 'done', done: 1, total: 1, message: direction === 'export' ? 'Exported.' : 'Imported.' });
    return result;
  } catch (err) {
    const stage = err instanceof ArchiveError && err.reason === 'cancelled' ? 'cancelled' : 'failed';
    emit(ctx, id, direction, { stage, done: 0, total: 1, message: err instanceof Error ? err.message : String(err) });
    if (err instanceof ArchiveError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') throw new ArchiveError('io', `The disk is full, so the ${direction} stopped. Nothing was changed. Free some space and try again.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new ArchiveError('io', `Postdesk may not write there (${(err as Error).message}). Choose another folder and try again.`);
    }
    throw err;
  } finally {
    running.delete(id);
    await rm(workDir, { recursive: true, force: true });
  }
}

export async function exportWorkspace(ctx: ApiContext, input: ExportInput): Promise<ExportOutcome> {
  const ws = ctx.db.sqlite.prepare<[string], { id: string; name: string }>('SELECT id, name FROM workspaces WHERE id = ?').get(input.workspaceId);
  if (!ws) throw new ArchiveError('not_found', 'That workspace does not exist (it may have been deleted). Choose another one.');
  const outFile = input.path ?? defaultExportPath(ctx.dataDir, ws.name);
  return withOperation(ctx, 'export', input.operationId, async (id, signal, workDir) => {
    const t0 = performance.now();
    const progress = (p: ArchiveProgress) => emit(ctx, id, 'export', p);
    progress({ stage: 'rows', done: 0, total: 0, message: 'Starting…' });
    const prewritten = input.passphrase
      ? await writeExportSecrets(ctx, ws.id, workDir, input.passphrase, input.scrypt)
      : { tables: [], files: [], secrets: null };
    const { manifest, archiveBytes } = await runInWorker(
      {
        op: 'export',
        req: {
          dbFile: ctx.db.file,
          dataDir: ctx.dataDir,
          workspaceId: ws.id,
          outFile,
          workDir,
          appVersion: ctx.appVersion,
          createdAt: Date.now(),
          prewritten,
          gzipLevel: input.gzipLevel ?? 1,
        },
      },
      progress,
      signal,
    );
    return {
      operationId: id,
      path: outFile,
      fileName: outFile.split(/[\\/]/).pop()!,
      bytes: archiveBytes,
      rows: totalRows(manifest),
      mediaFiles: manifest.media.files,
      missingMedia: manifest.media.missingCount,
      secrets: manifest.secrets !== null,
      seconds: (performance.now() - t0) / 1000,
    };
  }).catch(async (err: unknown) => {
    // A cancelled or failed export leaves no half-written archive (the worker writes <path>.partial).
    await rm(`${outFile}.partial`, { force: true });
    throw err;
  });
}

/** The manifest, read from the front of the archive without inflating the rest. */
export async function readArchiveManifest(path: string): Promise<Manifest> {
  if (!existsSync(path)) throw new ArchiveError('not_found', `There is no file at ${path}. Check the path and try again.`);
  const text = await new Promise<string>((resolve, reject) => {
    const source = createReadStream(path);
    let first = true;
    let done = false;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry) => {
        if (!first || entry.path.replace(/^\.\//, '') !== MANIFEST_FILE) {
          entry.resume();
          if (first && !done) {
            done = true;
            reject(new ArchiveError('wrong_format', 'This file is not a Postdesk workspace archive (it does not start with a manifest). Choose a file made with Settings → Export and import.'));
            source.destroy();
          }
          first = false;
          return;
        }
        first = false;
        const parts: Buffer[] = [];
        entry.on('data', (c: Buffer) => parts.push(c));
        entry.on('end', () => {
          done = true;
          resolve(Buffer.concat(parts).toString('utf8'));
          source.destroy();
        });
      },
    });
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      reject(
        new ArchiveError('wrong_format', `This file is not a Postdesk workspace archive, or it is damaged (${err.message}). Choose a file made with Settings → Export and import.`),
      );
    };
    parser.on('error', fail);
    source.on('error', fail);
    parser.on('end', () => fail(new Error('no manifest')));
    source.pipe(parser);
  });
  return parseManifest(text);
}

export function summarize(ctx: ApiContext, m: Manifest): ArchiveSummary {
  return {
    workspace: m.workspace,
    createdAt: m.createdAt,
    appVersion: m.appVersion,
    schema: m.schema,
    needsMigration: m.schema.idx < migrations.at(-1)!.idx,
    rows: totalRows(m),
    tables: m.tables.map((t) => ({ name: t.name, rows: t.rows })),
    media: { files: m.media.files, bytes: m.media.bytes, missing: m.media.missing.length },
    hasSecrets: m.secrets !== null && m.secrets.rows > 0,
    workspaceExists: ctx.db.sqlite.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(m.workspace.id) !== undefined,
  };
}

export async function inspectArchive(ctx: ApiContext, path: string): Promise<ArchiveSummary> {
  return summarize(ctx, await readArchiveManifest(path));
}

export async function importArchive(ctx: ApiContext, input: ImportInput): Promise<ImportOutcome> {
  // Refuse early what the manifest already tells: another format, a newer schema, a workspace here.
  const head = await readArchiveManifest(input.path);
  if (ctx.db.sqlite.prepare('SELECT 1 FROM workspaces WHERE id = ?').get(head.workspace.id)) {
    throw new ArchiveError(
      'workspace_exists',
      `The workspace "${head.workspace.name}" is already on this computer (same id). Nothing was imported. Delete it here first if the archive should replace it.`,
    );
  }
  if (head.secrets && head.secrets.rows > 0 && !input.passphrase) {
    throw new ArchiveError(
      'passphrase_required',
      'This archive holds saved sign-ins and keys, protected by the passphrase chosen when it was exported. Enter that passphrase to import it.',
    );
  }
  return withOperation(ctx, 'import', input.operationId, async (id, signal, workDir) => {
    const t0 = performance.now();
    const progress = (p: ArchiveProgress) => emit(ctx, id, 'import', p);
    const manifest = await runInWorker({ op: 'unpack', req: { archive: input.path, workDir } }, progress, signal);
    const secretFiles = await resealImportSecrets(ctx, manifest, workDir, input.passphrase);
    if (signal.aborted) throw new ArchiveError('cancelled', 'Cancelled. Nothing was changed.');
    // wal_autocheckpoint is 0 exactly while the scheduler's checkpointer thread owns checkpoints.
    const backgroundCheckpoints = Number(ctx.db.sqlite.pragma('wal_autocheckpoint', { simple: true })) === 0;
    const result = await runInWorker(
      { op: 'commit', req: { dbFile: ctx.db.file, dataDir: ctx.dataDir, workDir, manifest, secretFiles, backgroundCheckpoints } },
      progress,
      signal,
    );
    // Committed: the files go into place now. A file already here is the same bytes (media is
    // content-addressed; a knowledge file is named by its document's id), so it is kept.
    const files = manifest.files.filter((f) => !f.path.startsWith(`${ROWS_DIR}/`) && !f.path.startsWith(`${SECRETS_DIR}/`));
    let moved = 0;
    for (const f of files) {
      const dest = join(ctx.dataDir, ...f.path.split('/'));
      const exists = await stat(dest).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await mkdir(dirname(dest), { recursive: true });
        const src = join(workDir, ...f.path.split('/'));
        await rename(src, dest).catch(async (err: NodeJS.ErrnoException) => {
          if (err.code !== 'EXDEV') throw err;
          await copyFile(src, dest);
        });
      }
      progress({ stage: 'media', done: ++moved, total: files.length, message: 'Placing media…' });
    }
    // An archive uploaded by the web page for this import has done its job.
    if (isInside(join(ctx.dataDir, UPLOADS_DIR), input.path)) await rm(input.path, { force: true });
    ctx.events.emit('workspaces.changed', { workspaceId: manifest.workspace.id });
    return {
      operationId: id,
      workspaceId: manifest.workspace.id,
      name: manifest.workspace.name,
      rows: result.rows,
      mediaFiles: files.length,
      migratedFrom: manifest.schema.idx < migrations.at(-1)!.idx ? manifest.schema.idx : null,
      secrets: Object.keys(secretFiles).length > 0,
      seconds: (performance.now() - t0) / 1000,
    };
  });
}
