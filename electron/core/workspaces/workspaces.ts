// Workspaces: create (first-run onboarding), list, update, delete (cascades to everything in it).
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { workspaces, type BRAND_VOICES } from '../../../db/schema';
import { ApiError } from '../../api/errors';

export type Workspace = typeof workspaces.$inferSelect;

export interface NewWorkspace {
  name: string;
  businessType: string;
  brandVoice: (typeof BRAND_VOICES)[number];
  timezone: string;
  description?: string | undefined;
  website?: string | undefined;
  color?: string | undefined;
}

export function listWorkspaces(db: Database): Workspace[] {
  return db.orm.select().from(workspaces).orderBy(asc(workspaces.createdAt)).all();
}

export function getWorkspace(db: Database, id: string): Workspace {
  const ws = db.orm.select().from(workspaces).where(eq(workspaces.id, id)).get();
  if (!ws) throw new ApiError('not_found', 'That workspace does not exist (it may have been deleted).');
  return ws;
}

export function createWorkspace(db: Database, input: NewWorkspace): Workspace {
  return db.orm
    .insert(workspaces)
    .values({
      name: input.name.trim(),
      businessType: input.businessType.trim() || 'other',
      brandVoice: input.brandVoice,
      timezone: input.timezone,
      description: input.description ?? null,
      website: input.website ?? null,
      color: input.color ?? null,
      isSetupComplete: true,
      setupCompletedAt: Date.now(),
    })
    .returning()
    .get();
}

export function updateWorkspace(db: Database, id: string, patch: Partial<NewWorkspace>): Workspace {
  getWorkspace(db, id);
  const set: Partial<typeof workspaces.$inferInsert> = {};
  if (patch.name !== undefined) set.name = patch.name.trim();
  if (patch.businessType !== undefined) set.businessType = patch.businessType.trim() || 'other';
  if (patch.brandVoice !== undefined) set.brandVoice = patch.brandVoice;
  if (patch.timezone !== undefined) set.timezone = patch.timezone;
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.website !== undefined) set.website = patch.website;
  if (patch.color !== undefined) set.color = patch.color;
  return db.orm.update(workspaces).set(set).where(eq(workspaces.id, id)).returning().get()!;
}

export function deleteWorkspace(db: Database, id: string): void {
  getWorkspace(db, id);
  db.orm.delete(workspaces).where(eq(workspaces.id, id)).run();
}
