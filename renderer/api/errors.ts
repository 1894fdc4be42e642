// The error every API call throws in the renderer: the wire shape {code, message, issues} plus the
// two failures only a client can see (the engine is unreachable, or it answered with garbage).
import type { ApiErrorBody, ApiErrorCode } from '../../electron/api';

export type ApiIssue = NonNullable<ApiErrorBody['issues']>[number];
export type ClientErrorCode = ApiErrorCode | 'unreachable' | 'bad_response';

export class ApiCallError extends Error {
  readonly code: ClientErrorCode;
  readonly issues: ApiIssue[];
  readonly method: string | undefined;

  constructor(code: ClientErrorCode, message: string, issues: ApiIssue[] = [], method?: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
    this.issues = issues;
    this.method = method;
  }
}

export const UNREACHABLE_MESSAGE = "Postdesk's engine is not reachable — is `npm run web` still running?";

const KNOWN_CODES: ReadonlySet<string> = new Set<ApiErrorCode>([
  'invalid_input',
  'unknown_method',
  'not_found',
  'conflict',
  'forbidden',
  'unauthorized',
  'unavailable',
  'disk_full',
  'read_only',
  'damaged',
  'locked',
  'platform_refused',
  'ai_not_configured',
  'budget_exceeded',
  'cancelled',
  'internal',
]);

function isIssue(v: unknown): v is ApiIssue {
  if (typeof v !== 'object' || v === null) return false;
  const i = v as { path?: unknown; message?: unknown };
  return Array.isArray(i.path) && i.path.every((p) => typeof p === 'string' || typeof p === 'number') && typeof i.message === 'string';
}

/** Build an ApiCallError from whatever a transport received as an error body. */
export function errorFromBody(body: unknown, method?: string, status?: number): ApiCallError {
  // Accept both the bare body and the `{ok:false, error}` / `{error}` envelopes.
  const inner =
    typeof body === 'object' && body !== null && 'error' in body && typeof (body as { error: unknown }).error === 'object'
      ? (body as { error: unknown }).error
      : body;
  if (typeof inner === 'object' && inner !== null) {
    const e = inner as { code?: unknown; message?: unknown; issues?: unknown };
    if (typeof e.code === 'string' && typeof e.message === 'string') {
      const code = KNOWN_CODES.has(e.code) ? (e.code as ApiErrorCode) : 'internal';
      const issues = Array.isArray(e.issues) ? e.issues.filter(isIssue) : [];
      return new ApiCallError(code, e.message, issues, method);
    }
  }
  return fromStatus(status, method);
}

function fromStatus(status: number | undefined, method?: string): ApiCallError {
  switch (status) {
    case 401:
      return new ApiCallError('unauthorized', 'The engine did not accept this tab’s access token.', [], method);
    case 403:
      return new ApiCallError('forbidden', 'The engine refused this request.', [], method);
    case 404:
      return new ApiCallError('unknown_method', `The engine does not know "${method ?? 'this'}" — it may be an older version than this window.`, [], method);
    case 502:
    case 503:
    case 504:
      return new ApiCallError('unreachable', UNREACHABLE_MESSAGE, [], method);
    default:
      return new ApiCallError('bad_response', `The engine sent an answer this window cannot read${status ? ` (HTTP ${status})` : ''}.`, [], method);
  }
}

let hostKind: 'electron' | 'web' = 'web';

/** Which host serves this window, so advice names the right remedy (set once at startup). */
export function setHostKind(kind: 'electron' | 'web'): void {
  hostKind = kind;
}

/** What the user can do about an error, in one sentence, for toasts and error pages. */
export function hintFor(err: unknown): string {
  const code = err instanceof ApiCallError ? err.code : 'internal';
  switch (code) {
    case 'unreachable':
      return hostKind === 'electron'
        ? 'Quit and reopen Postdesk; everything already saved is safe.'
        : 'Start it again with `npm run web`, then try again. Everything already saved is safe.';
    case 'unauthorized':
      return 'Open the link `npm run web` printed — it ends in #token=… — in this browser.';
    case 'invalid_input':
      return 'Check the highlighted fields and try again.';
    case 'not_found':
      return 'It may have been deleted in another window; the list has been refreshed.';
    case 'conflict':
      return 'Pick a different name, or edit the existing one.';
    case 'unavailable':
      return 'Wait a moment and try again.';
    case 'unknown_method':
    case 'bad_response':
      return 'Reload this window; if that does not help, restart Postdesk so both sides are the same version.';
    case 'disk_full':
      return 'Free some space on the disk that holds the data folder, then try again. Nothing already saved was lost.';
    case 'read_only':
      return 'Make the data folder writable again (permissions, a full or read-only drive), then try again. Nothing already saved was lost.';
    case 'damaged':
      return 'Restore the newest good backup; the damaged file is kept beside it for recovery.';
    case 'forbidden':
      return 'Nothing already saved was lost.';
    case 'locked':
      return 'Enter your passphrase in Settings → Security to unlock your saved sign-ins.';
    case 'platform_refused':
      return 'Nothing was changed in Postdesk; check the account on the Accounts page and try again.';
    case 'ai_not_configured':
      return 'Open Settings → AI and enter an endpoint; everything else in Postdesk works without it.';
    case 'budget_exceeded':
      return 'Raise the monthly budget in Settings → AI, or wait for the new month.';
    case 'cancelled':
      return 'Nothing was changed.';
    case 'internal':
      return 'Try again; if it keeps happening, restart Postdesk. Your saved data is safe.';
  }
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
