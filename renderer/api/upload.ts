// Web mode's streamed uploads: `PUT /api/<route>?…` with the file's raw bytes as the body and the
// bearer token as for every call. XMLHttpRequest rather than fetch because only it reports upload
// progress, which a 50 MB video or PDF needs. The engine answers {result} or the usual error body.
import { ApiCallError, errorFromBody, UNREACHABLE_MESSAGE } from './errors';
import { TOKEN_STORAGE_KEY } from './token';

export interface Upload<T> {
  promise: Promise<T>;
  abort(): void;
}

export interface PutFileOptions<T> {
  /** The route under /api, e.g. 'media' or 'knowledge'; also names the call in errors. */
  route: string;
  params: Record<string, string>;
  file: File;
  onProgress: (fraction: number) => void;
  /** Recognises the engine's result; anything else is a bad answer. */
  isResult: (v: unknown) => v is T;
  /** What the user reads when the result cannot be recognised although the engine said yes. */
  unreadable: string;
}

function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The desktop bridge's path for a picked or dropped file, when this window runs in Electron. */
export function desktopPathOf(file: File): string | null {
  const bridge = (window as { postdesk?: { pathForFile?: (f: File) => string } }).postdesk;
  if (!bridge?.pathForFile) return null;
  const path = bridge.pathForFile(file);
  return path === '' ? null : path;
}

export function putFile<T>(opts: PutFileOptions<T>): Upload<T> {
  const method = `${opts.route}.upload`;
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    const q = new URLSearchParams(opts.params);
    xhr.open('PUT', `${location.origin}/api/${opts.route}?${q.toString()}`);
    const t = token();
    if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`);
    xhr.setRequestHeader('Content-Type', opts.file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiCallError('unreachable', UNREACHABLE_MESSAGE, [], method));
    xhr.onabort = () => reject(new ApiCallError('cancelled', 'The upload was stopped.', [], method));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: the status decides below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const result = typeof body === 'object' && body !== null && 'result' in body ? (body as { result: unknown }).result : body;
        if (opts.isResult(result)) resolve(result);
        else reject(new ApiCallError('bad_response', opts.unreadable, [], method));
        return;
      }
      if (xhr.status === 413 && !(typeof body === 'object' && body !== null)) {
        reject(new ApiCallError('invalid_input', `${opts.file.name} is too large to import.`, [], method));
        return;
      }
      reject(errorFromBody(body, method, xhr.status));
    };
    xhr.send(opts.file);
  });
  return { promise, abort: () => xhr.abort() };
}
