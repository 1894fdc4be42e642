// App-wide settings (004 app_settings: key/value JSON, feature flags, the default AI endpoint) and
// app secrets (the AI endpoint's key, stock photo API keys): ciphertext only, optionally per workspace.
import { sql } from 'drizzle-orm';
import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { id, json, timestamps } from './columns';
import { optionalWorkspaceRef } from './workspaces';

export const appSettings = sqliteTable('app_settings', {
  key: text('key').primaryKey(),
  value: json<unknown>('value'),
  description: text('description'),
  ...timestamps(),
});

export const appSecrets = sqliteTable(
  'app_secrets',
  {
    id: id(),
    /** NULL: app-wide; a value overrides it for that workspace. */
    workspaceId: optionalWorkspaceRef(),
    /** 'ai.api_key', 'pexels.api_key', ... */
    name: text('name').notNull(),
    valueEncrypted: text('value_encrypted').notNull(),
    keyVersion: integer('key_version').notNull().default(1),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('app_secrets_workspace_name_unique').on(t.workspaceId, t.name),
    uniqueIndex('app_secrets_app_name_unique').on(t.name).where(sql`${t.workspaceId} IS NULL`),
  ],
);
