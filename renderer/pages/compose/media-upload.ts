// Sending a picked or dropped file to the media library. Web mode streams the raw bytes with
// `PUT /api/media?workspaceId=…&filename=…` (the bearer token as for every call); XMLHttpRequest
// rather than fetch because only it reports upload progress, which a 50 MB video needs.
import { ApiCallError, call, transportKind } from '../../api/client';
import { errorFromBody, UNREACHABLE_MESSAGE } from '../../api/errors';
import { TOKEN_STORAGE_KEY } from '../../api/token';
import { ensureThumbnail } from '../../lib/thumbnails';

/** What the library answers for an imported file (the fields the composer uses). */
export interface UploadedMedia {
  id: string;
  filename: string;
  kind: string;
  mimeType: string | null;
  sizeBytes: number | null;
  width: number | null;
  height: number | null;
  altText: string | null;
  url: string | null;
  thumbnailUrl?: string | null;
  durationMs?: number | null;
  sourceUrl?: string | null;
  duplicate?: boolean;
}

export interface Upload {
  promise: Promise<UploadedMedia>;
  abort(): void;
}

function isUploaded(v: unknown): v is UploadedMedia {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { filename?: unknown }).filename === 'string';
}

function token(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The desktop bridge's path lookup, when this window runs in Electron. */
function desktopPathOf(file: File): string | null {
  const bridge = (window as { postdesk?: { pathForFile?: (f: File) => string } }).postdesk;
  if (!bridge?.pathForFile) return null;
  const path = bridge.pathForFile(file);
  return path === '' ? null : path;
}

/** Whether this window can add files: web mode uploads the bytes, the desktop app hands over the path. */
export function canUpload(): boolean {
  if (transportKind() === 'web') return true;
  return typeof (window as { postdesk?: { pathForFile?: unknown } }).postdesk?.pathForFile === 'function';
}

/**
 * Imports the file, then makes its thumbnail before handing the item on, so the tray shows the
 * thumbnail from the start (one that cannot be made is skipped; the original is shown).
 */
export function uploadFile(workspaceId: string, file: File, onProgress: (fraction: number) => void): Upload {
  const up = sendFile(workspaceId, file, onProgress);
  return {
    promise: up.promise.then(async (m) => ({ ...m, thumbnailUrl: await ensureThumbnail(m, m.kind === 'video' ? undefined : file) })),
    abort: up.abort,
  };
}

function sendFile(workspaceId: string, file: File, onProgress: (fraction: number) => void): Upload {
  if (transportKind() !== 'web') {
    // Desktop: the engine reads the file where it is; no bytes cross the window.
    let aborted = false;
    const promise = (async () => {
      const path = desktopPathOf(file);
      if (!path) throw new ApiCallError('invalid_input', `${file.name || 'This file'} has no place on disk to import it from; save it first.`, [], 'media.importFile');
      const item = await call('media.importFile', { workspaceId, path });
      if (aborted) throw new ApiCallError('internal', 'The upload was stopped.', [], 'media.importFile');
      onProgress(1);
      return item as UploadedMedia;
    })();
    return { promise, abort: () => void (aborted = true) };
  }
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedMedia>((resolve, reject) => {
    const q = new URLSearchParams({ workspaceId, filename: file.name || 'upload' });
    xhr.open('PUT', `${location.origin}/api/media?${q.toString()}`);
    const t = token();
    if (t) xhr.setRequestHeader('Authorization', `Bearer ${t}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiCallError('unreachable', UNREACHABLE_MESSAGE, [], 'media.upload'));
    xhr.onabort = () => reject(new ApiCallError('internal', 'The upload was stopped.', [], 'media.upload'));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: the status decides below.
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        const result = typeof body === 'object' && body !== null && 'result' in body ? (body as { result: unknown }).result : body;
        if (isUploaded(result)) resolve(result);
        else reject(new ApiCallError('bad_response', 'The engine stored the file but its answer could not be read. Reload the page and look in the library.', [], 'media.upload'));
        return;
      }
      if (xhr.status === 413 && !(typeof body === 'object' && body !== null)) {
        reject(new ApiCallError('invalid_input', `${file.name} is too large to import.`, [], 'media.upload'));
        return;
      }
      reject(errorFromBody(body, 'media.upload', xhr.status));
    };
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

/** Files from a drop or a picker that are worth sending (the engine checks the bytes anyway). */
export function mediaFiles(list: FileList | readonly File[] | null): File[] {
  if (!list) return [];
  return [...list].filter((f) => f.size > 0 && (f.type === '' || /^(image|video)\//.test(f.type)));
}

export function formatSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
