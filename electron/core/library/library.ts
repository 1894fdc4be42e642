// The component library (004 component_library): assets and templates saved to reuse across
// campaigns (a welcome email that works, the landing page layout of last spring), with a category,
// tags and a search. Search is a LIKE over name, description, tags and text: a workspace's library
// holds tens to hundreds of items, where a scan takes well under a millisecond and needs no FTS
// table or trigger migration. Inserting an item into a campaign copies it as the campaign's own
// asset (version 1), so editing it there never changes the library item.
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { ApiError } from '../../api/errors';
import { createComponent, type ComponentType, type ComponentView } from '../campaigns/components';
import { campaignRow } from '../campaigns/campaigns';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';

export interface LibraryItem {
  id: string;
  workspaceId: string;
  name: string;
  description: string | null;
  /** "Template" or "Asset", or the user's own word. */
  category: string | null;
  tags: string[];
  componentType: ComponentType;
  content: string;
  /** How many times it was inserted into a campaign. */
  uses: number;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  category: string | null;
  tags: string;
  component_type: ComponentType;
  code: string | null;
  downloads: number;
  created_at: number;
  updated_at: number;
}

const view = (r: Row): LibraryItem => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  category: r.category,
  tags: JSON.parse(r.tags) as string[],
  componentType: r.component_type,
  content: r.code ?? '',
  uses: r.downloads,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Tags as typed, trimmed, without a leading '#', case-insensitively unique, in order. */
export function cleanTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    const v = t.trim().replace(/^#+/, '').replace(/\s+/g, ' ');
    if (v && !seen.has(v.toLowerCase())) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

function rowOf(db: Database, id: string): Row {
  const r = db.sqlite.prepare(`SELECT * FROM component_library WHERE id = ? AND deleted_at IS NULL`).get(id) as Row | undefined;
  if (!r) throw new ApiError('not_found', 'That library item does not exist (it may have been deleted). Refresh the library.');
  return r;
}

export interface LibraryInput {
  name: string;
  description?: string | null | undefined;
  category?: string | null | undefined;
  tags?: string[] | undefined;
  componentType: ComponentType;
  content: string;
}

export function saveToLibrary(ctx: ApiContext, workspaceId: string, input: LibraryInput): LibraryItem {
  getWorkspace(ctx.db, workspaceId);
  const id = newId();
  const now = Date.now();
  ctx.db.sqlite
    .prepare(
      `INSERT INTO component_library (id, workspace_id, name, description, category, tags, component_type, code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, workspaceId, input.name.trim(), input.description?.trim() || null, input.category?.trim() || null, JSON.stringify(cleanTags(input.tags ?? [])), input.componentType, input.content, now, now);
  return view(rowOf(ctx.db, id));
}

/** Save a campaign's asset (its latest text) to the library. */
export function saveComponentToLibrary(ctx: ApiContext, componentId: string, extra: { tags?: string[] | undefined; category?: string | null | undefined; description?: string | null | undefined; name?: string | undefined }): LibraryItem {
  const c = ctx.db.sqlite.prepare(`SELECT workspace_id AS ws, name, component_type AS type, code FROM campaign_components WHERE id = ? AND deleted_at IS NULL`).get(componentId) as
    | { ws: string; name: string; type: ComponentType; code: string | null }
    | undefined;
  if (!c) throw new ApiError('not_found', 'That asset does not exist (it may have been deleted). Refresh the campaign.');
  return saveToLibrary(ctx, c.ws, { name: extra.name ?? c.name, componentType: c.type, content: c.code ?? '', tags: extra.tags, category: extra.category ?? 'Asset', description: extra.description });
}

export function updateLibraryItem(ctx: ApiContext, id: string, patch: Partial<LibraryInput>): LibraryItem {
  const r = rowOf(ctx.db, id);
  ctx.db.sqlite
    .prepare(`UPDATE component_library SET name = ?, description = ?, category = ?, tags = ?, component_type = ?, code = ?, updated_at = ? WHERE id = ?`)
    .run(
      patch.name?.trim() ?? r.name,
      patch.description === undefined ? r.description : patch.description?.trim() || null,
      patch.category === undefined ? r.category : patch.category?.trim() || null,
      patch.tags === undefined ? r.tags : JSON.stringify(cleanTags(patch.tags)),
      patch.componentType ?? r.component_type,
      patch.content ?? r.code,
      Date.now(),
      id,
    );
  return view(rowOf(ctx.db, id));
}

export function deleteLibraryItem(ctx: ApiContext, id: string): { deleted: boolean } {
  rowOf(ctx.db, id);
  const now = Date.now();
  ctx.db.sqlite.prepare(`UPDATE component_library SET deleted_at = ?, updated_at = ? WHERE id = ?`).run(now, now, id);
  return { deleted: true };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

/**
 * Items matching every word of the query (in name, description, category, tags or text), having
 * every given tag, of the given type. Name matches first, then most used, then newest.
 */
export function searchLibrary(
  db: Database,
  workspaceId: string,
  opts: { query?: string | undefined; tags?: string[] | undefined; componentType?: ComponentType | undefined; category?: string | undefined; limit?: number | undefined } = {},
): { items: LibraryItem[]; tags: { tag: string; count: number }[] } {
  getWorkspace(db, workspaceId);
  const where = ['workspace_id = ?', 'deleted_at IS NULL'];
  const args: (string | number)[] = [workspaceId];
  const words = (opts.query ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
  for (const w of words) {
    where.push(`(name LIKE ? ESCAPE '\\' OR COALESCE(description, '') LIKE ? ESCAPE '\\' OR COALESCE(category, '') LIKE ? ESCAPE '\\' OR tags LIKE ? ESCAPE '\\' OR COALESCE(code, '') LIKE ? ESCAPE '\\')`);
    const like = `%${escapeLike(w)}%`;
    args.push(like, like, like, like, like);
  }
  for (const t of cleanTags(opts.tags ?? [])) {
    where.push(`EXISTS (SELECT 1 FROM json_each(tags) WHERE lower(json_each.value) = lower(?))`);
    args.push(t);
  }
  if (opts.componentType) {
    where.push('component_type = ?');
    args.push(opts.componentType);
  }
  if (opts.category) {
    where.push('lower(category) = lower(?)');
    args.push(opts.category);
  }
  const first = words[0] ? `%${escapeLike(words[0])}%` : null;
  const rows = db.sqlite
    .prepare(`SELECT * FROM component_library WHERE ${where.join(' AND ')} ORDER BY (? IS NOT NULL AND name LIKE ? ESCAPE '\\') DESC, downloads DESC, created_at DESC LIMIT ?`)
    .all(...args, first, first, opts.limit ?? 100) as Row[];
  const tags = db.sqlite
    .prepare(
      `SELECT j.value AS tag, COUNT(*) AS count FROM component_library l, json_each(l.tags) j
        WHERE l.workspace_id = ? AND l.deleted_at IS NULL GROUP BY lower(j.value) ORDER BY count DESC, tag LIMIT 50`,
    )
    .all(workspaceId) as { tag: string; count: number }[];
  return { items: rows.map(view), tags };
}

/** Copy a library item into a campaign as a new asset; counts as a use of the item. */
export function insertIntoCampaign(ctx: ApiContext, libraryId: string, campaignId: string): ComponentView {
  const item = rowOf(ctx.db, libraryId);
  const c = campaignRow(ctx.db, campaignId);
  if (c.workspaceId !== item.workspace_id) throw new ApiError('invalid_input', 'That library item belongs to another workspace.');
  const created = createComponent(ctx, { campaignId, name: item.name, componentType: item.component_type, content: item.code ?? '', props: { fromLibrary: item.id } });
  ctx.db.sqlite.prepare(`UPDATE component_library SET downloads = downloads + 1, updated_at = ? WHERE id = ?`).run(Date.now(), libraryId);
  return created;
}
