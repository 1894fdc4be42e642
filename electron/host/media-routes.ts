// Web mode's media routes: the two things a JSON call cannot do well.
//
//   PUT /api/media?workspaceId=<id>&filename=<name>[&altText=<text>]
//       raw file bytes as the body (any Content-Type; the bytes decide the type), streamed into
//       the media library -> 201 {result: MediaImport} | 200 for a duplicate | {code, message}
//   GET|HEAD /media/<id>
//       the file, for <img>/<video> in the renderer: its type, long-lived caching (a library
//       item's bytes never change: same id, same content), byte ranges so video can seek
//   GET|HEAD /media/<id>?thumb=<version>
//       its thumbnail (core/media/thumbnails.ts), or while it has none the original picture; a
//       video with none is a 404. Cached for good only when <version> is the current one.
//
// The web host decides who may reach these: it checks Host and Origin for both, and the Bearer
// token for PUT (everything under /api). GET /media/<id> cannot carry a token (an <img> sends no
// headers), so it relies on the id being unguessable (UUIDv7: 74 random bits) and on
// Cross-Origin-Resource-Policy, which stops other sites from embedding the file.
// The desktop app is to serve GET /media/<id> the same way through its app:// protocol.
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { toApiError } from '../api/dispatch';
import { ApiError, HTTP_STATUS, type ApiErrorBody } from '../api/errors';
import { id, workspaceId } from '../api/fields';
import type { ApiContext } from '../core/context';
import { importMediaStream, MediaError, mediaForServing, type ServableMedia } from '../core/media/library';
import { formatBytes, MAX_MEDIA_BYTES } from '../core/media/store';
import { mediaCacheControl } from '../core/media/thumbnails';

export const MEDIA_UPLOAD_PATH = '/api/media';
export const MEDIA_SERVE_PREFIX = '/media/';

const uploadQuery = z.object({
  workspaceId,
  filename: z.string().trim().min(1, 'name the file').max(255),
  altText: z.string().max(5000).optional(),
});

/**
 * Answers the media routes; returns false (touching nothing) for any other path. The caller has
 * already checked Host/Origin, and the Bearer token for paths under /api.
 */
export async function handleMediaRequest(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (pathname === MEDIA_UPLOAD_PATH) {
    if (req.method !== 'PUT') {
      sendError(res, 405, new ApiError('invalid_input', `Upload a file with PUT ${MEDIA_UPLOAD_PATH}?workspaceId=…&filename=… and the bytes as the body.`).toJSON(), { Allow: 'PUT' });
      return true;
    }
    await upload(ctx, req, res);
    return true;
  }
  if (pathname.startsWith(MEDIA_SERVE_PREFIX)) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, new ApiError('invalid_input', 'Media files are read with GET.').toJSON(), { Allow: 'GET, HEAD' });
      return true;
    }
    await serve(ctx, req, res, pathname.slice(MEDIA_SERVE_PREFIX.length));
    return true;
  }
  return false;
}

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

function sendError(res: ServerResponse, status: number, error: ApiErrorBody, headers: Record<string, string> = {}): void {
  sendJson(res, status, error, headers);
}

// ---------------------------------------------------------------------------------------------
// Upload

function statusFor(err: ApiError): number {
  if (err instanceof MediaError) {
    if (err.reason === 'too_large') return 413;
    if (err.reason === 'unsupported') return 415;
  }
  return HTTP_STATUS[err.code];
}

async function upload(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const parsed = uploadQuery.safeParse({
    workspaceId: params.get('workspaceId') ?? undefined,
    filename: params.get('filename') ?? undefined,
    altText: params.get('altText') ?? undefined,
  });
  if (!parsed.success) {
    return refuseUpload(req, res, 400, toApiError(parsed.error).toJSON());
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_MEDIA_BYTES) {
    return refuseUpload(req, res, 413, new ApiError('invalid_input', `The file is ${formatBytes(declared)}; the media library takes files up to ${formatBytes(MAX_MEDIA_BYTES)}. Use a shorter or smaller export.`).toJSON());
  }

  // The import destroys its source when it refuses the file; reading through a PassThrough keeps
  // the request (and its socket) alive, so the client still gets the answer that says why.
  const body = new PassThrough({ highWaterMark: 1024 * 1024 });
  req.on('error', (err) => body.destroy(err));
  req.on('close', () => {
    if (!req.complete) body.destroy(Object.assign(new Error('the upload was cut off before the end'), { code: 'ECONNRESET' }));
  });
  req.pipe(body);

  const contentType = req.headers['content-type'];
  try {
    const result = await importMediaStream(ctx, {
      workspaceId: parsed.data.workspaceId,
      filename: parsed.data.filename,
      mimeType: typeof contentType === 'string' ? contentType : undefined,
      altText: parsed.data.altText,
      stream: body,
    });
    sendJson(res, result.duplicate ? 200 : 201, { result });
  } catch (err) {
    const apiErr = toApiError(err);
    if (apiErr.code === 'internal') console.error('[web] media upload failed:', err);
    refuseUpload(req, res, statusFor(apiErr), apiErr.toJSON());
  }
}

/**
 * Answers a refused upload. If the body is still arriving, the connection is closed after the
 * answer and the rest is read and dropped meanwhile, so the client is not cut off mid-send
 * (which would hide the answer behind a connection reset).
 */
function refuseUpload(req: IncomingMessage, res: ServerResponse, status: number, error: ApiErrorBody): void {
  const unread = !req.complete;
  if (unread) {
    req.unpipe();
    req.resume();
  }
  sendError(res, status, error, unread ? { Connection: 'close' } : {});
}

// ---------------------------------------------------------------------------------------------
// Serve

function etagOf(file: ServableMedia): string {
  return file.sha256 ? `"${file.sha256}"` : `"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`;
}

/** RFC 9110 If-None-Match: a list of tags or *, weak comparison. */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export type RangeResult = { start: number; end: number } | 'unsatisfiable' | null;

/**
 * One `bytes=` range (inclusive end), 'unsatisfiable', or null to send the whole file: several
 * ranges or a malformed header are answered with everything, which RFC 9110 14.2 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return null;
  const [, from = '', to = ''] = m;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (to !== '' && Number(to) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** RFC 6266 / 8187: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `inline; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

async function serve(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, rawId: string): Promise<void> {
  const parsedId = id.safeParse(rawId);
  const thumb = new URL(req.url ?? '/', 'http://localhost').searchParams.get('thumb');
  const file = parsedId.success ? await mediaForServing(ctx, parsedId.data, { thumbnail: thumb !== null }) : null;
  if (!file) {
    const what = thumb === null ? 'no media file' : 'no thumbnail or picture';
    return sendError(res, 404, new ApiError('not_found', `There is ${what} here (it may have been deleted).`).toJSON());
  }
  const etag = etagOf(file);
  const headers: Record<string, string> = {
    'Cache-Control': mediaCacheControl(file, thumb),
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Content-Disposition': contentDisposition(file.filename),
  };
  if (noneMatch(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const ifRange = req.headers['if-range'];
  // A Range made against other bytes than these must get the whole file (RFC 9110 13.1.5).
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, file.size) : null;
  if (range === 'unsatisfiable') {
    return sendError(res, 416, new ApiError('invalid_input', `That byte range is outside the file (${file.size} bytes).`).toJSON(), {
      'Content-Range': `bytes */${file.size}`,
    });
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? file.size - 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'Content-Type': file.mimeType,
    'Content-Length': String(end - start + 1),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${file.size}` } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(createReadStream(file.path, { start, end, highWaterMark: 256 * 1024 }), res);
  } catch {
    // The viewer went away mid-file (scrubbing a video does this all the time), or the file
    // vanished under us; the headers are out, so cutting the connection is the only answer.
    res.destroy();
  }
}
