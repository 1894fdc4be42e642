// A real Bluesky PDS (and PLC directory) on loopback, for connector and e2e tests: @atproto/dev-env's
// TestNetworkNoAppView, which runs offline with SQLite and a disk blobstore in a temp folder.
// There is no AppView and no chat service behind it: notifications, getPosts and chat.bsky.* answer
// 502 UpstreamFailure, which is what a real PDS says when its AppView is unreachable.
// Cost: loading @atproto/dev-env takes a few seconds once per process (it pulls in the AppView and
// Ozone code too); starting a network after that takes about 150 ms.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Our own secret for the PDS's HS256 session JWTs, so tests can mint an expired one. */
const JWT_SECRET = `postdesk-test-${randomBytes(8).toString('hex')}`;

export interface TestPdsAccount {
  handle: string;
  did: string;
  /** The account password (only for createAccount-style flows). */
  password: string;
  /** An app password made with com.atproto.server.createAppPassword: what a user gives Postdesk. */
  appPassword: string;
}

export interface TestPds {
  /** The PDS's base URL (also the `#atproto_pds` endpoint in its accounts' DID documents). */
  url: string;
  createAccount(handle?: string): Promise<TestPdsAccount>;
  /** A session access JWT the PDS will refuse as expired (same claims and key as a real one). */
  mintExpiredAccessJwt(did: string): string;
  close(): Promise<void>;
}

let counter = 0;

async function xrpc<T>(url: string, nsid: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${url}/xrpc/${nsid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${nsid} failed: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

export async function startTestPds(): Promise<TestPds> {
  const { TestNetworkNoAppView } = await import('@atproto/dev-env');
  const dir = await mkdtemp(join(tmpdir(), 'postdesk-pds-'));
  const network = await TestNetworkNoAppView.create({
    pds: {
      jwtSecret: JWT_SECRET,
      dataDirectory: dir,
      blobstoreDiskLocation: join(dir, 'blobs'),
      // bsky.social sends the DID document with the session; the connector reads the PDS from it.
      enableDidDocWithSession: true,
    },
  });
  const url = network.pds.url;

  return {
    url,
    async createAccount(handle) {
      const n = ++counter;
      const wanted = handle ?? `user${n}-${randomBytes(3).toString('hex')}.test`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      const account = await xrpc<{ did: string; handle: string; accessJwt: string }>(url, 'com.atproto.server.createAccount', {
        handle: wanted,
        email: `${wanted.replace(/\./g, '-')}@example.com`,
        password,
      });
      const app = await xrpc<{ password: string }>(url, 'com.atproto.server.createAppPassword', { name: 'Postdesk' }, account.accessJwt);
      return { handle: account.handle, did: account.did, password, appPassword: app.password };
    },
    mintExpiredAccessJwt(did) {
      const now = Math.floor(Date.now() / 1000);
      const head = b64url({ typ: 'at+jwt', alg: 'HS256' });
      const body = b64url({ scope: 'com.atproto.appPass', aud: network.pds.ctx.cfg.service.did, sub: did, iat: now - 7200, exp: now - 60 });
      const sig = createHmac('sha256', JWT_SECRET).update(`${head}.${body}`).digest('base64url');
      return `${head}.${body}.${sig}`;
    },
    async close() {
      await network.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
