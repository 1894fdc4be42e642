// Serves the built renderer (dist/renderer) to the browser in web mode; which files may be read
// is decided by ./renderer-files.
import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve } from 'node:path';
import { contentTypeOf, findRendererFile } from './renderer-files';

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
      let found = pathname === '/' ? undefined : await findRendererFile(base, pathname);
      const isIndex = !found;
      if (!found) {
        if (extname(pathname) !== '' && pathname !== '/') {
          notFound(res, 'Not found.\n');
          return;
        }
        found = await findRendererFile(base, '/index.html');
        if (!found) {
          notFound(res, 'The Postdesk interface has not been built yet. Run `npm run build`, then reload this page.\n');
          return;
        }
      }
      const type = contentTypeOf(found.file);
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
