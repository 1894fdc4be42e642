// One path from (method name, untrusted input) to a result or an ApiError, shared by every host.
import { z } from 'zod';
import type { ApiContext } from '../core/context';
import { AccountNotFoundError } from '../core/accounts/accounts';
import { AiError } from '../core/ai/errors';
import { UnsupportedPlatformError } from '../core/accounts/registry';
import { OAuthFlowError } from '../core/accounts/oauth-loopback';
import { AccountUnavailableError } from '../core/accounts/session';
import { CsvImportError } from '../core/posts/csv-import';
import { PostError } from '../core/posts/posts';
import { InboxError } from '../core/inbox/summary';
import { SecretError } from '../core/secrets/errors';
import { SyncError } from '../core/sync/service';
import { PlatformError } from '../platforms/errors';
import { ApiError, type ApiErrorBody } from './errors';
import { allowedInRecovery, healthOf } from '../core/backups/health';
import { writeFailureKind } from '../core/backups/storage';
import { methods, type ApiInput, type ApiOutput, type MethodName } from './index';

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function isMethodName(name: string): name is MethodName {
  return hasOwn(methods, name);
}

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** Errors of the core's areas that mean something to the user, in the wire's terms. */
function domainError(err: unknown): ApiError | null {
  if (err instanceof SecretError) {
    if (err.code === 'secrets_locked') return new ApiError('locked', err.message);
    if (err.code === 'wrong_passphrase' || err.code === 'passphrase_too_short') return new ApiError('invalid_input', err.message, [{ path: ['passphrase'], message: err.message }]);
    return new ApiError('unavailable', err.message);
  }
  if (err instanceof PlatformError) {
    const wait = err.retryAfterMs === undefined ? '' : ` Try again in ${Math.max(1, Math.ceil(err.retryAfterMs / 1000))} s.`;
    return new ApiError('platform_refused', `${err.message}${wait}`);
  }
  if (err instanceof OAuthFlowError) return new ApiError(err.code === 'port_busy' ? 'unavailable' : 'platform_refused', err.message);
  if (err instanceof AccountNotFoundError) return new ApiError('not_found', err.message);
  if (err instanceof CsvImportError) {
    return new ApiError('invalid_input', err.message, err.failedLines.map((line) => ({ path: ['rows', line], message: `Row ${line} has a problem (see the preview).` })));
  }
  if (err instanceof PostError) return new ApiError(err.code === 'invalid' ? 'invalid_input' : err.code, err.message);
  if (err instanceof InboxError) return new ApiError(err.code === 'invalid' ? 'invalid_input' : err.code, err.message);
  if (err instanceof AiError) {
    // The three a screen reacts to differently get their own codes; an endpoint's trouble is "unavailable".
    if (err.code === 'not_configured') return new ApiError('ai_not_configured', err.message);
    if (err.code === 'budget_exceeded') return new ApiError('budget_exceeded', err.message);
    if (err.code === 'cancelled') return new ApiError('cancelled', err.message);
    if (err.code === 'unauthorized' || err.code === 'model_not_found' || err.code === 'bad_request') return new ApiError('platform_refused', err.message);
    return new ApiError('unavailable', err.message);
  }
  if (err instanceof UnsupportedPlatformError) return new ApiError('invalid_input', err.message);
  if (err instanceof AccountUnavailableError) return new ApiError('conflict', err.message);
  if (err instanceof SyncError) {
    // Not set up / a workspace or cloud schema that does not fit: the user must change something first.
    // Anything else (unreachable, a refused login, a local write that failed): try again or fix the string.
    if (err.code === 'not_connected' || err.code === 'workspace' || err.code === 'cloud_schema') return new ApiError('conflict', err.message);
    return new ApiError('unavailable', err.message);
  }
  return null;
}

const FULL_MESSAGE = 'The disk is full, so the change was not saved. Free some space and try again; nothing already saved was lost.';
const READ_ONLY_MESSAGE = "The database file cannot be written (read-only or moved). Check the data folder's permissions; nothing already saved was lost.";

/** Turn anything thrown by validation, a service or SQLite into the wire error shape. */
export function toApiError(err: unknown, dataDir?: string): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof z.ZodError) {
    return new ApiError(
      'invalid_input',
      'Some of the input is not valid: ' + err.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
      err.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message })),
    );
  }
  const domain = domainError(err);
  if (domain) return domain;
  const code = sqliteCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return new ApiError('conflict', `That already exists (${detail}).`);
    case 'SQLITE_CONSTRAINT_CHECK':
    case 'SQLITE_CONSTRAINT_NOTNULL':
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new ApiError('invalid_input', `The database refused the change: ${detail}.`);
    case 'SQLITE_FULL':
      return new ApiError('disk_full', FULL_MESSAGE);
    case 'SQLITE_IOERR_WRITE':
    case 'SQLITE_IOERR_FSYNC':
    case 'SQLITE_IOERR_TRUNCATE':
    case 'SQLITE_IOERR_SHMSIZE': {
      // A full disk or a drive gone read-only both surface as a write I/O error; the folder tells which.
      const kind = dataDir === undefined ? null : writeFailureKind(dataDir);
      if (kind === 'disk_full') return new ApiError('disk_full', FULL_MESSAGE);
      if (kind === 'read_only') return new ApiError('read_only', READ_ONLY_MESSAGE);
      return new ApiError('unavailable', `The change could not be written to disk (${detail}), so it was not saved. Check the disk and try again; nothing already saved was lost.`);
    }
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DBMOVED':
    case 'SQLITE_READONLY_RECOVERY':
    case 'SQLITE_READONLY_CANTLOCK':
    case 'SQLITE_READONLY_DIRECTORY':
    case 'SQLITE_CANTOPEN':
      return new ApiError('read_only', READ_ONLY_MESSAGE);
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new ApiError('damaged', `The database file is damaged (${detail}). Restore the newest good backup in Settings → Backups; the damaged file is kept for recovery.`);
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new ApiError('unavailable', 'The database is busy with another task. Try again in a moment.');
    default:
      return new ApiError('internal', `Something went wrong inside Postdesk: ${detail}`);
  }
}

export type CallResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** Validate and run one call. Never throws: the result says ok or carries the typed error. */
export async function dispatch(ctx: ApiContext, name: string, rawInput: unknown): Promise<CallResult> {
  if (typeof name !== 'string' || !isMethodName(name)) {
    return { ok: false, error: new ApiError('unknown_method', `There is no API method called "${String(name).slice(0, 100)}".`).toJSON() };
  }
  const def = methods[name];
  const recovery = healthOf(ctx).recovery;
  if (recovery && !allowedInRecovery(name)) return { ok: false, error: new ApiError('damaged', recovery.message).toJSON() };
  try {
    const input = def.input.parse(rawInput === undefined || rawInput === null ? {} : rawInput);
    // The registry is a union of handlers; each accepts its own schema's output, checked just above.
    const handler = def.handler as (c: ApiContext, i: unknown) => unknown;
    const result = await handler(ctx, input);
    return { ok: true, result: result === undefined ? null : result };
  } catch (err) {
    const apiErr = toApiError(err, ctx.dataDir);
    if (apiErr.code === 'internal') console.error(`[api] ${name} failed:`, err);
    return { ok: false, error: apiErr.toJSON() };
  }
}

/** In-process client with the renderer's types: what tests use to call handlers directly. */
export function inProcessClient(ctx: ApiContext) {
  return async function call<M extends MethodName>(
    name: M,
    input: ApiInput<M>,
  ): Promise<ApiOutput<M>> {
    const r = await dispatch(ctx, name, input);
    if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.issues);
    return r.result as ApiOutput<M>;
  };
}
