// The loopback OAuth flow end to end: a real authorization server (a contract server speaking
// RFC 6749 + RFC 7636 with Mastodon's paths and Doorkeeper's error bodies), a small real connector
// that uses it, and a "browser" that follows the authorize redirect the way a browser would.
// The authorize step is driven by requesting the server's own /oauth/authorize endpoint; which
// answer the "user" gives is set per test with `authServer.decide(...)`.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OAuthFlowError, runLoopbackAuthorization } from '../../electron/core/accounts/oauth-loopback';
import { CAPABILITIES } from '../../electron/platforms/capabilities';
import { type AuthCallback, type AuthResult, type PlatformConnector, joinUrl } from '../../electron/platforms/connector';
import { PlatformError } from '../../electron/platforms/errors';
import { HttpClient, bearer } from '../../electron/platforms/http';
import { codeChallengeS256 } from '../../electron/platforms/pkce';
import { type ContractResponse, type ContractServer, startContractServer } from '../contract/server';

const CLIENT_ID = 'pd-client-7Qx2';
const INVALID_GRANT =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

// --- the authorization server --------------------------------------------------------------------

interface Grant {
  challenge: string;
  redirectUri: string;
  clientId: string;
  used: boolean;
}

interface AuthServer {
  server: ContractServer;
  decide(decision: 'approve' | 'deny'): void;
  /** Hold token responses until the returned function is called. */
  holdTokens(): () => void;
  tokensIssued: string[];
}

/** RFC 7636 §4.6: S256(verifier) must equal the challenge; a malformed verifier simply fails. */
function matchesChallenge(verifier: string, challenge: string): boolean {
  try {
    return codeChallengeS256(verifier) === challenge;
  } catch {
    return false;
  }
}

const LOOPBACK_REDIRECT = /^http:\/\/127\.0\.0\.1:\d{1,5}\/callback$/;

async function startAuthServer(): Promise<AuthServer> {
  const grants = new Map<string, Grant>();
  const tokensIssued: string[] = [];
  let decision: 'approve' | 'deny' = 'approve';
  let hold: Promise<void> | null = null;

  const server = await startContractServer({
    'GET /oauth/authorize': (req): ContractResponse => {
      const q = req.query;
      const redirectUri = q.get('redirect_uri') ?? '';
      // An unknown client or redirect must not redirect at all (RFC 6749 §4.1.2.1): show an error page.
      if (q.get('client_id') !== CLIENT_ID || !LOOPBACK_REDIRECT.test(redirectUri)) {
        return { status: 400, headers: { 'content-type': 'text/html' }, body: '<h1>The redirect uri included is not valid.</h1>' };
      }
      const back = new URL(redirectUri);
      const state = q.get('state');
      if (state !== null) back.searchParams.set('state', state);
      const challenge = q.get('code_challenge') ?? '';
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
        back.searchParams.set('error', 'invalid_request');
        return { status: 302, headers: { location: back.toString() } };
      }
      if (decision === 'deny') {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The resource owner or authorization server denied the request.');
        return { status: 302, headers: { location: back.toString() } };
      }
      const code = randomBytes(24).toString('base64url');
      grants.set(code, { challenge, redirectUri, clientId: CLIENT_ID, used: false });
      back.searchParams.set('code', code);
      return { status: 302, headers: { location: back.toString() } };
    },
    'POST /oauth/token': async (req) => {
      if (hold) await hold;
      const f = req.form();
      const grant = grants.get(f.get('code') ?? '');
      const verifier = f.get('code_verifier') ?? '';
      const verified = grant !== undefined && matchesChallenge(verifier, grant.challenge);
      if (
        f.get('grant_type') !== 'authorization_code' ||
        grant === undefined ||
        grant.used ||
        grant.clientId !== f.get('client_id') ||
        grant.redirectUri !== f.get('redirect_uri') ||
        !verified
      ) {
        return { status: 400, json: { error: 'invalid_grant', error_description: INVALID_GRANT } };
      }
      grant.used = true;
      const token = randomBytes(32).toString('base64url');
      tokensIssued.push(token);
      return { json: { access_token: token, token_type: 'Bearer', scope: 'read write', created_at: Math.floor(Date.now() / 1000) } };
    },
    'GET /api/v1/accounts/verify_credentials': (req) => {
      const token = req.bearer();
      if (token === null || !tokensIssued.includes(token)) return { status: 401, json: { error: 'The access token is invalid' } };
      return {
        json: { id: '109348', username: 'maple', acct: 'maple', display_name: 'Maple Bakery', url: 'https://mastodon.example/@maple', avatar: 'https://mastodon.example/a.png' },
      };
    },
  });
  return {
    server,
    decide: (d) => (decision = d),
    holdTokens() {
      let release!: () => void;
      hold = new Promise<void>((resolve) => (release = resolve));
      return () => {
        hold = null;
        release();
      };
    },
    tokensIssued,
  };
}

// --- a minimal real connector ----------------------------------------------------------------------

const TokenSchema = z.object({ access_token: z.string().min(1), scope: z.string() });
const AccountSchema = z.object({ id: z.string(), username: z.string(), display_name: z.string(), url: z.string(), avatar: z.string() });

function unsupported(): never {
  throw new PlatformError({ platform: 'mastodon', category: 'permanent', message: 'Not part of this test connector.', effect: 'none' });
}

/** `tamper` changes the callback before the exchange, to prove the server really checks it. */
function createTestConnector(tamper: (cb: AuthCallback) => AuthCallback = (cb) => cb): PlatformConnector {
  const http = new HttpClient({ platform: 'mastodon', timeoutMs: 5_000 });
  return {
    platform: 'mastodon',
    capabilities: CAPABILITIES.mastodon,
    auth: { kind: 'oauth2', authorizeUrl: '/oauth/authorize', tokenUrl: '/oauth/token', scopes: ['read', 'write'], clientIdSource: 'dynamic_registration', needsClientSecret: false },
    defaultBaseUrl: 'https://mastodon.social',
    beginAuth({ baseUrl, clientId, redirectUri, state, codeVerifier }) {
      const url = new URL(joinUrl(baseUrl, '/oauth/authorize'));
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope: 'read write',
        state,
        code_challenge: codeChallengeS256(codeVerifier),
        code_challenge_method: 'S256',
      }).toString();
      return { url: url.toString(), state, codeVerifier, redirectUri };
    },
    async completeAuth(input): Promise<AuthResult> {
      if (!('callback' in input) || input.clientId === undefined) return unsupported();
      const cb = tamper(input.callback);
      const { data: token } = await http.json(
        {
          method: 'POST',
          url: joinUrl(input.baseUrl, '/oauth/token'),
          form: { grant_type: 'authorization_code', code: cb.code, redirect_uri: cb.redirectUri, client_id: input.clientId, code_verifier: cb.codeVerifier },
        },
        TokenSchema,
      );
      const { data: me } = await http.json({ method: 'GET', url: joinUrl(input.baseUrl, '/api/v1/accounts/verify_credentials'), headers: bearer(token.access_token) }, AccountSchema);
      return {
        profile: { platformAccountId: me.id, username: me.username, displayName: me.display_name, profileUrl: me.url, avatarUrl: me.avatar, serverUrl: input.baseUrl },
        credentials: { accessToken: token.access_token, refreshToken: null, expiresAt: null, scopes: token.scope.split(' ') },
      };
    },
    refresh: async () => unsupported(),
    publish: async () => unsupported(),
    findPublished: async () => unsupported(),
    delete: async () => unsupported(),
    fetchInbox: async () => unsupported(),
    reply: async () => unsupported(),
    fetchMetrics: async () => unsupported(),
  };
}

// --- a browser --------------------------------------------------------------------------------------

interface Visit {
  status: number;
  headers: Headers;
  body: string;
}

/** Opens the authorize URL like a browser: the 302 is read, then its Location is requested. */
async function browse(url: string): Promise<Visit> {
  const first = await fetch(url, { redirect: 'manual' });
  await first.body?.cancel();
  const location = first.headers.get('location');
  if (first.status !== 302 || location === null) throw new Error(`Authorize answered ${first.status} without a redirect`);
  return visit(new URL(location, url).toString());
}

async function visit(url: string): Promise<Visit> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** Resolves with the connection error code, or 'connected'. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

function callbackWith(redirectUri: string, params: Record<string, string>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

async function rejection(promise: Promise<unknown>): Promise<OAuthFlowError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OAuthFlowError);
  return err as OAuthFlowError;
}

// --- tests --------------------------------------------------------------------------------------------

describe('runLoopbackAuthorization', () => {
  let auth: AuthServer;
  beforeEach(async () => {
    auth = await startAuthServer();
  });
  afterEach(async () => {
    await auth.server.close();
  });

  it('given the user approves in the browser, when the flow runs, then the code is exchanged with the PKCE verifier and the account comes back', async () => {
    let page: Promise<Visit> | null = null;
    let redirectUri = '';
    const result = await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      onListening: (info) => (redirectUri = info.redirectUri),
      openExternal: (url) => {
        page = browse(url);
      },
    });

    expect(result.profile).toMatchObject({ platformAccountId: '109348', username: 'maple', displayName: 'Maple Bakery' });
    expect(result.credentials.accessToken).toBe(auth.tokensIssued[0]);
    expect(result.credentials.scopes).toEqual(['read', 'write']);
    const [authorize] = auth.server.calls('GET /oauth/authorize');
    const [token] = auth.server.calls('POST /oauth/token');
    expect(authorize?.query.get('redirect_uri')).toBe(redirectUri);
    expect(redirectUri).toMatch(LOOPBACK_REDIRECT);
    expect(codeChallengeS256(token?.form().get('code_verifier') ?? '')).toBe(authorize?.query.get('code_challenge'));
    const shown = await page!;
    expect(shown.status).toBe(200);
    expect(shown.body).toContain('Mastodon is connected');
    expect(shown.body).toContain('close this tab and return to Postdesk');
  });

  it('given the callback page, when the browser shows it, then it is uncached, locked down by CSP and loads nothing external', async () => {
    let page: Promise<Visit> | null = null;
    await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      openExternal: (url) => {
        page = browse(url);
      },
    });
    const shown = await page!;
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const csp = shown.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(shown.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
    expect(shown.body).not.toMatch(/\b(src|href)\s*=|<script|<link|@import|url\(/i);
    expect(shown.body).not.toMatch(/https?:\/\//);
  });

  it('given a forged callback with the wrong state arrives first, when the real one follows, then the forged one gets a 400 and the flow still succeeds', async () => {
    const strays: Visit[] = [];
    let page: Promise<Visit> | null = null;
    const result = await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      onListening: ({ redirectUri }) => {
        page = (async () => {
          strays.push(await visit(callbackWith(redirectUri, { code: 'forged-code', state: 'not-our-state' })));
          strays.push(await visit(callbackWith(redirectUri, { code: 'forged-code' })));
          strays.push(await visit(callbackWith(redirectUri, { error: 'access_denied', state: 'not-our-state' })));
          strays.push(await visit(new URL('/favicon.ico', redirectUri).toString()));
          return { status: 0, headers: new Headers(), body: '' };
        })();
      },
      openExternal: async (url) => {
        await page;
        page = browse(url);
      },
    });

    expect(strays.map((s) => s.status)).toEqual([400, 400, 400, 404]);
    expect(strays[0]?.body).toContain('does not belong to the Mastodon sign-in');
    expect(strays[0]?.headers.get('cache-control')).toBe('no-store');
    expect(result.profile.username).toBe('maple');
    const exchanged = auth.server.calls('POST /oauth/token').map((r) => r.form().get('code'));
    expect(exchanged).toHaveLength(1);
    expect(exchanged).not.toContain('forged-code');
    expect((await page!).body).toContain('Mastodon is connected');
  });

  it('given a request with our state but another Host (DNS rebinding), when it reaches the callback, then it is refused and the flow goes on', async () => {
    let rebound: Promise<number> | null = null;
    const result = await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      onListening: ({ redirectUri, authorizeUrl }) => {
        const state = new URL(authorizeUrl).searchParams.get('state') ?? '';
        const target = new URL(callbackWith(redirectUri, { code: 'rebound-code', state }));
        rebound = new Promise<number>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, headers: { host: `attacker.example:${target.port}` } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      },
      openExternal: async (url) => {
        await rebound;
        await browse(url);
      },
    });
    expect(await rebound!).toBe(400);
    expect(result.profile.username).toBe('maple');
    expect(auth.server.calls('POST /oauth/token').map((r) => r.form().get('code'))).not.toContain('rebound-code');
  });

  it('given a request whose target is not a URL, when it reaches the server, then it gets a 400 and the flow goes on', async () => {
    let raw: Promise<string> | null = null;
    const result = await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      onListening: ({ redirectUri }) => {
        const port = Number(new URL(redirectUri).port);
        raw = new Promise<string>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port }, () => socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
          let answer = '';
          socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
          socket.on('end', () => resolve(answer));
          socket.on('error', reject);
        });
      },
      openExternal: async (url) => {
        await raw;
        await browse(url);
      },
    });
    expect((await raw!).split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(result.profile.username).toBe('maple');
  });

  it('given the callback was already used, when it is requested again during the exchange, then it is refused and only one exchange happens', async () => {
    const release = auth.holdTokens();
    let replay: Promise<Visit> | null = null;
    let first: Promise<Visit> | null = null;
    const flow = runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      openExternal: async (url) => {
        const redirect = await fetch(url, { redirect: 'manual' });
        const location = redirect.headers.get('location') ?? '';
        first = visit(location);
        // The exchange is held: wait until the token endpoint has been reached.
        while (auth.server.requests.every((r) => r.path !== '/oauth/token')) await new Promise((r) => setTimeout(r, 5));
        replay = visit(location);
        await replay;
        release();
      },
    });
    await flow;
    expect((await replay!).status).toBe(400);
    expect((await replay!).body).toContain('already received');
    expect((await first!).status).toBe(200);
    expect(auth.server.calls('POST /oauth/token')).toHaveLength(1);
  });

  it('given the user declines on the platform, when the browser comes back, then the flow ends as denied and nothing is exchanged', async () => {
    auth.decide('deny');
    let page: Promise<Visit> | null = null;
    let port = 0;
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector(),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        onListening: ({ redirectUri }) => (port = Number(new URL(redirectUri).port)),
        openExternal: (url) => {
          page = browse(url);
        },
      }),
    );
    expect(err.code).toBe('denied');
    expect(err.platform).toBe('mastodon');
    expect(err.message).toBe('You declined access on Mastodon, so nothing was connected.');
    expect(auth.server.calls('POST /oauth/token')).toHaveLength(0);
    expect((await page!).body).toContain('Access was not granted on Mastodon');
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('given the authorize request is rejected with another OAuth error, when the browser comes back, then the message names that error', async () => {
    // A connector that forgets the S256 method gets invalid_request redirected back.
    const base = createTestConnector();
    const broken: PlatformConnector = {
      ...base,
      beginAuth: (o) => {
        const start = base.beginAuth!(o);
        const url = new URL(start.url);
        url.searchParams.delete('code_challenge_method');
        return { ...start, url: url.toString() };
      },
    };
    const err = await rejection(
      runLoopbackAuthorization({ connector: broken, baseUrl: auth.server.baseUrl, clientId: CLIENT_ID, openExternal: (url) => void browse(url) }),
    );
    expect(err.code).toBe('denied');
    expect(err.message).toContain('Mastodon did not grant access (invalid_request)');
  });

  it('given the user never comes back, when the timeout passes, then the flow ends as timeout and the port is closed', async () => {
    let port = 0;
    let opened = 0;
    const started = Date.now();
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector(),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        timeoutMs: 200,
        onListening: ({ redirectUri }) => (port = Number(new URL(redirectUri).port)),
        openExternal: () => void opened++,
      }),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('stopped waiting for you to finish signing in to Mastodon');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(opened).toBe(1);
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('given only forged callbacks arrived, when the timeout passes, then the flow ends as state_mismatch', async () => {
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector(),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        timeoutMs: 300,
        onListening: ({ redirectUri }) => void visit(callbackWith(redirectUri, { code: 'x', state: 'y' })),
        openExternal: () => undefined,
      }),
    );
    expect(err.code).toBe('state_mismatch');
  });

  it('given the caller aborts while waiting, when the signal fires, then the flow ends as aborted and the port is closed', async () => {
    const controller = new AbortController();
    let port = 0;
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector(),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        signal: controller.signal,
        onListening: ({ redirectUri }) => (port = Number(new URL(redirectUri).port)),
        openExternal: () => void setTimeout(() => controller.abort(), 20),
      }),
    );
    expect(err.code).toBe('aborted');
    expect(err.message).toBe('Connecting to Mastodon was cancelled.');
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('given an already aborted signal, when the flow starts, then it ends as aborted without opening the browser', async () => {
    let opened = false;
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector(),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        signal: AbortSignal.abort(),
        openExternal: () => void (opened = true),
      }),
    );
    expect(err.code).toBe('aborted');
    expect(opened).toBe(false);
  });

  it('given the caller aborts during the token exchange, when the signal fires, then the flow ends as aborted and the browser is told so', async () => {
    const release = auth.holdTokens();
    const controller = new AbortController();
    let page: Promise<Visit> | null = null;
    const flow = runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      signal: controller.signal,
      openExternal: async (url) => {
        page = browse(url);
        while (auth.server.requests.every((r) => r.path !== '/oauth/token')) await new Promise((r) => setTimeout(r, 5));
        controller.abort();
      },
    });
    const err = await rejection(flow);
    release();
    expect(err.code).toBe('aborted');
    expect((await page!).body).toContain('Connecting was cancelled in Postdesk');
  });

  it('given the token endpoint refuses the code, when the flow exchanges it, then exchange_failed carries the PlatformError and no secret', async () => {
    let code = '';
    auth.server.route('POST /oauth/token', (req) => {
      code = req.form().get('code') ?? '';
      // Some servers echo the request; the flow's message must still not carry it.
      return { status: 400, json: { error: 'invalid_grant', error_description: `Code ${code} with verifier ${req.form().get('code_verifier')} has expired` } };
    });
    let page: Promise<Visit> | null = null;
    let verifier = '';
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector((cb) => ((verifier = cb.codeVerifier), cb)),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        openExternal: (url) => {
          page = browse(url);
        },
      }),
    );
    expect(err.code).toBe('exchange_failed');
    expect(err.cause).toBeInstanceOf(PlatformError);
    expect((err.cause as PlatformError).status).toBe(400);
    // RFC 6749 invalid_grant: the user must sign in again, whatever the platform's own dialect.
    expect(err.cause).toMatchObject({ category: 'auth', code: 'invalid_grant' });
    expect(code).not.toBe('');
    expect(verifier).not.toBe('');
    expect(err.message).toContain('could not finish connecting to Mastodon');
    expect(err.message).toContain('[redacted]');
    expect(err.message).not.toContain(code);
    expect(err.message).not.toContain(verifier);
    expect((await page!).body).toContain('could not finish connecting your Mastodon account');
  });

  it('given a connector that exchanges with the wrong verifier, when the server checks PKCE, then the exchange fails', async () => {
    const wrong = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const err = await rejection(
      runLoopbackAuthorization({
        connector: createTestConnector((cb) => ({ ...cb, codeVerifier: wrong })),
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        openExternal: (url) => void browse(url),
      }),
    );
    expect(err.code).toBe('exchange_failed');
    expect(err.cause).toMatchObject({ category: 'auth', code: 'invalid_grant' });
    expect(auth.tokensIssued).toHaveLength(0);
  });

  it('given the flow is listening, when other addresses try the port, then only 127.0.0.1 answers, and nothing does once the flow is over', async () => {
    let port = 0;
    const reach: Record<string, string> = {};
    await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      onListening: ({ redirectUri }) => {
        expect(new URL(redirectUri).hostname).toBe('127.0.0.1');
        port = Number(new URL(redirectUri).port);
      },
      openExternal: async (url) => {
        reach['127.0.0.1'] = await tryConnect('127.0.0.1', port);
        // Bound to 0.0.0.0 or "::" these would connect; bound to "localhost" ::1 might.
        reach['127.0.0.2'] = await tryConnect('127.0.0.2', port);
        reach['::1'] = await tryConnect('::1', port);
        await browse(url);
      },
    });
    expect(reach['127.0.0.1']).toBe('connected');
    expect(reach['127.0.0.2']).not.toBe('connected');
    expect(reach['::1']).not.toBe('connected');
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('given a browser keeps an idle connection open, when the flow ends, then the flow still returns and that connection is closed', async () => {
    let closedByServer: Promise<void> | null = null;
    await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      clientId: CLIENT_ID,
      onListening: ({ redirectUri }) => {
        const idle = connect({ host: '127.0.0.1', port: Number(new URL(redirectUri).port) });
        idle.on('error', () => undefined);
        closedByServer = new Promise<void>((resolve) => idle.once('close', () => resolve()));
      },
      openExternal: (url) => void browse(url),
    });
    await expect(Promise.race([closedByServer!.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), 1_000))])).resolves.toBe('closed');
  });

  it('given a connector whose sign-in link lacks our state, when the flow starts, then it fails at once as state_mismatch without opening the browser', async () => {
    const base = createTestConnector();
    let opened = false;
    const err = await rejection(
      runLoopbackAuthorization({
        connector: { ...base, beginAuth: (o) => base.beginAuth!({ ...o, state: 'something-else' }) },
        baseUrl: auth.server.baseUrl,
        clientId: CLIENT_ID,
        openExternal: () => void (opened = true),
      }),
    );
    expect(err.code).toBe('state_mismatch');
    expect(opened).toBe(false);
  });

  it('given a client registered per flow, when the port is bound, then registration gets that redirect URI and its client id is used', async () => {
    const registered: string[] = [];
    let listening = '';
    const result = await runLoopbackAuthorization({
      connector: createTestConnector(),
      baseUrl: auth.server.baseUrl,
      client: async (redirectUri) => {
        registered.push(redirectUri);
        return { clientId: CLIENT_ID };
      },
      onListening: ({ redirectUri }) => (listening = redirectUri),
      openExternal: (url) => void browse(url),
    });
    expect(result.profile.username).toBe('maple');
    expect(registered).toEqual([listening]);
    expect(auth.server.calls('GET /oauth/authorize')[0]?.query.get('client_id')).toBe(CLIENT_ID);
    expect(auth.server.calls('POST /oauth/token')[0]?.form().get('client_id')).toBe(CLIENT_ID);
  });

  it('given registering the client fails, when the flow starts, then that error passes through, the browser is not opened and the port is closed', async () => {
    const refused = new PlatformError({ platform: 'mastodon', category: 'validation', status: 422, message: 'mastodon refused the request (HTTP 422): Validation failed', effect: 'none' });
    let port = 0;
    let opened = false;
    await expect(
      runLoopbackAuthorization({
        connector: createTestConnector(),
        baseUrl: auth.server.baseUrl,
        client: (redirectUri) => {
          port = Number(new URL(redirectUri).port);
          return Promise.reject(refused);
        },
        openExternal: () => void (opened = true),
      }),
    ).rejects.toBe(refused);
    expect(opened).toBe(false);
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
  });

  it('given the browser cannot be opened, when openExternal rejects, then the flow fails with that error at once', async () => {
    const started = Date.now();
    const failure = new Error('No application is registered to open web pages.');
    await expect(
      runLoopbackAuthorization({ connector: createTestConnector(), baseUrl: auth.server.baseUrl, clientId: CLIENT_ID, openExternal: () => Promise.reject(failure) }),
    ).rejects.toBe(failure);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
