// Change capture: AFTER INSERT/UPDATE/DELETE triggers on every synced table append one row to
// sync_outbox in the writer's own transaction, so every write path is caught (services, raw SQL,
// worker connections) and a crash can never separate a change from its record. An UPDATE
// records only the columns that changed (`OLD.c IS NOT NEW.c`); values are read at stamping
// time, so the trigger stays a single small insert.
//
// The triggers are generated from the live schema and installed only while sync is on (they are
// dropped when it is turned off), so an install without sync pays nothing and a column added by
// a later migration is captured as soon as the app starts (the hash below changes).
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { syncTables, type SyncTable } from './tables';

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
/** Pulled changes are applied with applying = 1 and must not be captured again. */
const WHEN = `(SELECT applying FROM sync_state WHERE id = 1) = 0`;

function triggersFor(t: SyncTable): string[] {
  const name = `sync_capture_${t.name}`;
  const ws = (row: 'NEW' | 'OLD') => `${row}.${q(t.workspaceColumn)}`;
  const changed = t.columns
    .filter((c) => c.name !== 'id')
    .map((c) => `CASE WHEN OLD.${q(c.name)} IS NOT NEW.${q(c.name)} THEN ${lit(c.name + ',')} ELSE '' END`)
    .join(' || ');
  return [
    `CREATE TRIGGER ${q(name + '_ins')} AFTER INSERT ON ${q(t.name)} WHEN ${WHEN} BEGIN
  INSERT INTO sync_outbox (table_name, row_id, ws_id, cols) VALUES (${lit(t.name)}, NEW.id, ${ws('NEW')}, NULL);
END`,
    `CREATE TRIGGER ${q(name + '_upd')} AFTER UPDATE ON ${q(t.name)} WHEN ${WHEN} BEGIN
  INSERT INTO sync_outbox (table_name, row_id, ws_id, cols)
    SELECT ${lit(t.name)}, NEW.id, ${ws('NEW')}, c FROM (SELECT ${changed} AS c) WHERE c <> '';
END`,
    `CREATE TRIGGER ${q(name + '_del')} AFTER DELETE ON ${q(t.name)} WHEN ${WHEN} BEGIN
  INSERT INTO sync_outbox (table_name, row_id, ws_id, cols) VALUES (${lit(t.name)}, OLD.id, ${ws('OLD')}, '-');
END`,
  ];
}

export function captureSql(): string[] {
  return syncTables.flatMap(triggersFor);
}

export const captureHash = (): string => createHash('sha256').update(captureSql().join(';\n')).digest('hex').slice(0, 16);

function installedNames(sqlite: BetterSqlite3.Database): string[] {
  return (
    sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_capture\\_%' ESCAPE '\\'`).all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

/** Install (or refresh after a schema change) the capture triggers; a no-op when current. */
export function installCapture(sqlite: BetterSqlite3.Database): void {
  const hash = captureHash();
  const row = sqlite.prepare('SELECT triggers_hash AS h FROM sync_state WHERE id = 1').get() as { h: string | null } | undefined;
  if (row?.h === hash && installedNames(sqlite).length > 0) return;
  sqlite.transaction(() => {
    for (const n of installedNames(sqlite)) sqlite.exec(`DROP TRIGGER ${q(n)}`);
    for (const s of captureSql()) sqlite.exec(s);
    sqlite.prepare('UPDATE sync_state SET triggers_hash = ? WHERE id = 1').run(hash);
  })();
}

/** Sync turned off: no triggers, no outbox, no write overhead. */
export function removeCapture(sqlite: BetterSqlite3.Database): void {
  sqlite.transaction(() => {
    for (const n of installedNames(sqlite)) sqlite.exec(`DROP TRIGGER ${q(n)}`);
    sqlite.prepare('UPDATE sync_state SET triggers_hash = NULL WHERE id = 1').run();
    sqlite.prepare('DELETE FROM sync_outbox').run();
  })();
}

export const captureInstalled = (sqlite: BetterSqlite3.Database): boolean => installedNames(sqlite).length > 0;
