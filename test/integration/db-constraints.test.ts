// Every CHECK and UNIQUE constraint declared in db/schema, generated from drizzle's metadata: a
// valid row goes in, the same row with one constraint broken is refused with an error that names
// the constraint. A constraint this file does not know how to break fails the test, so new ones
// cannot slip in untested.
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import {
  getTableConfig,
  SQLiteColumn,
  SQLiteSyncDialect,
  type Check,
  type SQLiteTable,
} from 'drizzle-orm/sqlite-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb } from '../helpers/db';
import { allTables, insertRow, insertWorkspace, RowFactory, tableNamed, type Row } from '../helpers/rows';

const dialect = new SQLiteSyncDialect();
const BAD_ENUM = 'not-a-listed-value';

/** CHECKs whose shape is not one of the generated kinds (enum, >= 0, BETWEEN, GLOB). */
const handMadeViolations: Record<string, Row> = {
  workspaces_name_check: { name: '   ' },
  integrations_website_provider_check: { category: 'website', provider: 'squarespace' },
  account_secrets_owner_check: { accountId: null, integrationId: null, adAccountId: null },
  post_targets_retry_count_check: { retryCount: 4, maxRetries: 3 },
  post_runs_attempt_check: { attempt: 0 },
  media_location_check: { path: null, url: null },
  media_sha256_check: { sha256: 'abc123' },
  support_escalations_subject_check: { conversationId: null, commentId: null },
  automated_followups_subject_check: { conversationId: null, customerId: null },
  ai_models_credit_cost_check: { creditCost: 0 },
  ai_decisions_message_text_check: { messageText: 'x'.repeat(501) },
  faq_entries_questions_check: { questions: 'how do I book?' },
  sync_state_one_row: { id: 2 },
  knowledge_chunks_source_check: { documentId: null, faqId: null },
  campaigns_dates_check: { startsAt: 2_000, endsAt: 1_000 },
  campaign_components_version_check: { version: 0 },
  campaign_events_country_check: { country: 'USA' },
  conversions_currency_check: { currency: 'US' },
  ad_accounts_currency_check: { currency: 'EURO' },
  jobs_max_attempts_check: { maxAttempts: 0 },
};

function keyOf(table: SQLiteTable, columnName: string): string | undefined {
  return Object.entries(getTableColumns(table)).find(([, c]) => c.name === columnName)?.[0];
}

/** A change to a valid row that breaks exactly `check`, derived from its SQL where possible. */
function violationFor(table: SQLiteTable, check: Check): Row | undefined {
  const hand = handMadeViolations[check.name];
  if (hand) return hand;
  const text = dialect.sqlToQuery(check.value).sql;
  const tableName = getTableName(table);
  const col = (name: string | undefined) => (name ? keyOf(table, name) : undefined);
  const enumMatch = /^"(\w+)"\."(\w+)" IN \(/.exec(text);
  if (enumMatch && enumMatch[1] === tableName) {
    const key = col(enumMatch[2]);
    const column = key ? getTableColumns(table)[key] : undefined;
    if (key && column?.enumValues?.length) return { [key]: BAD_ENUM };
  }
  const nonNegative = /^"\w+"\."(\w+)" >= 0$/.exec(text);
  if (nonNegative) {
    const key = col(nonNegative[1]);
    if (key) return { [key]: -1 };
  }
  const between = /^"\w+"\."(\w+)" BETWEEN (-?[\d.]+) AND (-?[\d.]+)$/.exec(text);
  if (between) {
    const key = col(between[1]);
    if (key) return { [key]: Number(between[3]) + 1 };
  }
  const glob = /^"\w+"\."(\w+)" GLOB /.exec(text);
  if (glob) {
    const key = col(glob[1]);
    if (key) return { [key]: 'not a date' };
  }
  return undefined;
}

/** Partial UNIQUE indexes only hold where their WHERE clause does: shape the rows to match. */
const uniqueIndexValues: Record<string, Row> = {
  devices_one_current_unique: { isCurrent: true },
  cron_jobs_app_name_unique: { workspaceId: null },
  app_secrets_app_name_unique: { workspaceId: null },
  knowledge_chunks_faq_index_unique: { documentId: null },
  account_secrets_integration_unique: { accountId: null },
  account_secrets_ad_account_unique: { accountId: null },
};

interface UniqueKey {
  name: string;
  keys: string[];
}

function uniqueKeys(table: SQLiteTable): UniqueKey[] {
  const config = getTableConfig(table);
  const keyByColumn = new Map(Object.entries(getTableColumns(table)).map(([k, c]) => [c.name, k]));
  const out: UniqueKey[] = [];
  for (const idx of config.indexes) {
    if (!idx.config.unique) continue;
    const keys = idx.config.columns.map((c) => (is(c, SQLiteColumn) ? keyByColumn.get(c.name) : undefined));
    if (keys.some((k) => k === undefined)) throw new Error(`${idx.config.name}: expression index, test it by hand`);
    out.push({ name: idx.config.name, keys: keys as string[] });
  }
  for (const [key, c] of Object.entries(getTableColumns(table))) {
    if (c.isUnique) out.push({ name: c.uniqueName ?? `${getTableName(table)}_${c.name}_unique`, keys: [key] });
  }
  for (const u of config.uniqueConstraints) {
    out.push({ name: u.getName() ?? 'unique', keys: u.columns.map((c) => keyByColumn.get(c.name)!) });
  }
  return out;
}

const scoped = (t: SQLiteTable) => 'workspaceId' in getTableColumns(t);

let db: ReturnType<typeof openTestDb>;
let factory: RowFactory;
beforeAll(() => {
  db = openTestDb();
  factory = new RowFactory(db.sqlite);
});
afterAll(() => db.cleanup());

const checkCases = allTables.flatMap((t) => getTableConfig(t).checks.map((c) => ({ table: t, check: c })));
const uniqueCases = allTables.flatMap((t) => uniqueKeys(t).map((u) => ({ table: t, unique: u })));

describe('CHECK constraints', () => {
  it('given the schema, when its CHECKs are listed, then there are many and their names are unique', () => {
    expect(checkCases.length).toBeGreaterThan(100);
    const names = checkCases.map((c) => c.check.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(checkCases.map((c) => [`${getTableName(c.table)}: ${c.check.name}`, c] as const))(
    'given a valid row, when %s is broken, then the row is refused naming the constraint',
    (_label, { table, check }) => {
      const violation = violationFor(table, check);
      expect(violation, `no known way to break ${check.name}; add it to handMadeViolations`).toBeDefined();
      const ws = scoped(table) ? insertWorkspace(db.sqlite, `check ${check.name}`) : null;
      // Given: the generated row is accepted as it is.
      expect(() => factory.insert(table, ws)).not.toThrow();
      // When/then: the same kind of row with the violation is not.
      const bad = factory.build(table, ws, { values: violation ?? {} });
      expect(() => insertRow(db.sqlite, table, bad)).toThrow(`CHECK constraint failed: ${check.name}`);
    },
  );
});

describe('UNIQUE constraints', () => {
  it('given the schema, when its UNIQUE keys are listed, then every table but the logs has one', () => {
    expect(uniqueCases.length).toBeGreaterThan(40);
  });

  it.each(uniqueCases.map((c) => [`${getTableName(c.table)}: ${c.unique.name}`, c] as const))(
    'given a row, when another repeats its key for %s, then it is refused naming the table',
    (_label, { table, unique }) => {
      const ws = scoped(table) ? insertWorkspace(db.sqlite, `unique ${unique.name}`) : null;
      const shape = uniqueIndexValues[unique.name] ?? {};
      const first = factory.insert(table, ws, { values: shape, fill: unique.keys });
      for (const k of unique.keys) if (!(k in shape)) expect(first[k], `${k} filled`).not.toBeNull();
      const repeat: Row = { ...shape };
      for (const k of unique.keys) repeat[k] = first[k];
      const second = factory.build(table, ws, { values: repeat });
      expect(() => insertRow(db.sqlite, table, second)).toThrow(`UNIQUE constraint failed: ${getTableName(table)}.`);
      // And a row with a different key is fine, so it was the key that was refused. A key that
      // includes workspace_id differs by workspace; a one-value partial key by leaving the index.
      const otherWs = ws !== null && unique.keys.includes('workspaceId') ? insertWorkspace(db.sqlite, 'other') : ws;
      const otherShape = unique.name === 'devices_one_current_unique' ? { isCurrent: false } : shape;
      const other = factory.build(table, otherWs, { values: otherShape, fill: unique.keys });
      expect(() => insertRow(db.sqlite, table, other)).not.toThrow();
    },
  );
});

describe('foreign keys', () => {
  it('given every foreign key, when its ON DELETE is read, then it cascades or sets NULL (never blocks a delete)', () => {
    const problems: string[] = [];
    for (const t of allTables) {
      for (const fk of getTableConfig(t).foreignKeys) {
        const [col] = fk.reference().columns;
        const where = `${getTableName(t)}.${col?.name}`;
        if (fk.onDelete !== 'cascade' && fk.onDelete !== 'set null') problems.push(`${where}: ${fk.onDelete}`);
        if (fk.onDelete === 'set null' && col?.notNull) problems.push(`${where}: SET NULL on a NOT NULL column`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('given a row pointing at a parent that does not exist, when inserted, then it is refused', () => {
    const ws = insertWorkspace(db.sqlite, 'fk');
    const table = tableNamed('post_targets');
    const target = factory.build(table, ws, { values: { postId: 'no-such-post' } });
    expect(() => insertRow(db.sqlite, table, target)).toThrow('FOREIGN KEY constraint failed');
  });
});
