// Turning a picked or dropped file into a knowledge import. The desktop app hands the engine the
// file's path (no bytes cross the window); web mode streams the raw bytes with
// `PUT /api/knowledge?…` (api/upload.ts), so both take files up to the knowledge base's 50 MB.
import type { ApiOutput } from '../../../electron/api';
import { ApiCallError, call, transportKind } from '../../api/client';
import { desktopPathOf, putFile, type Upload } from '../../api/upload';

export const ACCEPTED_EXTENSIONS = ['txt', 'md', 'markdown', 'html', 'htm', 'pdf', 'docx', 'csv'] as const;
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(',');
/** The engine's cap (core/knowledge/formats.ts MAX_DOCUMENT_BYTES), checked here to refuse before sending. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export function extensionOf(name: string): string | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m?.[1] ? m[1].toLowerCase() : null;
}

export function isAccepted(name: string): boolean {
  const ext = extensionOf(name);
  return ext !== null && (ACCEPTED_EXTENSIONS as readonly string[]).includes(ext);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / 104_857.6) / 10} MB`;
}

/** Why this file cannot be imported, in words; null when it can. */
export function refusalFor(name: string, sizeBytes: number): string | null {
  if (!isAccepted(name)) return `${name || 'This file'} is not a format the knowledge base reads: use .txt, .md, .html, .pdf, .docx, or an FAQ .csv.`;
  if (sizeBytes === 0) return `${name} is empty.`;
  if (sizeBytes > MAX_FILE_BYTES) return `${name} is ${formatBytes(sizeBytes)}; the knowledge base takes files up to ${formatBytes(MAX_FILE_BYTES)}. Split it into parts, or export only the text.`;
  return null;
}

export type ImportResult = ApiOutput<'knowledge.import'>;

function isImportResult(v: unknown): v is ImportResult {
  if (typeof v !== 'object' || v === null) return false;
  const kind = (v as { kind?: unknown }).kind;
  return kind === 'document' || kind === 'faq';
}

/** Import one file: by path on the desktop, streamed with upload progress in web mode. */
export function importFile(workspaceId: string, file: File, onProgress: (fraction: number) => void): Upload<ImportResult> {
  if (transportKind() === 'web') {
    return putFile({
      route: 'knowledge',
      params: { workspaceId, filename: file.name || 'document' },
      file,
      onProgress,
      isResult: isImportResult,
      unreadable: 'The engine took the file but its answer could not be read. Reload the page and look at the documents list.',
    });
  }
  let aborted = false;
  const promise = (async () => {
    const path = desktopPathOf(file);
    if (!path) throw new ApiCallError('invalid_input', `${file.name || 'This file'} has no place on disk to import it from; save it first.`, [], 'knowledge.import');
    const r = await call('knowledge.import', { workspaceId, path });
    if (aborted) throw new ApiCallError('cancelled', 'The import was stopped.', [], 'knowledge.import');
    onProgress(1);
    return r;
  })();
  return { promise, abort: () => void (aborted = true) };
}
