// Finding a built renderer file for a URL path, shared by the web host (http://127.0.0.1) and the
// Electron host (app://). Only files inside the folder can ever be read: the path is decoded
// once, resolved, and the real path (symlinks followed) must stay under the folder's real path.
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function isWithin(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

export interface FoundFile {
  file: string;
  size: number;
}

/** A regular file inside `root` for this URL path, or undefined. Never throws. */
export async function findRendererFile(root: string, urlPath: string): Promise<FoundFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  // A NUL or a backslash has no business in a renderer asset path and only helps tricks on Windows.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const candidate = resolve(root, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (!isWithin(root, candidate)) return undefined;
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isWithin(realRoot, real)) return undefined;
    const s = await stat(real);
    return s.isFile() ? { file: real, size: s.size } : undefined;
  } catch {
    return undefined;
  }
}
