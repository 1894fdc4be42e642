// Web mode for tests: the host in-process on a free port over a real database file (fast), or the
// real CLI bundle as a child process (what `npm run web` runs; the e2e tests and the startup
// benchmark use this one).
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ApiError, isApiErrorBody } from '../../electron/api/errors';
import type { ApiInput, ApiOutput, MethodName } from '../../electron/api/index';
import { createCore, type Core } from '../../electron/core/app';
import { startWebHost, type WebHost } from '../../electron/host/web';
import { generateToken } from '../../electron/host/token';
import { tempDir } from './db';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** Default 10 s: a test must fail, not hang, when the server stops answering. */
  timeoutMs?: number;
}

/**
 * One HTTP request with full control over headers (fetch forbids setting Host). A fresh
 * connection per request so a test never depends on another's keep-alive socket.
 */
export function rawRequest(r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: r.port,
        method: r.method ?? 'GET',
        path: r.path,
        headers: r.headers ?? {},
        agent: false,
        // Host is ours to set in these tests (DNS rebinding checks); keep node from adding one.
        setHost: !(r.headers && Object.keys(r.headers).some((k) => k.toLowerCase() === 'host')),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text) as unknown;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.setTimeout(r.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer within ${r.timeoutMs ?? 10_000} ms: ${r.method ?? 'GET'} ${r.path}`)));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** POST /api/<method> with a JSON body (already serialized, so tests can send anything). */
export function postApi(port: number, token: string | undefined, name: string, body: string | undefined, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest({
    port,
    method: 'POST',
    path: `/api/${name}`,
    headers: {
      ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
}

export type HttpCall = <M extends MethodName>(name: M, input: ApiInput<M>) => Promise<ApiOutput<M>>;

/** The typed client over HTTP: same signature as the in-process client, errors as ApiError. */
export function httpClient(port: number, token: string): HttpCall {
  return async function call<M extends MethodName>(name: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    const res = await postApi(port, token, name, JSON.stringify(input));
    if (res.status === 200 && typeof res.json === 'object' && res.json !== null && 'result' in res.json) {
      return (res.json as { result: ApiOutput<M> }).result;
    }
    if (isApiErrorBody(res.json)) throw new ApiError(res.json.code, res.json.message, res.json.issues);
    throw new Error(`unexpected answer ${res.status} from ${name}: ${res.text.slice(0, 200)}`);
  };
}

export interface TestWebHost extends WebHost {
  token: string;
  dir: string;
  core: Core;
  call: HttpCall;
  cleanup(): Promise<void>;
}

/** The real web host in this process, on a free port, over a database in a fresh temp folder. */
export async function startTestWebHost(opts: { staticDir?: string; maxBodyBytes?: number } = {}): Promise<TestWebHost> {
  const { dir, cleanup } = tempDir('postdesk-web-');
  const core = await createCore({ dataDir: dir, host: 'web' });
  const token = generateToken();
  let host: WebHost;
  try {
    host = await startWebHost({ ctx: core.ctx, token, port: 0, ...opts });
  } catch (err) {
    await core.close();
    cleanup();
    throw err;
  }
  return {
    ...host,
    token,
    dir,
    core,
    call: httpClient(host.port, token),
    cleanup: async () => {
      await host.close();
      await core.close();
      cleanup();
    },
  };
}

// ------------------------------------------------------------------------------------------
// The real CLI.

export const CLI_BUNDLE = join(repoRoot, 'dist', 'host', 'web-cli.js');
/** The one line web-cli prints; the token part is absent with --host-only-print. */
export const URL_LINE = /^Postdesk is running: (http:\/\/127\.0\.0\.1:(\d+))\/(?:#token=([0-9a-f]{64}))?$/;

let built: Promise<void> | undefined;
const BUILD_LOCK = join(repoRoot, 'dist', '.build.lock');
/** A build never takes this long; an older lock was left by a crashed test process. */
const STALE_LOCK_MS = 180_000;

/**
 * Test files run in parallel processes; two builds writing dist/ at once could hand a child a
 * half-written bundle. mkdir is atomic, so it serves as a cross-process lock.
 */
async function withBuildLock(fn: () => void): Promise<void> {
  mkdirSync(dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(BUILD_LOCK).mtimeMs > STALE_LOCK_MS) rmSync(BUILD_LOCK, { recursive: true, force: true });
      } catch {
        // Released between our mkdir and stat: try again.
      }
      if (Date.now() > deadline) throw new Error(`waited too long for another test process to finish building (lock ${BUILD_LOCK})`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    fn();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Build the bundles once per test process (build.mjs skips the work when outputs are fresh). */
export function buildOnce(): Promise<void> {
  built ??= withBuildLock(() => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--if-stale'], { cwd: repoRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node scripts/build.mjs failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  });
  return built;
}

export interface ParsedUrlLine {
  origin: string;
  port: number;
  token: string | undefined;
}

export function parseUrlLine(line: string): ParsedUrlLine | undefined {
  const m = URL_LINE.exec(line.trim());
  if (!m?.[1] || !m[2]) return undefined;
  return { origin: m[1], port: Number(m[2]), token: m[3] };
}

export interface SpawnedWeb {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** The token from the URL line (undefined with --host-only-print). */
  token: string | undefined;
  /** The full line as printed, to open in a browser. */
  openUrl: string;
  dataDir: string;
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Milliseconds from spawn to the URL line. */
  startedInMs: number;
  stdout(): string;
  stderr(): string;
  call: HttpCall;
  /** SIGTERM and wait; resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** stop(), then delete the data folder if this helper made it. */
  cleanup(): Promise<void>;
}

export interface SpawnOptions {
  dataDir?: string;
  args?: string[];
  /** Default true: build the bundle first (once per process). */
  build?: boolean;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** `node dist/host/web-cli.js --port 0 --data <dir>`, resolved once it prints its URL line. */
export async function spawnWebCli(opts: SpawnOptions = {}): Promise<SpawnedWeb> {
  if (opts.build !== false) await buildOnce();
  const temp = opts.dataDir === undefined ? tempDir('postdesk-webcli-') : undefined;
  const dataDir = opts.dataDir ?? temp?.dir ?? '';
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI_BUNDLE, '--port', '0', '--data', dataDir, ...(opts.args ?? [])], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const urlLine = new Promise<ParsedUrlLine>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`web-cli printed no URL line within ${opts.timeoutMs ?? 30_000} ms. stderr:\n${err}`));
    }, opts.timeoutMs ?? 30_000);
    child.stdout.on('data', (c: string) => {
      out += c;
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(timer);
      const p = parseUrlLine(out.slice(0, nl));
      if (p) resolve(p);
      else reject(new Error(`web-cli printed an unexpected first line: ${out.slice(0, nl)}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`web-cli exited with ${code} before printing its URL. stderr:\n${err}`));
    });
  });
  let parsed: ParsedUrlLine;
  try {
    parsed = await urlLine;
  } catch (e) {
    temp?.cleanup();
    throw e;
  }
  const startedInMs = performance.now() - t0;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };

  return {
    ...parsed,
    openUrl: out.slice(0, out.indexOf('\n')).replace(/^Postdesk is running: /, ''),
    dataDir,
    child,
    startedInMs,
    stdout: () => out,
    stderr: () => err,
    call: httpClient(parsed.port, parsed.token ?? ''),
    stop,
    cleanup: async () => {
      await stop();
      temp?.cleanup();
    },
  };
}
