// The renderer is built once and served three ways: Electron's app:// protocol (or file://), and
// web mode's http://127.0.0.1:<port>/. Relative asset URLs (base './') work under all three.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * The built page's own CSP, as defence in depth under file:// (the hosts send theirs too).
 * Build only: Vite's dev server needs an inline React-refresh preamble that this would block.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function cspMeta(): Plugin {
  return {
    name: 'postdesk-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // No inline scripts or data: URLs for modules: the CSP allows only files from 'self'.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  // `POSTDESK_API=http://127.0.0.1:<port> npx vite` develops the UI with hot reload against a
  // running `npm run web`: open the dev URL with the same #token=… the engine printed. The proxy
  // drops the dev server's Origin, which the engine would (rightly) refuse as a foreign site.
  server: {
    host: '127.0.0.1',
    ...(process.env.POSTDESK_API
      ? {
          proxy: {
            '/api': {
              target: process.env.POSTDESK_API,
              changeOrigin: true,
              ws: true,
              configure: (proxy) => {
                proxy.on('proxyReq', (req) => req.removeHeader('origin'));
                proxy.on('proxyReqWs', (req) => req.removeHeader('origin'));
              },
            },
          },
        }
      : {}),
  },
});
