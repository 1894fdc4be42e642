// XRPC over the shared HttpClient: queries are GET /xrpc/<nsid>?params, procedures POST a JSON
// (or raw blob) body. Errors arrive as `{error, message}` bodies, which ./errors already reads.
import type { z } from 'zod';
import { joinUrl } from '../connector';
import { PlatformError } from '../errors';
import { bearer, type HttpClient, type HttpRequest } from '../http';

/** The service a PDS forwards chat.bsky.* calls to (atproto "service proxying"). */
export const CHAT_PROXY = 'did:web:api.bsky.chat#bsky_chat';

export interface XrpcCall {
  baseUrl: string;
  /** Access JWT, or the refresh JWT for refreshSession/deleteSession; null for public queries. */
  token: string | null;
  /** `atproto-proxy` target, for calls the PDS must forward (chat). */
  proxy?: string;
  signal?: AbortSignal | undefined;
}

export function xrpcUrl(baseUrl: string, nsid: string): string {
  return joinUrl(baseUrl, `/xrpc/${nsid}`);
}

function headers(call: XrpcCall): Record<string, string> {
  return { ...(call.token === null ? {} : bearer(call.token)), ...(call.proxy === undefined ? {} : { 'atproto-proxy': call.proxy }) };
}

export class Xrpc {
  constructor(readonly http: HttpClient) {}

  async query<S extends z.ZodType>(call: XrpcCall, nsid: string, query: HttpRequest['query'], schema: S): Promise<z.output<S>> {
    const req: HttpRequest = { method: 'GET', url: xrpcUrl(call.baseUrl, nsid), headers: headers(call), ...(query === undefined ? {} : { query }) };
    if (call.signal) req.signal = call.signal;
    return (await this.http.json(req, schema)).data;
  }

  async procedure<S extends z.ZodType>(
    call: XrpcCall,
    nsid: string,
    input: { json?: unknown; body?: BodyInit; contentType?: string; idempotent?: boolean; timeoutMs?: number },
    schema: S,
  ): Promise<z.output<S>> {
    const h = headers(call);
    if (input.contentType !== undefined) h['content-type'] = input.contentType;
    const req: HttpRequest = { method: 'POST', url: xrpcUrl(call.baseUrl, nsid), headers: h };
    if (input.json !== undefined) req.json = input.json;
    if (input.body !== undefined) req.body = input.body;
    if (input.idempotent !== undefined) req.idempotent = input.idempotent;
    if (input.timeoutMs !== undefined) req.timeoutMs = input.timeoutMs;
    if (call.signal) req.signal = call.signal;
    return (await this.http.json(req, schema)).data;
  }

  /** A procedure whose answer has no body we need (deleteSession answers 200 with nothing). */
  async procedureNoOutput(call: XrpcCall, nsid: string, json: unknown, idempotent = false): Promise<void> {
    const req: HttpRequest = { method: 'POST', url: xrpcUrl(call.baseUrl, nsid), headers: headers(call), idempotent };
    if (json !== undefined) req.json = json;
    if (call.signal) req.signal = call.signal;
    await this.http.send(req);
  }
}

/** The XRPC error name a PlatformError carries (`RecordNotFound`, `UpstreamFailure`, ...). */
export function xrpcCode(err: unknown): string | null {
  return err instanceof PlatformError ? err.code : null;
}

/** at://<did>/<collection>/<rkey> split into its parts. */
export function parseAtUri(uri: string): { repo: string; collection: string; rkey: string } | null {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(uri);
  return m && m[1] && m[2] && m[3] ? { repo: m[1], collection: m[2], rkey: m[3] } : null;
}
