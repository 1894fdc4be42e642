// The media files on disk: `<dataDir>/media/<first 2 hex>/<sha256>.<ext>`, content-addressed so
// the same bytes are kept once however often they are imported. A file arrives as a temp file in
// `media/tmp` (written while it is hashed, so nothing reads it twice) and is renamed into place:
// a rename within one folder tree is atomic, so a reader never sees half a file under its final
// name, and a crash leaves at most a temp file that the next start sweeps away.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Beyond any network's video limit (X: 512 MB, LinkedIn: 500 MB... Facebook's 10 GB aside). */
export const MAX_MEDIA_BYTES = 1024 ** 3;

export const MEDIA_DIR = 'media';
const TMP_DIR = 'tmp';

export function mediaRoot(dataDir: string): string {
  return join(dataDir, MEDIA_DIR);
}

export function tempDirOf(dataDir: string): string {
  return join(dataDir, MEDIA_DIR, TMP_DIR);
}

/**
 * The stored path relative to the data folder, with forward slashes: rows sync between machines,
 * and publishing joins it onto the local data folder (electron/core/posts/publish.ts).
 */
export function storedPathFor(sha256: string, ext: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256.slice(0, 80)}`);
  if (!/^[a-z0-9]{1,8}$/.test(ext)) throw new Error(`not a file extension: ${ext.slice(0, 20)}`);
  return `${MEDIA_DIR}/${sha256.slice(0, 2)}/${sha256}.${ext}`;
}

/**
 * The absolute path of a stored file, or null when the stored path would lead outside the media
 * folder: rows can arrive by sync, so a path is never trusted just because it is in the database.
 */
export function resolveStored(dataDir: string, storedPath: string): string | null {
  const root = resolve(mediaRoot(dataDir));
  const abs = resolve(dataDir, storedPath);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(/[\\/]/)[0] === TMP_DIR) return null;
  return abs;
}

/** `source`: the bytes could not be read (the file went away, the upload was cut off). */
export type StoreErrorCode = 'too_large' | 'empty' | 'source' | 'disk_full' | 'io';

export class MediaStoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaStoreError';
  }
}

export interface TempFile {
  path: string;
  sha256: string;
  size: number;
  /** The first `headBytes` bytes (or the whole file if shorter), for type detection. */
  head: Buffer;
}

export interface WriteTempOptions {
  maxBytes?: number;
  headBytes?: number;
  /**
   * Sees the head as soon as it has arrived and throws to refuse the file, so an upload of the
   * wrong type stops after a few bytes instead of after a gigabyte.
   */
  checkHead?: (head: Buffer) => void;
  signal?: AbortSignal;
}

/** Counts, hashes and keeps the head of what passes through, refusing once it is too large. */
class Intake extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  /** What this stage refused the file with; pipeline then destroys the source with the same error. */
  failure: Error | undefined;
  private headParts: Buffer[] = [];
  private headSize = 0;
  private headChecked = false;

  constructor(
    private readonly maxBytes: number,
    private readonly headBytes: number,
    private readonly checkHead: ((head: Buffer) => void) | undefined,
  ) {
    super();
  }

  get head(): Buffer {
    return Buffer.concat(this.headParts, this.headSize);
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += buf.length;
    if (this.size > this.maxBytes) {
      done((this.failure = tooLarge(this.maxBytes)));
      return;
    }
    if (this.headSize < this.headBytes) {
      const part = buf.subarray(0, this.headBytes - this.headSize);
      // Copied: the source may reuse its buffer for the next chunk.
      this.headParts.push(Buffer.from(part));
      this.headSize += part.length;
    }
    try {
      if (!this.headChecked && this.headSize >= this.headBytes) this.runCheck();
    } catch (err) {
      done((this.failure = err as Error));
      return;
    }
    this.hash.update(buf);
    done(null, buf);
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.size === 0) throw new MediaStoreError('empty', 'The file is empty.');
      if (!this.headChecked) this.runCheck();
      done();
    } catch (err) {
      done((this.failure = err as Error));
    }
  }

  private runCheck(): void {
    this.headChecked = true;
    this.checkHead?.(this.head);
  }
}

function tooLarge(max: number): MediaStoreError {
  return new MediaStoreError('too_large', `The file is larger than ${formatBytes(max)}, the most Postdesk keeps in its media library. Use a shorter or smaller export.`);
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function ioError(err: unknown, doing: string): Error {
  if (err instanceof MediaStoreError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new MediaStoreError('disk_full', 'The disk is full, so the file was not imported. Free some space and try again.', { cause: err });
  }
  // Only system calls carry `syscall`; anything else (a refused head check, an aborted upload, a
  // source that failed) keeps its own message.
  if (typeof (err as NodeJS.ErrnoException | undefined)?.syscall !== 'string') return err instanceof Error ? err : new Error(String(err));
  return new MediaStoreError('io', `Postdesk could not ${doing} (${code ?? 'I/O error'}). Check that the data folder is writable and try again.`, { cause: err });
}

/**
 * Streams `source` into a new temp file while hashing it. Memory stays at a few chunks whatever
 * the size (pipeline applies backpressure). On any failure the temp file is removed before the
 * error is thrown, so a refused or broken import leaves nothing behind.
 */
export async function writeTemp(dataDir: string, source: Readable, opts: WriteTempOptions = {}): Promise<TempFile> {
  const dir = tempDirOf(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `${randomUUID()}.part`);
  const intake = new Intake(opts.maxBytes ?? MAX_MEDIA_BYTES, opts.headBytes ?? 64, opts.checkHead);
  // pipeline reports the first error of any stream; remembering the source's tells "could not read
  // your file" apart from "could not write ours".
  let sourceError: unknown;
  source.once('error', (err) => (sourceError ??= err));
  try {
    await pipeline(source, intake, createWriteStream(path, { flags: 'wx', mode: 0o600 }), opts.signal ? { signal: opts.signal } : {});
  } catch (err) {
    await rm(path, { force: true }).catch(() => undefined);
    if (err === sourceError && err !== intake.failure) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new MediaStoreError('source', `The file could not be read to the end${code ? ` (${code})` : ''}, so it was not imported. Check that it is still there and readable, then try again.`, { cause: err });
    }
    throw ioError(err, 'write the file into the media folder');
  }
  return { path, sha256: intake.hash.digest('hex'), size: intake.size, head: intake.head };
}

/**
 * Moves a verified temp file to its content address. When a file with the same bytes is already
 * there (same hash, same size), the temp copy is dropped instead. A file of the wrong size under
 * that name is damaged (a disk error or a hand edit), so the fresh copy replaces it.
 */
export async function placeTemp(dataDir: string, temp: TempFile, storedPath: string): Promise<'moved' | 'existing'> {
  const target = resolveStored(dataDir, storedPath);
  if (!target) throw new Error(`stored path outside the media folder: ${storedPath}`);
  try {
    const existing = await stat(target).catch(() => null);
    if (existing?.isFile() && existing.size === temp.size) {
      await rm(temp.path, { force: true });
      return 'existing';
    }
    await mkdir(resolve(target, '..'), { recursive: true, mode: 0o700 });
    await rename(temp.path, target);
    return 'moved';
  } catch (err) {
    await rm(temp.path, { force: true }).catch(() => undefined);
    throw ioError(err, 'move the file into the media folder');
  }
}

/** Deletes a stored file; a file already gone is not an error. */
export async function removeStored(dataDir: string, storedPath: string): Promise<boolean> {
  const abs = resolveStored(dataDir, storedPath);
  if (!abs) return false;
  try {
    await unlink(abs);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw ioError(err, 'delete the file from the media folder');
  }
}

/**
 * Removes temp files left by a crash or a killed process. Only files older than `olderThanMs` go,
 * so an import running in this process at startup is never cut short.
 */
export async function sweepTemp(dataDir: string, olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  const dir = tempDirOf(dataDir);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    const p = join(dir, name);
    const s = await stat(p).catch(() => null);
    if (s && now - s.mtimeMs >= olderThanMs) {
      await rm(p, { force: true }).catch(() => undefined);
      removed++;
    }
  }
  return removed;
}

// ---------------------------------------------------------------------------------------------

const locks = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` after every earlier call with the same key has finished. Importing and deleting the
 * same bytes both decide "is this file still needed?" across an await (a rename, an unlink), so
 * they take turns per content hash; other hashes are not held up. The order holds within one
 * process (the core that owns the data folder).
 */
export async function withKeyLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}
