// Web mode's archive routes: in a browser the renderer cannot name a local path, so an export is
// fetched from the data folder and an archive to import is sent up first.
//
//   GET  /api/archive/download/<file name>
//       an archive archive.export wrote to <data folder>/exports/ (its default place), streamed
//       as an attachment
//   PUT  /api/archive/upload?fileName=<name>
//       the archive's bytes as the body, streamed to <data folder>/archive-uploads/ ->
//       201 {result: {path, bytes}}; then archive.inspect / archive.import that path
//
// Both sit under /api, so the web host has already checked Host, Origin and the Bearer token.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ApiError, HTTP_STATUS, type ApiErrorBody } from '../api/errors';
import { EXPORTS_DIR, UPLOADS_DIR } from '../core/archive/archive';
import type { ApiContext } from '../core/context';

export const ARCHIVE_DOWNLOAD_PREFIX = '/api/archive/download/';
export const ARCHIVE_UPLOAD_PATH = '/api/archive/upload';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, HTTP_STATUS[err.code], err, headers);
}

/** Answers the archive routes; returns false (touching nothing) for any other path. */
export async function handleArchiveRequest(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (pathname.startsWith(ARCHIVE_DOWNLOAD_PREFIX)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, new ApiError('invalid_input', 'Archives are downloaded with GET.').toJSON(), { Allow: 'GET, HEAD' });
      return true;
    }
    await download(ctx, req, res, decodeURIComponent(pathname.slice(ARCHIVE_DOWNLOAD_PREFIX.length)));
    return true;
  }
  if (pathname === ARCHIVE_UPLOAD_PATH) {
    if (req.method !== 'PUT') {
      sendError(res, new ApiError('invalid_input', `Upload an archive with PUT ${ARCHIVE_UPLOAD_PATH}?fileName=… and the bytes as the body.`).toJSON(), { Allow: 'PUT' });
      return true;
    }
    await upload(ctx, req, res);
    return true;
  }
  return false;
}

async function download(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
  if (!FILE_NAME.test(name)) {
    sendError(res, new ApiError('invalid_input', 'Name an archive file from the exports folder (letters, digits, dots, dashes).').toJSON());
    return;
  }
  const file = join(ctx.dataDir, EXPORTS_DIR, name);
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) {
    sendError(res, new ApiError('not_found', 'That export is not in the exports folder any more. Export the workspace again.').toJSON());
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/gzip',
    'Content-Length': String(s.size),
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res).catch(() => {
    // The browser went away mid-download; nothing to answer.
  });
}

async function upload(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const given = params.get('fileName') ?? 'archive.postdesk.tgz';
  // The stored name is ours (an id); the user's name is kept only as a readable suffix.
  const safe = given.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80);
  const dir = join(ctx.dataDir, UPLOADS_DIR);
  const file = join(dir, `${randomUUID()}-${safe}`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await pipeline(req, createWriteStream(file, { mode: 0o600 }));
    if (!req.complete) throw Object.assign(new Error('the upload was cut off before the end'), { code: 'ECONNRESET' });
    const { size } = await stat(file);
    sendJson(res, 201, { result: { path: file, bytes: size } });
  } catch (err) {
    await rm(file, { force: true });
    const code = (err as NodeJS.ErrnoException).code;
    const apiErr =
      code === 'ENOSPC'
        ? new ApiError('disk_full', 'The disk is full, so the archive could not be received. Free some space and upload it again.')
        : new ApiError('invalid_input', `The upload did not arrive whole (${(err as Error).message}). Upload the archive again.`);
    sendError(res, apiErr.toJSON(), req.complete ? {} : { Connection: 'close' });
  }
}
