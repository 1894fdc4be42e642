// Workspaces: create (first-run onboarding), list, update, delete (cascades to everything in it).
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import {
  contentTemplates,
  users,
  workspaceMembers,
  workspacePreferences,
  workspaces,
  type BRAND_VOICES,
} from '../../../db/schema';
import { ApiError } from '../../api/errors';
import { BUILTIN_TEMPLATES, DEFAULT_PREFERRED_TIMES } from './builtin-templates';

export type Workspace = typeof workspaces.$inferSelect;

export interface NewWorkspace {
  name: string;
  businessType: string;
  brandVoice: (typeof BRAND_VOICES)[number];
  timezone: string;
  description?: string | undefined;
  website?: string | undefined;
  color?: string | undefined;
  /** Onboarding's "when do you like to post?" (user_preferences): posts per week and local times. */
  postingFrequency?: number | undefined;
  preferredTimes?: string[] | undefined;
}

export type WorkspacePreferences = typeof workspacePreferences.$inferSelect;

export function listWorkspaces(db: Database): Workspace[] {
  return db.orm.select().from(workspaces).orderBy(asc(workspaces.createdAt)).all();
}

export function getWorkspace(db: Database, id: string): Workspace {
  const ws = db.orm.select().from(workspaces).where(eq(workspaces.id, id)).get();
  if (!ws) throw new ApiError('not_found', 'That workspace does not exist (it may have been deleted).');
  return ws;
}

/** The person using this computer: one local user row, made on first need. */
function localUserId(db: Database): string {
  const existing = db.orm.select({ id: users.id }).from(users).where(eq(users.isLocal, true)).get();
  if (existing) return existing.id;
  return db.orm.insert(users).values({ isLocal: true }).returning({ id: users.id }).get().id;
}

/**
 * First-run onboarding and "New workspace": the workspace, its posting preferences, the starter
 * templates and the local user's ownership, all in one transaction so a failure leaves nothing.
 */
export function createWorkspace(db: Database, input: NewWorkspace): Workspace {
  return db.orm.transaction((tx) => {
    const ws = tx
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
        setupData: { source: 'onboarding' },
      })
      .returning()
      .get();
    tx.insert(workspacePreferences)
      .values({
        workspaceId: ws.id,
        postingFrequency: input.postingFrequency ?? 3,
        preferredTimes: input.preferredTimes ?? [...DEFAULT_PREFERRED_TIMES],
      })
      .run();
    tx.insert(contentTemplates)
      .values(BUILTIN_TEMPLATES.map((t) => ({ ...t, workspaceId: ws.id, businessType: ws.businessType, isBuiltin: true })))
      .run();
    tx.insert(workspaceMembers).values({ workspaceId: ws.id, userId: localUserId(db), role: 'owner' }).run();
    return ws;
  });
}

export function getPreferences(db: Database, workspaceId: string): WorkspacePreferences {
  getWorkspace(db, workspaceId);
  const prefs = db.orm.select().from(workspacePreferences).where(eq(workspacePreferences.workspaceId, workspaceId)).get();
  if (prefs) return prefs;
  // Workspaces made before preferences existed get the defaults on first read.
  return db.orm
    .insert(workspacePreferences)
    .values({ workspaceId, preferredTimes: [...DEFAULT_PREFERRED_TIMES] })
    .returning()
    .get();
}

export function updatePreferences(
  db: Database,
  workspaceId: string,
  patch: Partial<Pick<WorkspacePreferences, 'postingFrequency' | 'preferredTimes' | 'themesEnabled' | 'avoidKeywords' | 'emailWeeklySummary' | 'emailMonthlyReport' | 'pushApprovalNeeded'>>,
): WorkspacePreferences {
  getPreferences(db, workspaceId);
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (set.preferredTimes) set.preferredTimes = [...new Set(set.preferredTimes as string[])].sort();
  return db.orm
    .update(workspacePreferences)
    .set(set)
    .where(eq(workspacePreferences.workspaceId, workspaceId))
    .returning()
    .get()!;
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
