// Turning a picked or dropped file into a knowledge.import input. The desktop app hands the engine
// the file's path (no bytes cross the window); web mode sends the content in the JSON body, which the
// host caps at 5 MB, so bigger files are refused here with that reason instead of a bare 413.
import type { ApiInput } from '../../../electron/api';

export const ACCEPTED_EXTENSIONS = ['txt', 'md', 'markdown', 'html', 'htm', 'pdf', 'docx', 'csv'] as const;
export const ACCEPT_ATTRIBUTE = ACCEPTED_EXTENSIONS.map((e) => `.${e}`).join(',');
/** The web host's request cap; base64 grows bytes by a third, and the JSON wrapper needs a little room. */
export const WEB_BODY_LIMIT = 5 * 1024 * 1024;
const TEXT_EXTENSIONS = new Set(['txt', 'md', 'markdown', 'html', 'htm', 'csv']);

export function extensionOf(name: string): string | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  return m?.[1] ? m[1].toLowerCase() : null;
}

export function isAccepted(name: string): boolean {
  const ext = extensionOf(name);
  return ext !== null && (ACCEPTED_EXTENSIONS as readonly string[]).includes(ext);
}

/** How many bytes the JSON body will carry for this file in web mode (text as is, binary as base64). */
export function webBodyBytes(name: string, sizeBytes: number): number {
  const ext = extensionOf(name);
  const payload = ext !== null && TEXT_EXTENSIONS.has(ext) ? sizeBytes : Math.ceil(sizeBytes / 3) * 4;
  return payload + 1024;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 102.4) / 10} KB`;
  return `${Math.round(n / 104_857.6) / 10} MB`;
}

/** Why this file cannot be imported from here, in words; null when it can. */
export function refusalFor(name: string, sizeBytes: number, mode: 'web' | 'desktop'): string | null {
  if (!isAccepted(name)) return `${name || 'This file'} is not a format the knowledge base reads: use .txt, .md, .html, .pdf, .docx, or an FAQ .csv.`;
  if (sizeBytes === 0) return `${name} is empty.`;
  if (mode === 'web' && webBodyBytes(name, sizeBytes) > WEB_BODY_LIMIT) {
    const ext = extensionOf(name) ?? '';
    const most = TEXT_EXTENSIONS.has(ext) ? 'about 5 MB' : 'about 3.7 MB (PDF and DOCX travel as base64)';
    return `${name} is ${formatBytes(sizeBytes)}: in the browser the app takes requests up to 5 MB, so a file can be at most ${most}. Import it in the desktop app instead.`;
  }
  return null;
}

function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  // Chunks keep String.fromCharCode's argument list within engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export type ImportInput = ApiInput<'knowledge.import'>;

/** The desktop bridge's path for a file, when this window runs in Electron. */
export function desktopPathOf(file: File): string | null {
  const bridge = (window as { postdesk?: { pathForFile?: (f: File) => string } }).postdesk;
  if (!bridge?.pathForFile) return null;
  const path = bridge.pathForFile(file);
  return path === '' ? null : path;
}

export async function importInputFor(workspaceId: string, file: File, mode: 'web' | 'desktop'): Promise<ImportInput> {
  if (mode === 'desktop') {
    const path = desktopPathOf(file);
    if (!path) throw new Error(`${file.name || 'This file'} has no place on disk to import it from; save it first.`);
    return { workspaceId, path };
  }
  const ext = extensionOf(file.name);
  if (ext !== null && TEXT_EXTENSIONS.has(ext)) return { workspaceId, fileName: file.name, text: await file.text() };
  return { workspaceId, fileName: file.name, contentBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) };
}
