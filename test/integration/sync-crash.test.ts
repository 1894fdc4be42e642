// A device process is SIGKILLed in the middle of a push (after some batches reached the server,
// with one possibly committed there but not yet acknowledged locally). Restarted on the same
// file, it finishes: the cloud holds every row exactly once, the change log has no duplicate,
// and another device pulls exactly the same rows. A dropped connection mid-push resumes the same way.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client';
import { newId } from '../../db/schema/columns';
import { SyncService } from '../../electron/core/sync/service';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openDevice, snapshot } from '../helpers/sync';
import { tempDir } from '../helpers/db';
import { insertWorkspace } from '../helpers/rows';

let server: TestPostgres;
const repoRoot = join(import.meta.dirname, '..', '..');

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** Runs the child until it has pushed at least `killAfter` entries, then SIGKILLs it. */
function pushThenKill(file: string, url: string, killAfter: number): Promise<{ killed: boolean; lastPushed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/sync-child.ts', file, url], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let lastPushed = 0;
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/PUSHED (\d+)/g)) lastPushed = Math.max(lastPushed, Number(m[1]));
      if (lastPushed >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ killed: true, lastPushed });
      else if (code === 0) resolve({ killed: false, lastPushed });
      else reject(new Error(`sync child exited with ${code}: ${err}`));
    });
  });
}

describe('killed mid-push', () => {
  it('given a device killed while pushing, when it restarts and syncs, then nothing is lost and nothing duplicated', async () => {
    const dbName = await server.createDatabase();
    const url = server.url(dbName);
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'postdesk.db');
    const rows = 2000;
    let ws: string;
    {
      const db = openDatabase({ file });
      const sync = new SyncService({ db });
      await sync.connect(url);
      ws = insertWorkspace(db.sqlite, 'Crash');
      const insert = db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content) VALUES (?, ?, ?, 'body')`);
      db.sqlite.transaction(() => {
        for (let i = 0; i < rows; i++) insert.run(newId(), ws, `reply ${i}`);
      })();
      await sync.chooseWorkspaces([ws]);
      await sync.close();
      db.close();
    }

    const first = await pushThenKill(file, url, 500);
    expect(first.killed).toBe(true);
    const admin = await server.admin(dbName);
    const inCloud = async () => (await admin.query('SELECT count(*)::int AS n FROM postdesk.saved_replies WHERE workspace_id = $1', [ws])).rows[0].n as number;
    const partial = await inCloud();
    expect(partial).toBeGreaterThanOrEqual(first.lastPushed - 1);
    expect(partial).toBeLessThan(rows);

    const second = await pushThenKill(file, url, Number.POSITIVE_INFINITY);
    expect(second.killed).toBe(false);
    try {
      expect(await inCloud()).toBe(rows);
      const dupes = await admin.query('SELECT row_id FROM postdesk.changes GROUP BY row_id HAVING count(*) > 1');
      expect(dupes.rows).toEqual([]);
      expect((await admin.query('SELECT count(*)::int AS n FROM postdesk.changes')).rows[0].n).toBe(rows + 1);

      const db = openDatabase({ file });
      expect((db.sqlite.prepare('SELECT count(*) AS n FROM sync_pending').get() as { n: number }).n).toBe(0);
      const other = await openDevice('B', url);
      await other.sync.chooseWorkspaces([ws]);
      await other.sync.syncNow();
      expect(snapshot(other.db, ws)).toEqual(snapshot({ ...db, dir, cleanup } as Parameters<typeof snapshot>[0], ws));
      await other.close();
      db.close();
    } finally {
      await admin.end();
      cleanup();
    }
  }, 90_000);

  it('given the connection drops in the middle of a push, when the device syncs again, then it resumes and the cloud has every row once', async () => {
    const dbName = await server.createDatabase();
    const url = server.url(dbName);
    const a = await openDevice('A', url);
    const admin = await server.admin(dbName);
    try {
      const ws = insertWorkspace(a.db.sqlite, 'Flaky');
      const insert = a.db.sqlite.prepare(`INSERT INTO saved_replies (id, workspace_id, title, content) VALUES (?, ?, ?, 'body')`);
      a.db.sqlite.transaction(() => {
        for (let i = 0; i < 1000; i++) insert.run(newId(), ws, `reply ${i}`);
      })();
      await a.sync.chooseWorkspaces([ws]);
      let cut = false;
      const round = a.sync.syncNow({
        pushBatch: 20,
        onProgress: (p) => {
          if (p.phase === 'push' && p.done >= 200 && !cut) {
            cut = true;
            // The server ends this device's session, as a network drop or a proxy restart would.
            void admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]);
          }
        },
      });
      await expect(round).rejects.toThrow();
      expect(a.sync.status().lastError).not.toBeNull();
      expect(a.sync.status().pending).toBeGreaterThan(0);

      const again = await a.sync.syncNow();
      expect(again.pushed).toBeGreaterThan(0);
      expect(a.sync.status()).toMatchObject({ pending: 0, lastError: null });
      expect((await admin.query('SELECT count(*)::int AS n FROM postdesk.saved_replies WHERE workspace_id = $1', [ws])).rows[0].n).toBe(1000);
      expect((await admin.query('SELECT row_id FROM postdesk.changes GROUP BY row_id HAVING count(*) > 1')).rows).toEqual([]);
    } finally {
      await admin.end();
      await a.close();
    }
  }, 60_000);
});
