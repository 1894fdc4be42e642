// `npm run web`: the core in plain Node, serving the renderer and the API on 127.0.0.1.
// Bundled by scripts/build.mjs to dist/host/web-cli.js. Prints exactly one line on success,
//   Postdesk is running: http://127.0.0.1:<port>/#token=<token>
// which the e2e tests and the startup benchmark parse; everything else goes to stderr.
// Only node: built-ins are imported up front so `--help` and argument errors answer instantly;
// the core (SQLite, migrations, every API schema) loads after the arguments are known.
import { mkdirSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../core/paths';

const USAGE = `Usage: npm run web -- [options]
       node dist/host/web-cli.js [options]

Runs Postdesk in web mode: the app's core in Node, the interface and the API on 127.0.0.1 only.
Open the printed URL in a browser; the part after #token= is the access key.

Options:
  --port <n>          TCP port on 127.0.0.1 (default 0: any free port)
  --data <dir>        data folder (default: ${defaultDataDir()})
  --new-token         replace the stored access token (old URLs stop working)
  --host-only-print   print the URL without the token (for logs others can read);
                      the token is then in <data>/web-token
  -h, --help          show this help
`;

export interface CliOptions {
  port: number;
  dataDir: string;
  newToken: boolean;
  hostOnlyPrint: boolean;
}

export class UsageError extends Error {}

/** Parse argv (without node and the script). Throws UsageError with a message meant for a person. */
export function parseCliArgs(argv: string[]): CliOptions | 'help' {
  let values: { port?: string; data?: string; 'new-token'?: boolean; 'host-only-print'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        'new-token': { type: 'boolean' },
        'host-only-print': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
      throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${values.port}".`);
    }
    port = Number(values.port);
  }
  if (values.data !== undefined && values.data.trim() === '') throw new UsageError('--data needs a folder path.');
  return {
    port,
    dataDir: resolve(values.data ?? defaultDataDir()),
    newToken: values['new-token'] ?? false,
    hostOnlyPrint: values['host-only-print'] ?? false,
  };
}

/** The renderer build sits beside this bundle: dist/host/web-cli.js -> dist/renderer. */
function rendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

async function main(argv: string[]): Promise<void> {
  let opts: CliOptions | 'help';
  try {
    opts = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`postdesk web: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  // A new data folder is private to the user: it holds the database and the token beside it.
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const [{ createCore }, { startWebHost }, { loadOrCreateToken }] = await Promise.all([
    import('../core/app'),
    import('./web'),
    import('./token'),
  ]);
  const { token } = loadOrCreateToken(opts.dataDir, { renew: opts.newToken });
  const core = await createCore({ dataDir: opts.dataDir, host: 'web' });
  let host: Awaited<ReturnType<typeof startWebHost>>;
  try {
    host = await startWebHost({ ctx: core.ctx, token, port: opts.port, staticDir: rendererDir() });
  } catch (err) {
    await core.close();
    throw err;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl+C means "now": the database is WAL, so an abrupt exit loses nothing committed.
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`postdesk web: ${signal}, stopping...\n`);
    host
      .close()
      .then(() => core.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`postdesk web: error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  // The one line that carries the token; nothing else may print it.
  process.stdout.write(`Postdesk is running: ${host.url}/${opts.hostOnlyPrint ? '' : `#token=${token}`}\n`);
}

/** Real paths on both sides: the bundle may be reached through a symlinked checkout. */
function isEntryPoint(): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Run only as the entry point, so tests can import parseCliArgs.
if (isEntryPoint()) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`postdesk web: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
