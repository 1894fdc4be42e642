// The one error shape that crosses every transport: {code, message, issues?}.
export const API_ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'conflict',
  'forbidden',
  'unauthorized',
  'unavailable',
  'disk_full',
  'read_only',
  /** The database file is damaged or not a database: the core serves only app.info and backups.*. */
  'damaged',
  /** Saved sign-ins are locked behind the user's passphrase. */
  'locked',
  /** A social network refused or failed the request (the message says which and why). */
  'platform_refused',
  /** No AI endpoint is set up (the message says where and what to enter). */
  'ai_not_configured',
  /** The call would take the workspace past its monthly AI budget or credit allowance. */
  'budget_exceeded',
  /** The user stopped the work (an AI answer, a long import) before it finished. */
  'cancelled',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiIssue {
  path: (string | number)[];
  message: string;
}

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  issues?: ApiIssue[];
}

export class ApiError extends Error implements ApiErrorBody {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: ApiIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorBody {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 404,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unauthorized: 401,
  unavailable: 503,
  disk_full: 507,
  read_only: 503,
  damaged: 503,
  locked: 423,
  platform_refused: 502,
  // 424 Failed Dependency: the request is fine, a part it needs (the AI endpoint) is not set up.
  ai_not_configured: 424,
  budget_exceeded: 402,
  // 499 is nginx's "client closed request": the caller itself stopped it.
  cancelled: 499,
  internal: 500,
};

export function isApiErrorBody(v: unknown): v is ApiErrorBody {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ApiErrorBody).code === 'string' &&
    typeof (v as ApiErrorBody).message === 'string'
  );
}
