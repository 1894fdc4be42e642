// Signatures: a line the brand ends posts with ("— Kōfi & Crumb, Leith"), for every network or for
// one. At most one default for every network and one per network, so Compose knows which to offer
// first. Deleting keeps a tombstone for sync; since names are unique per workspace (tombstones
// included), a new signature with a deleted one's name takes its row back.
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import type { Platform } from '../../../db/schema/enums';
import { signatures } from '../../../db/schema/posts';
import { PostError } from './posts';

export interface SignatureView {
  id: string;
  name: string;
  content: string;
  /** null: every network. */
  platform: Platform | null;
  isDefault: boolean;
  updatedAt: number;
}

type Row = typeof signatures.$inferSelect;

const view = (r: Row): SignatureView => ({ id: r.id, name: r.name, content: r.content, platform: r.platform, isDefault: r.isDefault, updatedAt: r.updatedAt });

export function listSignatures(db: Database, workspaceId: string): SignatureView[] {
  return db.orm
    .select()
    .from(signatures)
    .where(and(eq(signatures.workspaceId, workspaceId), isNull(signatures.deletedAt)))
    .orderBy(sql`${signatures.platform} IS NOT NULL`, asc(signatures.platform), sql`lower(${signatures.name})`)
    .all()
    .map(view);
}

function live(db: Database, signatureId: string): Row {
  const row = db.orm.select().from(signatures).where(and(eq(signatures.id, signatureId), isNull(signatures.deletedAt))).get();
  if (!row) throw new PostError('not_found', 'That signature no longer exists; it may have been deleted in another window.');
  return row;
}

/** Any row (live or deleted) of the workspace with this name, ignoring case. */
function byName(db: Database, workspaceId: string, name: string): Row | undefined {
  return db.orm
    .select()
    .from(signatures)
    .where(and(eq(signatures.workspaceId, workspaceId), sql`lower(${signatures.name}) = lower(${name})`))
    .get();
}

/** Only one default per scope (every network, or one network): the new one takes over. */
function clearOtherDefaults(db: Database, row: Pick<Row, 'id' | 'workspaceId' | 'platform'>, now: number): void {
  db.orm
    .update(signatures)
    .set({ isDefault: false, updatedAt: now })
    .where(
      and(
        eq(signatures.workspaceId, row.workspaceId),
        ne(signatures.id, row.id),
        eq(signatures.isDefault, true),
        row.platform === null ? isNull(signatures.platform) : eq(signatures.platform, row.platform),
      ),
    )
    .run();
}

export interface SignatureInput {
  name: string;
  content: string;
  platform?: Platform | null | undefined;
  isDefault?: boolean | undefined;
}

export function createSignature(db: Database, workspaceId: string, input: SignatureInput, now = Date.now()): SignatureView {
  const name = input.name.trim();
  const fields = { name, content: input.content.trim(), platform: input.platform ?? null, isDefault: input.isDefault ?? false, updatedAt: now, deletedAt: null };
  const id = db.orm.transaction(() => {
    const same = byName(db, workspaceId, name);
    if (same && same.deletedAt === null) throw new PostError('conflict', `There is already a signature called “${same.name}”. Give this one another name.`);
    const id = same
      ? (db.orm.update(signatures).set(fields).where(eq(signatures.id, same.id)).run(), same.id)
      : db.orm.insert(signatures).values({ ...fields, workspaceId, createdAt: now }).returning({ id: signatures.id }).get().id;
    if (fields.isDefault) clearOtherDefaults(db, { id, workspaceId, platform: fields.platform }, now);
    return id;
  });
  return view(live(db, id));
}

export function updateSignature(db: Database, signatureId: string, patch: Partial<SignatureInput>, now = Date.now()): SignatureView {
  db.orm.transaction(() => {
    const row = live(db, signatureId);
    const name = patch.name?.trim();
    if (name !== undefined && name.toLowerCase() !== row.name.toLowerCase()) {
      const same = byName(db, row.workspaceId, name);
      if (same && same.deletedAt === null) throw new PostError('conflict', `There is already a signature called “${same.name}”. Give this one another name.`);
      // A deleted one's name is free again: its tombstone (kept for sync) steps aside.
      if (same) db.orm.update(signatures).set({ name: `${same.name} (deleted ${same.id.slice(-8)})`, updatedAt: now }).where(eq(signatures.id, same.id)).run();
    }
    const next = {
      ...(name !== undefined ? { name } : {}),
      ...(patch.content !== undefined ? { content: patch.content.trim() } : {}),
      ...(patch.platform !== undefined ? { platform: patch.platform } : {}),
      ...(patch.isDefault !== undefined ? { isDefault: patch.isDefault } : {}),
      updatedAt: now,
    };
    db.orm.update(signatures).set(next).where(eq(signatures.id, signatureId)).run();
    const after = live(db, signatureId);
    if (after.isDefault) clearOtherDefaults(db, after, now);
  });
  return view(live(db, signatureId));
}

export function deleteSignature(db: Database, signatureId: string, now = Date.now()): void {
  live(db, signatureId);
  db.orm.update(signatures).set({ deletedAt: now, isDefault: false, updatedAt: now }).where(eq(signatures.id, signatureId)).run();
}
