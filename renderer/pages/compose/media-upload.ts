// Sending a picked or dropped file to the media library. Web mode streams the raw bytes with
// `PUT /api/media?workspaceId=…&filename=…` (api/upload.ts); the desktop app hands over the path.
import { ApiCallError, call, transportKind } from '../../api/client';
import { desktopPathOf, putFile, type Upload as UploadOf } from '../../api/upload';
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

export type Upload = UploadOf<UploadedMedia>;

function isUploaded(v: unknown): v is UploadedMedia {
  return typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string' && typeof (v as { filename?: unknown }).filename === 'string';
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
      if (aborted) throw new ApiCallError('cancelled', 'The upload was stopped.', [], 'media.importFile');
      onProgress(1);
      return item as UploadedMedia;
    })();
    return { promise, abort: () => void (aborted = true) };
  }
  return putFile({
    route: 'media',
    params: { workspaceId, filename: file.name || 'upload' },
    file,
    onProgress,
    isResult: isUploaded,
    unreadable: 'The engine stored the file but its answer could not be read. Reload the page and look in the library.',
  });
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
