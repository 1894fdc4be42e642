// Web mode's knowledge upload: a document too large for a JSON call.
//
//   PUT /api/knowledge?workspaceId=<id>&filename=<name>[&title=<text>]
//       raw file bytes as the body -> 201 {result: knowledge.import's answer} | 200 for a duplicate
//       (or an FAQ .csv) | {code, message}
//
// JSON bodies stop at 5 MB and base64 grows a PDF by a third, so before this route a browser could
// import nothing over ~3.7 MB while the knowledge base takes 50 MB. The bytes are read with the
// document cap enforced as they arrive (a larger body is refused before it is all in memory), then
// go through the same importDocument as knowledge.import. The web host checks Host, Origin and the
// Bearer token before calling this, as for every path under /api.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { toApiError } from '../api/dispatch';
import { ApiError, HTTP_STATUS, type ApiErrorBody } from '../api/errors';
import { workspaceId } from '../api/fields';
import type { ApiContext } from '../core/context';
import { importDocument } from '../core/knowledge/documents';
import { MAX_DOCUMENT_BYTES } from '../core/knowledge/formats';

export const KNOWLEDGE_UPLOAD_PATH = '/api/knowledge';

const uploadQuery = z.object({
  workspaceId,
  filename: z.string().trim().min(1, 'name the file (with its extension)').max(255),
  title: z.string().trim().min(1).max(500).optional(),
});

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

class UploadCut extends Error {}

/** Answers PUT /api/knowledge; returns false (touching nothing) for any other path. */
export async function handleKnowledgeUpload(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (pathname !== KNOWLEDGE_UPLOAD_PATH) return false;
  if (req.method !== 'PUT') {
    refuse(req, res, 405, new ApiError('invalid_input', `Upload a document with PUT ${KNOWLEDGE_UPLOAD_PATH}?workspaceId=…&filename=… and the bytes as the body.`).toJSON(), { Allow: 'PUT' });
    return true;
  }
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const parsed = uploadQuery.safeParse({
    workspaceId: params.get('workspaceId') ?? undefined,
    filename: params.get('filename') ?? undefined,
    title: params.get('title') ?? undefined,
  });
  if (!parsed.success) {
    refuse(req, res, 400, toApiError(parsed.error).toJSON());
    return true;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) {
    refuse(req, res, 413, tooLarge(declared));
    return true;
  }
  let bytes: Buffer;
  try {
    bytes = await readCapped(req, MAX_DOCUMENT_BYTES);
  } catch (err) {
    if (err instanceof UploadCut) refuse(req, res, 400, new ApiError('invalid_input', 'The upload was cut off before the end; nothing was imported. Try again.').toJSON());
    else refuse(req, res, 413, tooLarge(MAX_DOCUMENT_BYTES + 1));
    return true;
  }
  try {
    const result = await importDocument(ctx, { workspaceId: parsed.data.workspaceId, fileName: parsed.data.filename, title: parsed.data.title, bytes });
    const created = result.kind === 'document' && !result.duplicate;
    send(res, created ? 201 : 200, { result });
  } catch (err) {
    const apiErr = toApiError(err);
    if (apiErr.code === 'internal') console.error('[web] knowledge upload failed:', err);
    refuse(req, res, HTTP_STATUS[apiErr.code], apiErr.toJSON());
  }
  return true;
}

function tooLarge(size: number): ApiErrorBody {
  const over = size > MAX_DOCUMENT_BYTES + 1 ? `The file is ${mb(size)}; the` : 'The';
  return new ApiError('invalid_input', `${over} knowledge base takes files up to ${mb(MAX_DOCUMENT_BYTES)}. Split it into parts, or export only the text.`).toJSON();
}

/** The whole body, refused (with the rest left unread) as soon as it passes `limit`. */
function readCapped(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        reject(new Error('too large'));
        return;
      }
      parts.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(parts, size)));
    req.on('error', () => reject(new UploadCut()));
    req.on('close', () => {
      if (!req.complete) reject(new UploadCut());
    });
  });
}

/**
 * Answers a refused upload. If the body is still arriving, the connection is closed after the
 * answer and the rest is drained meanwhile, so the client sees the reason rather than a reset.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: ApiErrorBody, headers: Record<string, string> = {}): void {
  const unread = !req.complete;
  if (unread) req.resume();
  send(res, status, error, unread ? { ...headers, Connection: 'close' } : headers);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
