// The cloud side, created and migrated by Postdesk in its own schema `postdesk` of the database
// the user points it to. Two parts:
//  - versioned migrations (CLOUD_MIGRATIONS): the change log with its server sequence, per-cell
//    clocks, memberships, publish claims, the push function and the row-level security. Forward
//    only, each in one transaction under an advisory lock; a cloud schema newer than this app is
//    refused (an older app could misread it).
//  - mirror tables, one per synced SQLite table in Postgres types (uuid, timestamptz, jsonb,
//    boolean, bigint, double precision), generated from the Drizzle schema and reconciled
//    additively (CREATE TABLE / ADD COLUMN IF NOT EXISTS, CREATE OR REPLACE of each table's apply
//    function) whenever the app's schema hash differs from the cloud's, so a column added by a
//    later SQLite migration reaches the cloud without a hand-written Postgres migration.
//
// Row-level security: every table's policy limits rows to workspaces listed for the current role
// in postdesk.members. Tables are FORCE ROW LEVEL SECURITY, so only the role that ran the
// migrations (the owner: use an admin role for a team) or a superuser sees everything.
import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { syncTables, type ColumnKind, type SyncTable } from './tables';

export const CLOUD_SCHEMA_VERSION = 1;
/** Serialises pushes so server sequence numbers commit in order (a puller never skips one). */
export const PUSH_LOCK = 7_418_001;
const MIGRATE_LOCK = 7_418_002;

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

const PG_TYPE: Record<ColumnKind, string> = {
  uuid: 'uuid',
  text: 'text',
  int: 'bigint',
  real: 'double precision',
  bool: 'boolean',
  json: 'jsonb',
  time: 'timestamptz',
};

/** Rows of workspaces shared with the current role. */
const MEMBER_OF = (col: string) => `${col} IN (SELECT m.workspace_id FROM postdesk.members m WHERE m.role_name = current_user)`;

function rls(table: string, col: string): string {
  return `
ALTER TABLE postdesk.${q(table)} ENABLE ROW LEVEL SECURITY;
ALTER TABLE postdesk.${q(table)} FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS member_rows ON postdesk.${q(table)};
CREATE POLICY member_rows ON postdesk.${q(table)} USING (${MEMBER_OF(col)}) WITH CHECK (${MEMBER_OF(col)});`;
}

const V1 = `
CREATE SCHEMA IF NOT EXISTS postdesk;
CREATE TABLE postdesk.meta (
  id int PRIMARY KEY CHECK (id = 1),
  version int NOT NULL,
  tables_hash text
);
INSERT INTO postdesk.meta (id, version) VALUES (1, 0);

-- Who may read and write which workspace. Rows are added only through join_workspace and
-- share_workspace (SECURITY DEFINER), never by hand.
CREATE TABLE postdesk.members (
  workspace_id uuid NOT NULL,
  role_name text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, role_name)
);
ALTER TABLE postdesk.members ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_memberships ON postdesk.members FOR SELECT USING (role_name = current_user);

-- The per-cell clocks of every row: the merge state.
CREATE TABLE postdesk.cells (
  tbl text NOT NULL,
  row_id uuid NOT NULL,
  workspace_id uuid NOT NULL,
  clocks jsonb NOT NULL DEFAULT '{}',
  deleted_hlc text COLLATE "C",
  PRIMARY KEY (tbl, row_id)
);
${rls('cells', 'workspace_id')}

-- The change log devices pull from: seq is the pull cursor. Only winning cells are logged, so a
-- re-sent batch adds nothing.
CREATE TABLE postdesk.changes (
  seq bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL,
  tbl text NOT NULL,
  row_id uuid NOT NULL,
  node text NOT NULL,
  cells jsonb NOT NULL,
  deleted_hlc text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changes_workspace_seq ON postdesk.changes (workspace_id, seq);
${rls('changes', 'workspace_id')}

-- Only one device publishes a given occurrence of a post target.
CREATE TABLE postdesk.publish_claims (
  post_target_id uuid NOT NULL,
  occurrence_at timestamptz NOT NULL,
  workspace_id uuid NOT NULL,
  node text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_target_id, occurrence_at)
);
${rls('publish_claims', 'workspace_id')}

-- The first role to sync a workspace becomes its member; anyone else must be shared in.
CREATE FUNCTION postdesk.join_workspace(p_ws uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM postdesk.members WHERE workspace_id = p_ws AND role_name = session_user) THEN
    RETURN true;
  END IF;
  IF EXISTS (SELECT 1 FROM postdesk.members WHERE workspace_id = p_ws) THEN
    RETURN false;
  END IF;
  INSERT INTO postdesk.members (workspace_id, role_name) VALUES (p_ws, session_user);
  RETURN true;
END $$;

CREATE FUNCTION postdesk.share_workspace(p_ws uuid, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM postdesk.members WHERE workspace_id = p_ws AND role_name = session_user) THEN
    RAISE EXCEPTION 'only a member of workspace % can share it', p_ws USING ERRCODE = '42501';
  END IF;
  INSERT INTO postdesk.members (workspace_id, role_name) VALUES (p_ws, p_role) ON CONFLICT DO NOTHING;
END $$;

-- Merge one batch: per cell, the greater clock wins; a tombstone wins over everything and a
-- tombstoned row ignores later cells. SECURITY INVOKER: every read and write below goes
-- through the caller's row-level security, so a batch naming another's workspace fails whole.
CREATE FUNCTION postdesk.push(p_node text, p_entries jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  e jsonb;
  cur_clocks jsonb; cur_deleted text; found_row boolean;
  win jsonb; vals jsonb; n integer := 0;
  v_tbl text; v_id uuid; v_ws uuid; v_del text;
BEGIN
  PERFORM pg_advisory_xact_lock(${PUSH_LOCK});
  FOR e IN SELECT value FROM jsonb_array_elements(p_entries) LOOP
    v_tbl := e->>'t'; v_id := (e->>'id')::uuid; v_ws := (e->>'ws')::uuid; v_del := e->>'d';
    -- An unknown table name fails the whole batch: in apply_row for cells, here for a tombstone.
    IF v_del IS NOT NULL AND NOT EXISTS (SELECT 1 FROM postdesk.synced_tables s WHERE s.name = v_tbl) THEN
      RAISE EXCEPTION 'unknown table %', v_tbl USING ERRCODE = '22023';
    END IF;
    SELECT c.clocks, c.deleted_hlc, true INTO cur_clocks, cur_deleted, found_row
      FROM postdesk.cells c WHERE c.tbl = v_tbl AND c.row_id = v_id FOR UPDATE;
    IF cur_deleted IS NOT NULL THEN CONTINUE; END IF;
    cur_clocks := coalesce(cur_clocks, '{}'::jsonb);
    -- The winning cells in one statement (a loop building jsonb cell by cell was most of the
    -- cost of a wide row).
    SELECT coalesce(jsonb_object_agg(x.key, x.value) FILTER (WHERE x.wins), '{}'::jsonb),
           coalesce(jsonb_object_agg(x.key, x.value->0) FILTER (WHERE x.wins), '{}'::jsonb),
           cur_clocks || coalesce(jsonb_object_agg(x.key, x.value->1) FILTER (WHERE x.wins), '{}'::jsonb)
      INTO win, vals, cur_clocks
      FROM (SELECT c.key, c.value,
                   (cur_clocks->>c.key IS NULL OR ((c.value->>1) COLLATE "C") > ((cur_clocks->>c.key) COLLATE "C")) AS wins
              FROM jsonb_each(coalesce(e->'c', '{}'::jsonb)) AS c) AS x;
    IF win = '{}'::jsonb AND v_del IS NULL THEN CONTINUE; END IF;
    IF found_row THEN
      UPDATE postdesk.cells SET clocks = cur_clocks, deleted_hlc = v_del WHERE tbl = v_tbl AND row_id = v_id;
    ELSE
      INSERT INTO postdesk.cells (tbl, row_id, workspace_id, clocks, deleted_hlc) VALUES (v_tbl, v_id, v_ws, cur_clocks, v_del);
    END IF;
    INSERT INTO postdesk.changes (workspace_id, tbl, row_id, node, cells, deleted_hlc)
      VALUES (v_ws, v_tbl, v_id, p_node, win, v_del);
    IF win <> '{}'::jsonb THEN
      PERFORM postdesk.apply_row(v_tbl, v_id, v_ws, vals);
    END IF;
    IF v_del IS NOT NULL THEN
      EXECUTE format('UPDATE postdesk.%I SET deleted_at = coalesce(deleted_at, now()) WHERE id = $1', v_tbl) USING v_id;
    END IF;
    n := n + 1;
    found_row := false; cur_clocks := NULL; cur_deleted := NULL;
  END LOOP;
  RETURN n;
END $$;

-- Insert-or-nothing: true when this node holds the claim (also on a retry by the same node).
CREATE FUNCTION postdesk.claim_publish(p_target uuid, p_ws uuid, p_occurrence timestamptz, p_node text) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE holder text;
BEGIN
  INSERT INTO postdesk.publish_claims (post_target_id, occurrence_at, workspace_id, node) VALUES (p_target, p_occurrence, p_ws, p_node)
    ON CONFLICT (post_target_id, occurrence_at) DO NOTHING;
  SELECT c.node INTO holder FROM postdesk.publish_claims c WHERE c.post_target_id = p_target AND c.occurrence_at = p_occurrence;
  RETURN holder = p_node;
END $$;

CREATE TABLE postdesk.synced_tables (name text PRIMARY KEY);
GRANT USAGE ON SCHEMA postdesk TO PUBLIC;
GRANT SELECT ON postdesk.meta, postdesk.members, postdesk.synced_tables TO PUBLIC;
GRANT SELECT, INSERT, UPDATE ON postdesk.cells, postdesk.changes TO PUBLIC;
GRANT SELECT, INSERT ON postdesk.publish_claims TO PUBLIC;
GRANT USAGE ON SEQUENCE postdesk.changes_seq_seq TO PUBLIC;
REVOKE ALL ON FUNCTION postdesk.join_workspace(uuid), postdesk.share_workspace(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION postdesk.join_workspace(uuid), postdesk.share_workspace(uuid, text),
  postdesk.push(text, jsonb), postdesk.claim_publish(uuid, uuid, timestamptz, text) TO PUBLIC;
`;

export const CLOUD_MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [{ version: 1, name: 'change log, clocks, members, claims, push', sql: V1 }];

function valueExpr(kind: ColumnKind, col: string): string {
  const raw = `c->>${lit(col)}`;
  return kind === 'text' ? raw : `(${raw})::${PG_TYPE[kind]}`;
}

/** The mirror table of one synced table and the function that upserts winning cells into it. */
function mirrorSql(t: SyncTable): string {
  const others = t.columns.filter((c) => c.name !== 'id');
  const nonWs = others.filter((c) => c.name !== 'workspace_id');
  const wsCol = t.workspaceColumn;
  const insertCols = ['id', ...(wsCol === 'workspace_id' ? ['workspace_id'] : []), ...nonWs.map((c) => c.name)];
  const insertVals = ['p_id', ...(wsCol === 'workspace_id' ? ['p_ws'] : []), ...nonWs.map((c) => valueExpr(c.kind, c.name))];
  const sets = nonWs.map((c) => `${q(c.name)} = CASE WHEN c ? ${lit(c.name)} THEN EXCLUDED.${q(c.name)} ELSE r.${q(c.name)} END`);
  return `
CREATE TABLE IF NOT EXISTS postdesk.${q(t.name)} (id uuid PRIMARY KEY${wsCol === 'workspace_id' ? ', workspace_id uuid NOT NULL' : ''});
${nonWs.map((c) => `ALTER TABLE postdesk.${q(t.name)} ADD COLUMN IF NOT EXISTS ${q(c.name)} ${PG_TYPE[c.kind]};`).join('\n')}
${wsCol === 'workspace_id' ? `CREATE INDEX IF NOT EXISTS ${q(t.name + '_workspace')} ON postdesk.${q(t.name)} (workspace_id);` : ''}
${rls(t.name, wsCol)}
GRANT SELECT, INSERT, UPDATE ON postdesk.${q(t.name)} TO PUBLIC;
-- plpgsql, not sql: its INSERT is planned once per session, not on every call.
CREATE OR REPLACE FUNCTION postdesk.${q('apply_' + t.name)}(p_id uuid, p_ws uuid, c jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
  INSERT INTO postdesk.${q(t.name)} AS r (${insertCols.map(q).join(', ')})
  VALUES (${insertVals.join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${sets.length ? sets.join(', ') : 'id = r.id'};
END $fn$;
INSERT INTO postdesk.synced_tables (name) VALUES (${lit(t.name)}) ON CONFLICT DO NOTHING;`;
}

/** One static call per table (a dynamic EXECUTE would be parsed and planned for every row). */
function dispatcherSql(): string {
  const branches = syncTables
    .map((t, i) => `  ${i === 0 ? 'IF' : 'ELSIF'} p_tbl = ${lit(t.name)} THEN PERFORM postdesk.${q('apply_' + t.name)}(p_id, p_ws, c);`)
    .join('\n');
  return `
CREATE OR REPLACE FUNCTION postdesk.apply_row(p_tbl text, p_id uuid, p_ws uuid, c jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
${branches}
  ELSE RAISE EXCEPTION 'unknown table %', p_tbl USING ERRCODE = '22023';
  END IF;
END $fn$;`;
}

export function mirrorsSql(): string {
  return syncTables.map(mirrorSql).join('\n') + dispatcherSql();
}

export const tablesHash = (): string => createHash('sha256').update(mirrorsSql()).digest('hex').slice(0, 16);

export class CloudSchemaError extends Error {
  constructor(
    message: string,
    readonly code: 'cloud_newer' | 'cloud_not_migrated',
  ) {
    super(message);
  }
}

async function currentVersion(client: ClientBase): Promise<{ version: number; tablesHash: string | null }> {
  const exists = await client.query<{ ok: boolean }>(`SELECT to_regclass('postdesk.meta') IS NOT NULL AS ok`);
  if (!exists.rows[0]?.ok) return { version: 0, tablesHash: null };
  const r = await client.query<{ version: number; tables_hash: string | null }>('SELECT version, tables_hash FROM postdesk.meta WHERE id = 1');
  return { version: r.rows[0]?.version ?? 0, tablesHash: r.rows[0]?.tables_hash ?? null };
}

/**
 * Bring the cloud schema up to this app's: versioned migrations then the mirror tables, all in
 * one transaction under an advisory lock (two devices connecting at once do it once).
 * Returns the migrations applied.
 */
export async function migrateCloud(client: ClientBase): Promise<{ applied: number[]; mirrorsUpdated: boolean }> {
  const before = await currentVersion(client);
  if (before.version > CLOUD_SCHEMA_VERSION) {
    throw new CloudSchemaError(
      `The cloud database was set up by a newer Postdesk (schema ${before.version}, this app knows ${CLOUD_SCHEMA_VERSION}). Update Postdesk on this device, then connect again.`,
      'cloud_newer',
    );
  }
  const hash = tablesHash();
  if (before.version === CLOUD_SCHEMA_VERSION && before.tablesHash === hash) return { applied: [], mirrorsUpdated: false };
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK})`);
    const now = await currentVersion(client);
    if (now.version > CLOUD_SCHEMA_VERSION) throw new CloudSchemaError('The cloud database was set up by a newer Postdesk.', 'cloud_newer');
    const applied: number[] = [];
    for (const m of CLOUD_MIGRATIONS) {
      if (m.version <= now.version) continue;
      await client.query(m.sql);
      await client.query('UPDATE postdesk.meta SET version = $1 WHERE id = 1', [m.version]);
      applied.push(m.version);
    }
    let mirrorsUpdated = false;
    if (now.tablesHash !== hash) {
      await client.query(mirrorsSql());
      await client.query('UPDATE postdesk.meta SET tables_hash = $1 WHERE id = 1', [hash]);
      mirrorsUpdated = true;
    }
    await client.query('COMMIT');
    return { applied, mirrorsUpdated };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** For a role that may not migrate: is the cloud at this app's schema? */
export async function checkCloud(client: ClientBase): Promise<void> {
  const v = await currentVersion(client);
  if (v.version > CLOUD_SCHEMA_VERSION) throw new CloudSchemaError('The cloud database was set up by a newer Postdesk; update this app.', 'cloud_newer');
  if (v.version < CLOUD_SCHEMA_VERSION || v.tablesHash !== tablesHash()) {
    throw new CloudSchemaError('The cloud database is not set up for this version of Postdesk yet; connect once with its owner role.', 'cloud_not_migrated');
  }
}
