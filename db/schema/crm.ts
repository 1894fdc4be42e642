// CRM: 000 Customer (lifecycle tracking). One person can write from Instagram, WhatsApp and email;
// customer_identities ties those handles to one customer so the inbox shows one history.
import { sql } from 'drizzle-orm';
import { index, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { enumCheck, enumText, epochMs, id, json, nonNegative, syncedTimestamps } from './columns';
import { CONTACT_CHANNELS } from './enums';
import { workspaceRef } from './workspaces';

export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'repeat_customer', 'churned'] as const;

export const customers = sqliteTable(
  'customers',
  {
    id: id(),
    workspaceId: workspaceRef(),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    avatarUrl: text('avatar_url'),
    lifecycleStage: enumText('lifecycle_stage', LIFECYCLE_STAGES).notNull().default('lead'),
    /** Channel the customer first came from. */
    source: enumText('source', CONTACT_CHANNELS),
    notes: text('notes'),
    tags: json<string[]>('tags').notNull().default([]),
    lifetimeValue: real('lifetime_value').notNull().default(0),
    firstSeenAt: epochMs('first_seen_at'),
    lastContactAt: epochMs('last_contact_at'),
    lastPurchaseAt: epochMs('last_purchase_at'),
    metadata: json<Record<string, unknown>>('metadata').notNull().default({}),
    ...syncedTimestamps(),
  },
  (t) => [
    index('customers_workspace_stage_idx').on(t.workspaceId, t.lifecycleStage),
    index('customers_workspace_last_contact_idx').on(t.workspaceId, t.lastContactAt),
    index('customers_email_idx').on(t.workspaceId, t.email).where(sql`${t.email} IS NOT NULL`),
    enumCheck('customers', t.lifecycleStage, LIFECYCLE_STAGES),
    enumCheck('customers', t.source, CONTACT_CHANNELS),
    nonNegative('customers', t.lifetimeValue),
  ],
);

export const customerIdentities = sqliteTable(
  'customer_identities',
  {
    id: id(),
    workspaceId: workspaceRef(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    channel: enumText('channel', CONTACT_CHANNELS).notNull(),
    /** The network's user id, an email address or a phone number. */
    externalId: text('external_id').notNull(),
    handle: text('handle'),
    displayName: text('display_name'),
    profileUrl: text('profile_url'),
    ...syncedTimestamps(),
  },
  (t) => [
    uniqueIndex('customer_identities_workspace_channel_external_unique').on(t.workspaceId, t.channel, t.externalId),
    index('customer_identities_customer_idx').on(t.customerId),
    enumCheck('customer_identities', t.channel, CONTACT_CHANNELS),
  ],
);
