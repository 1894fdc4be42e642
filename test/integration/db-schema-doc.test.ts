// docs/SCHEMA.md's coverage table is the promise that every seed entity has a home (or a reason
// it has none). It must list all 85, each exactly once, and name only tables that exist.
import { getTableName } from 'drizzle-orm';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allTables } from '../helpers/rows';

const SEED_COUNTS: Record<string, number> = {
  '000_4f200ebcb4c6b862.txt': 20,
  '001_732ab10e81d7e91f.txt': 33,
  '002_39a423247a3abe14.txt': 9,
  '003_727cf1ef76696baf.txt': 10,
  '004_20c8486402b2b837.txt': 13,
};
const VIRTUAL_TABLES = ['posts_fts', 'messages_fts', 'comments_fts', 'knowledge_fts', 'knowledge_vec_384'];
const seedsDir = join(process.cwd(), '..', 'shared', 'seeds');

interface CoverageRow {
  file: string;
  entity: string;
  tables: string[];
  status: string;
}

function coverageRows(): CoverageRow[] {
  const doc = readFileSync(join(process.cwd(), 'docs', 'SCHEMA.md'), 'utf8');
  return doc
    .split('\n')
    .filter((line) => /^\| \d{3}_[0-9a-f]{16}\.txt \|/.test(line))
    .map((line) => {
      const cells = line.split('|').slice(1, -1).map((c) => c.trim());
      expect(cells, line).toHaveLength(4);
      const [file = '', entity = '', tables = '', status = ''] = cells;
      return {
        file,
        entity,
        tables: tables === '—' ? [] : tables.split(',').map((t) => t.trim()),
        status,
      };
    });
}

/** The entity names as each seed document writes them. */
function seedEntities(file: string): string[] {
  const text = readFileSync(join(seedsDir, file), 'utf8');
  const all = (re: RegExp, from = text) => [...from.matchAll(re)].map((m) => m[1] ?? '');
  switch (file.slice(0, 3)) {
    case '000':
      return all(/^- `(\w+)` - /gm);
    case '001':
      return all(/^### \d+\. `(\w+)`/gm);
    case '002':
      return all(/^### (\w+)\s*$/gm);
    case '003': {
      const postgres = text.slice(text.indexOf('## Postgres'), text.indexOf('## PlanetScale'));
      return all(/CREATE TABLE (\w+)/g, postgres);
    }
    case '004':
      return all(/^#### `(\w+)`/gm);
    default:
      return [];
  }
}

describe('docs/SCHEMA.md coverage table', () => {
  const rows = coverageRows();

  it('given the table, when its rows are counted, then there are 85: every seed entity once', () => {
    expect(rows).toHaveLength(85);
    const perFile = Object.fromEntries(Object.keys(SEED_COUNTS).map((f) => [f, rows.filter((r) => r.file === f).length]));
    expect(perFile).toEqual(SEED_COUNTS);
    const keys = rows.map((r) => `${r.file} ${r.entity}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('given each row, when its status is read, then it says ported, merged or not ported, with a reason', () => {
    for (const r of rows) {
      expect(r.status, r.entity).toMatch(/^(ported|merged|not ported): \S.{10,}/);
      if (r.status.startsWith('not ported')) expect(r.tables, r.entity).toEqual([]);
      else expect(r.tables.length, r.entity).toBeGreaterThan(0);
    }
  });

  it('given the local tables named, when looked up in db/schema, then every one exists', () => {
    const known = new Set([...allTables.map((t) => getTableName(t)), ...VIRTUAL_TABLES]);
    const unknown = rows.flatMap((r) => r.tables.filter((t) => !known.has(t)).map((t) => `${r.entity} -> ${t}`));
    expect(unknown).toEqual([]);
  });

  it.skipIf(!existsSync(seedsDir))(
    'given the seed documents, when their entities are listed, then the table names exactly those',
    () => {
      for (const file of Object.keys(SEED_COUNTS)) {
        const documented = rows.filter((r) => r.file === file).map((r) => r.entity);
        expect(documented.sort(), file).toEqual(seedEntities(file).sort());
      }
    },
  );
});
