// Typed events from the main process to the renderer (IPC `event` channel, WebSocket in web mode).
import { z } from 'zod';
import { jobEvents } from '../scheduler/events';

export const events = {
  'workspaces.changed': z.object({ workspaceId: z.string() }),
  'app.notice': z.object({
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
  }),
  'posts.changed': z.object({ workspaceId: z.string(), postId: z.string() }),
  'accounts.changed': z.object({ workspaceId: z.string(), accountId: z.string() }),
  /** A sign-in started from the Accounts page, step by step (OAuth runs in the browser meanwhile). */
  'accounts.connect': z.object({
    flowId: z.string(),
    workspaceId: z.string(),
    platform: z.string(),
    status: z.enum(['waiting', 'connected', 'failed', 'cancelled']),
    /** Where to sign in (web mode opens it from the page). */
    authorizeUrl: z.string().optional(),
    accountId: z.string().optional(),
    error: z.string().optional(),
  }),
  /** Conversations changed (new messages, status, read state, a reply's progress); ids when known. */
  'inbox.changed': z.object({ workspaceId: z.string(), conversationIds: z.array(z.string()) }),
  /** A message needs a person (a flagged keyword, or the AI said so): the OS notification and badge. */
  'inbox.escalated': z.object({
    workspaceId: z.string(),
    conversationId: z.string(),
    customerName: z.string().nullable(),
    reason: z.string(),
    message: z.string(),
  }),
  /** An account's poll, start to end, so "Refresh" can show progress and errors. */
  'inbox.poll': z.object({
    workspaceId: z.string(),
    accountId: z.string(),
    status: z.enum(['polling', 'done', 'failed']),
    added: z.number().int().optional(),
    error: z.string().optional(),
  }),
  'customers.changed': z.object({ workspaceId: z.string(), customerId: z.string() }),
  /** A campaign, its assets, attached posts or ads, or imported figures changed (campaignId null: several or none in particular). */
  'campaigns.changed': z.object({ workspaceId: z.string(), campaignId: z.string().nullable() }),
  /** A streamed AI answer as it is generated; the last event has done: true (and error if it failed or was cancelled). */
  'ai.stream': z.object({ requestId: z.string(), delta: z.string(), done: z.boolean(), error: z.string().optional() }),
  /** An AI call was metered: usage and budget figures changed. */
  'ai.metered': z.object({
    workspaceId: z.string(),
    generationId: z.string(),
    feature: z.string(),
    status: z.enum(['completed', 'failed', 'cancelled']),
    costUsd: z.number(),
  }),
  /** A knowledge document's indexing, stage by stage (fraction 0..1 within the whole job). */
  'knowledge.progress': z.object({
    workspaceId: z.string(),
    documentId: z.string(),
    stage: z.enum(['queued', 'extracting', 'chunking', 'embedding', 'indexed', 'failed']),
    fraction: z.number().min(0).max(1),
    message: z.string().nullable(),
    /** Why it failed (stage 'failed'), in words to show the user. */
    error: z.string().optional(),
  }),
  /** Documents or FAQ entries were added, changed or deleted (ids when one changed). */
  'knowledge.changed': z.object({ workspaceId: z.string(), documentId: z.string().nullable(), faqId: z.string().nullable() }),
  /** Re-embedding a workspace's knowledge with its current embedding model, chunk by chunk. */
  'knowledge.reembed': z.object({
    workspaceId: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    done: z.number().int(),
    total: z.number().int(),
    model: z.string(),
    error: z.string().optional(),
  }),
  /** Post metrics were fetched and stored for an account (the Analytics page refetches). */
  'analytics.changed': z.object({ workspaceId: z.string(), accountId: z.string() }),
  /** An AI Studio chat changed: a message saved, an answer finished, renamed or deleted. */
  'studio.changed': z.object({ workspaceId: z.string(), threadId: z.string() }),
  /** A topic analysis run, stage by stage; the last event has status done (modelId null: nothing to analyse), failed or cancelled. */
  'topics.progress': z.object({
    workspaceId: z.string(),
    jobId: z.string().nullable(),
    status: z.enum(['running', 'done', 'failed', 'cancelled']),
    stage: z.enum(['collecting', 'embedding', 'clustering', 'labelling', 'saving', 'done', 'failed', 'cancelled']),
    fraction: z.number().min(0).max(1),
    message: z.string().nullable(),
    modelId: z.string().nullable(),
    /** Why it failed, in words to show the user. */
    error: z.string().optional(),
  }),
  /** A workspace export or import, stage by stage (Settings → Export and import). */
  'archive.progress': z.object({
    operationId: z.string(),
    direction: z.enum(['export', 'import']),
    stage: z.enum(['rows', 'media', 'packing', 'unpacking', 'verifying', 'staging', 'migrating', 'committing', 'done', 'failed', 'cancelled']),
    done: z.number(),
    total: z.number(),
    message: z.string(),
  }),
  /** A sync round, batch by batch (phase prepare | push | pull, done of total); the last event has status done or failed. */
  'sync.progress': z.object({
    status: z.enum(['running', 'done', 'failed']),
    reason: z.enum(['manual', 'periodic', 'change', 'retry', 'resume']),
    phase: z.enum(['prepare', 'push', 'pull']),
    done: z.number(),
    total: z.number(),
    fraction: z.number().min(0).max(1),
    /** Why it failed, in words to show the user. */
    error: z.string().nullable(),
  }),
  /** Sync's state changed (connected, paused, a round finished: pulled > 0 means other devices' changes arrived here). */
  'sync.changed': z.object({
    reason: z.enum(['connected', 'disconnected', 'paused', 'resumed', 'workspaces', 'synced', 'failed']),
    pushed: z.number().int().optional(),
    pulled: z.number().int().optional(),
    conflicts: z.number().int().optional(),
    error: z.string().optional(),
  }),
  ...jobEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}
