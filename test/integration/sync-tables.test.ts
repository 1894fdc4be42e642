// Which tables and columns sync is derived from the schema: workspace-owned tables with
// deleted_at plus the workspace itself; secrets and local machinery never. Each column's wire
// kind follows its Drizzle type, and parents come before the tables that reference them.
import { describe, expect, it } from 'vitest';
import { captureSql } from '../../electron/core/sync/capture';
import { fromWire, syncTables, syncTableByName, toWire } from '../../electron/core/sync/tables';

describe('synced tables', () => {
  it('given the schema, when the synced tables are derived, then secrets and local machinery are left out', () => {
    const names = syncTables.map((t) => t.name);
    for (const local of ['account_secrets', 'app_secrets', 'jobs', 'job_attempts', 'post_runs', 'inbox_poll_state', 'knowledge_chunks', 'sync_outbox', 'sync_clocks', 'devices', 'users']) {
      expect(names, local).not.toContain(local);
    }
    for (const synced of ['workspaces', 'posts', 'post_targets', 'conversations', 'conversation_messages', 'customers', 'saved_replies', 'accounts']) {
      expect(names, synced).toContain(synced);
    }
    expect(syncTableByName.get('posts')!.columns.map((c) => c.name)).not.toContain('seq');
  });

  it('given a synced table, when its columns are described, then each has the Postgres kind its Drizzle type implies', () => {
    const kinds = Object.fromEntries(syncTableByName.get('posts')!.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({ id: 'uuid', workspace_id: 'uuid', content: 'text', publish_at: 'time', hashtags: 'json', requires_approval: 'bool', deleted_at: 'time' });
    expect(Object.fromEntries(syncTableByName.get('post_targets')!.columns.map((c) => [c.name, c.kind]))).toMatchObject({ post_id: 'uuid', retry_count: 'int' });
  });

  it('given the order of synced tables, when a table references another, then the parent comes first', () => {
    const at = new Map(syncTables.map((t, i) => [t.name, i]));
    for (const t of syncTables) {
      for (const p of t.parents) {
        // Two tables that reference each other (comments <-> ai_decisions) cannot both come
        // first: applying a batch defers foreign keys to its commit for them.
        if (syncTableByName.get(p)!.parents.includes(t.name)) continue;
        expect(at.get(p)!, `${p} before ${t.name}`).toBeLessThan(at.get(t.name)!);
      }
    }
    expect(syncTables[0]!.name).toBe('workspaces');
  });

  it('given values of every kind, when they go to the wire and back, then they are unchanged', () => {
    expect(fromWire('time', toWire('time', 1_795_475_959_612))).toBe(1_795_475_959_612);
    expect(fromWire('bool', toWire('bool', 1))).toBe(1);
    expect(fromWire('bool', toWire('bool', 0))).toBe(0);
    expect(fromWire('json', toWire('json', '{"b":1,"a":[2]}'))).toBe('{"b":1,"a":[2]}');
    expect(fromWire('real', toWire('real', 0.25))).toBe(0.25);
    expect(toWire('text', null)).toBeNull();
  });

  it('given the capture triggers, when generated, then every synced table has insert, update and delete triggers naming all its columns', () => {
    const sql = captureSql().join('\n');
    for (const t of syncTables) {
      for (const kind of ['ins', 'upd', 'del']) expect(sql).toContain(`"sync_capture_${t.name}_${kind}"`);
      for (const c of t.columns.filter((c) => c.name !== 'id')) expect(sql).toContain(`OLD."${c.name}" IS NOT NEW."${c.name}"`);
    }
  });
});
