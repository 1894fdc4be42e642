// Serves the built renderer (dist/renderer) to the browser in web mode. Only files inside the
// folder can ever be read: the URL path is decoded once, resolved, and the real path (symlinks
// followed) must stay under the folder's real path.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

type Found = { file: string; size: number } | undefined;

/** Resolve a URL path to a regular file inside `root`, or undefined. Never throws. */
async function findFile(root: string, urlPath: string): Promise<Found> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  // A NUL or a backslash has no business in a renderer asset path and only helps tricks on Windows.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const candidate = resolve(root, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
  if (candidate !== root && !candidate.startsWith(root + sep)) return undefined;
  try {
    const real = await realpath(candidate);
    if (real !== root && !real.startsWith(root + sep)) return undefined;
    const s = await stat(real);
    return s.isFile() ? { file: real, size: s.size } : undefined;
  } catch {
    return undefined;
  }
}

export interface StaticSite {
  /** Answer a GET/HEAD for a non-API path. Always ends the response. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void>;
}

/**
 * `securityHeaders()` are added to every answer (CSP and friends). Unknown paths without a file extension
 * get index.html so client-side routes survive a reload; a missing asset (`/assets/x.js`) gets a
 * 404 rather than HTML, which a browser would otherwise try to run as a script.
 */
export function staticSite(dir: string | undefined, securityHeaders: () => Record<string, string>): StaticSite {
  let rootPromise: Promise<string | undefined> | undefined;
  const root = () => (rootPromise ??= dir ? realpath(resolve(dir)).catch(() => undefined) : Promise.resolve(undefined));

  const notFound = (res: ServerResponse, text: string) => {
    res.writeHead(404, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text);
  };

  return {
    async serve(req, res, pathname) {
      const base = await root();
      if (!base) {
        notFound(res, 'The Postdesk interface has not been built yet. Run `npm run build`, then reload this page.\n');
        return;
      }
      let found = pathname === '/' ? undefined : await findFile(base, pathname);
      const isIndex = !found;
      if (!found) {
        if (extname(pathname) !== '' && pathname !== '/') {
          notFound(res, 'Not found.\n');
          return;
        }
        found = await findFile(base, '/index.html');
        if (!found) {
          notFound(res, 'The Postdesk interface has not been built yet. Run `npm run build`, then reload this page.\n');
          return;
        }
      }
      const type = CONTENT_TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
      // Vite fingerprints everything under assets/, so those may be cached for good; index.html
      // must be revalidated or a rebuilt app would keep loading stale chunks.
      const immutable = !isIndex && pathname.startsWith('/assets/');
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': type,
        'Content-Length': String(found.size),
        'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(found.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    },
  };
}
