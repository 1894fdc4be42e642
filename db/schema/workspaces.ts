// Workspaces: one brand or client. The seeds' users (as owners of data), businesses, clients,
// user_workspace and user_setup all collapse into this table; a workspace is the unit of scoping.
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { type CONTENT_THEMES } from './enums';
import { between, bool, enumCheck, enumText, epochMs, id, json, syncedTimestamps, timestamps } from './columns';

export const BRAND_VOICES = ['professional', 'casual', 'friendly', 'playful', 'authoritative', 'inspirational'] as const;

export const workspaces = sqliteTable(
  'workspaces',
  {
    id: id(),
    name: text('name').notNull(),
    /** businesses.type: 'plumber', 'bakery', 'saas', ... free text as in the seed. */
    businessType: text('business_type').notNull().default('other'),
    description: text('description'),
    website: text('website'),
    logoUrl: text('logo_url'),
    locationCity: text('location_city'),
    locationState: text('location_state'),
    brandVoice: enumText('brand_voice', BRAND_VOICES).notNull().default('professional'),
    timezone: text('timezone').notNull().default('UTC'),
    /** clients.payload / user_workspace.workspace: free-form settings the UI keeps. */
    settings: json<Record<string, unknown>>('settings').notNull().default({}),
    isSetupComplete: bool('is_setup_complete').notNull().default(false),
    setupCompletedAt: epochMs('setup_completed_at'),
    setupData: json<Record<string, unknown>>('setup_data'),
    /** Client colour in the switcher and calendar. */
    color: text('color'),
    archivedAt: epochMs('archived_at'),
    ...syncedTimestamps(),
  },
  (t) => [
    check('workspaces_name_check', sql`length(trim(${t.name})) > 0`),
    enumCheck('workspaces', t.brandVoice, BRAND_VOICES),
  ],
);

/** The local person (and, with sync, teammates). No password: the desktop has no login. */
export const users = sqliteTable(
  'users',
  {
    id: id(),
    email: text('email'),
    fullName: text('full_name'),
    avatarUrl: text('avatar_url'),
    isActive: bool('is_active').notNull().default(true),
    isLocal: bool('is_local').notNull().default(false),
    lastActiveAt: epochMs('last_active_at'),
    settings: json<Record<string, unknown>>('settings').notNull().default({}),
    ...timestamps(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email)],
);

export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;

/** admin_clients: who may work in which workspace (and, with sync, the RLS membership). */
export const workspaceMembers = sqliteTable(
  'workspace_members',
  {
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: enumText('role', MEMBER_ROLES).notNull().default('owner'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('workspace_members_pk').on(t.workspaceId, t.userId),
    index('workspace_members_user_idx').on(t.userId),
    enumCheck('workspace_members', t.role, MEMBER_ROLES),
  ],
);

/**
 * workspace_id for a user-owned table: NOT NULL, cascades when the workspace is deleted.
 * Every table that has it is scoped by db/scope.ts (the scoping test finds them from the schema).
 */
export const workspaceRef = () =>
  text('workspace_id')
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' });

/**
 * workspace_id for tables that also hold app-wide rows (maintenance jobs, app secrets): NULL means
 * "the app", a value scopes the row to that workspace and cascades with it.
 */
export const optionalWorkspaceRef = () => text('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' });

/**
 * 002 user_preferences: how often and when to post, which themes to generate, what to avoid and
 * which summaries to send. One row per workspace; the timezone lives on workspaces.timezone.
 */
export const workspacePreferences = sqliteTable(
  'workspace_preferences',
  {
    id: id(),
    workspaceId: workspaceRef(),
    /** Posts per week. */
    postingFrequency: integer('posting_frequency').notNull().default(3),
    /** Local times of day 'HH:MM' (seed TIME[]). */
    preferredTimes: json<string[]>('preferred_times').notNull().default([]),
    themesEnabled: json<(typeof CONTENT_THEMES)[number][]>('themes_enabled')
      .notNull()
      .default(['tip', 'promotion', 'seasonal']),
    avoidKeywords: json<string[]>('avoid_keywords').notNull().default([]),
    emailWeeklySummary: bool('email_weekly_summary').notNull().default(true),
    emailMonthlyReport: bool('email_monthly_report').notNull().default(true),
    pushApprovalNeeded: bool('push_approval_needed').notNull().default(true),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('workspace_preferences_workspace_unique').on(t.workspaceId),
    between('workspace_preferences', t.postingFrequency, 0, 100),
  ],
);
