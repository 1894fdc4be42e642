// WAL checkpoints move to a worker thread while the scheduler runs: the main connection stops
// checkpointing inside commits, the database file still receives the WAL's pages, and stopping
// the scheduler gives the connection its automatic checkpoints back.
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackgroundCheckpoints } from '../../electron/scheduler/checkpointer';
import { openTestDb } from '../helpers/db';

let db: ReturnType<typeof openTestDb> | undefined;
afterEach(() => {
  db?.cleanup();
  db = undefined;
});

describe('background checkpoints', () => {
  it('given writes on the main connection, then a worker copies them into the database file and stopping restores automatic checkpoints', async () => {
    db = openTestDb();
    const sqlite = db.sqlite;
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const stop = startBackgroundCheckpoints(sqlite, db.file, { intervalMs: 50 });
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);

    sqlite.exec('CREATE TABLE filler (x TEXT)');
    const before = statSync(db.file).size;
    const insert = sqlite.prepare('INSERT INTO filler (x) VALUES (?)');
    sqlite.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run('x'.repeat(500));
    })();
    const deadline = Date.now() + 5000;
    while (statSync(db.file).size <= before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(statSync(db.file).size).toBeGreaterThan(before + 1_000_000);

    await stop();
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('given an in-memory database, then nothing is started', async () => {
    db = openTestDb();
    const stop = startBackgroundCheckpoints(db.sqlite, ':memory:');
    expect(db.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await stop();
  });
});
