// Follow-ups end to end in the core: scheduled on a DM polled from the Mastodon contract server,
// sent by the real scheduler at their time as an automatic reply in the thread, and cancelled
// when the customer writes first (through polling and ingestion of their new message).
import { afterEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../electron/api/events';
import { recordSignIn } from '../../electron/core/accounts/accounts';
import { pollCrons } from '../../electron/core/inbox/polling';
import type { FollowupView } from '../../electron/core/inbox/views';
import { startMastodonServer, type Acc, type MastodonServer } from '../contract/mastodon';
import { startTestCore, type TestCore } from '../helpers/core';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Setup {
  core: TestCore;
  workspaceId: string;
  accountId: string;
  masto: MastodonServer;
  bob: Acc;
}

async function setup(): Promise<Setup> {
  const core = await startTestCore();
  cleanups.push(() => core.cleanup());
  for (const spec of pollCrons()) core.scheduler!.upsertCron({ ...spec, enabled: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  const masto = await startMastodonServer();
  cleanups.push(() => masto.close());
  const tokens = masto.issueToken();
  const account = recordSignIn(core.ctx, {
    workspaceId: ws.id,
    platform: 'mastodon',
    authKind: 'oauth2',
    serverUrl: masto.baseUrl,
    result: {
      profile: { platformAccountId: masto.me.id, username: masto.me.username, displayName: masto.me.displayName, profileUrl: null, avatarUrl: null, serverUrl: masto.baseUrl },
      credentials: { accessToken: tokens.accessToken, refreshToken: null, expiresAt: null, scopes: ['read', 'write'] },
    },
  });
  return { core, workspaceId: ws.id, accountId: account.id, masto, bob: masto.addAccount('bob', 'fosstodon.org', 'Bob Baker') };
}

async function refresh(s: Setup): Promise<void> {
  const finished = new Promise<EventPayload<'inbox.poll'>>((resolve) => {
    const off = s.core.ctx.events.subscribe((event, payload) => {
      const p = payload as EventPayload<'inbox.poll'>;
      if (event === 'inbox.poll' && p.accountId === s.accountId && p.status !== 'polling') {
        off();
        resolve(p);
      }
    });
  });
  await s.core.call('inbox.refresh', { workspaceId: s.workspaceId, accountId: s.accountId });
  expect((await finished).status).toBe('done');
}

function conversationIdOf(s: Setup, externalMessageId: string): string {
  return s.core.ctx.db.sqlite.prepare(`SELECT conversation_id FROM conversation_messages WHERE external_message_id = ?`).pluck().get(externalMessageId) as string;
}

function followupRow(s: Setup, id: string): { status: string; sent_at: number | null; error_message: string | null } {
  return s.core.ctx.db.sqlite.prepare(`SELECT status, sent_at, error_message FROM automated_followups WHERE id = ?`).get(id) as { status: string; sent_at: number | null; error_message: string | null };
}

function followupJob(s: Setup, id: string): { status: string; run_at: number } {
  return s.core.ctx.db.sqlite.prepare(`SELECT status, run_at FROM jobs WHERE type = 'inbox.followup' AND json_extract(payload, '$.followupId') = ?`).get(id) as { status: string; run_at: number };
}

async function until<T>(probe: () => T | undefined, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('follow-ups', () => {
  it('given a follow-up a moment ahead, when its time comes, then it goes out once as an automatic reply in the thread and reads sent', async () => {
    const s = await setup();
    const dm = s.masto.receive(s.bob, '@alice I will think about the wedding cake', { visibility: 'direct' });
    await refresh(s);
    const conversationId = conversationIdOf(s, dm.id);
    const at = Date.now() + 1_500;

    const f: FollowupView = await s.core.call('inbox.scheduleFollowup', { conversationId, message: 'Any questions about the cake?', at, reason: 'no_reply' });
    expect(f).toMatchObject({ status: 'pending', scheduledFor: at, cancelOnReply: true, reason: 'no_reply', sentAt: null });
    expect(followupJob(s, f.id)).toEqual({ status: 'pending', run_at: at });
    expect(s.masto.ownStatuses()).toHaveLength(0);

    const sent = await until(() => (followupRow(s, f.id).status === 'sent' ? followupRow(s, f.id) : undefined), 'the follow-up to be sent');
    expect(sent.sent_at).toBeGreaterThanOrEqual(at);
    const own = s.masto.ownStatuses();
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ inReplyToId: dm.id, visibility: 'direct', text: '@bob@fosstodon.org Any questions about the cake?' });
    const message = s.core.ctx.db.sqlite.prepare(`SELECT status, external_message_id, json_extract(metadata, '$.automatic') AS automatic FROM conversation_messages WHERE direction = 'outbound'`).get();
    expect(message).toEqual({ status: 'sent', external_message_id: own[0]!.id, automatic: 'followup' });
    await s.core.scheduler!.idle();
    expect(followupJob(s, f.id).status).toBe('completed');
  });

  it('given a follow-up set to cancel on reply, when the customer writes before its time, then it is cancelled and nothing is sent', async () => {
    const s = await setup();
    const dm = s.masto.receive(s.bob, '@alice how much is a dozen croissants?', { visibility: 'direct' });
    await refresh(s);
    const conversationId = conversationIdOf(s, dm.id);
    const at = Date.now() + 3_000;
    const f = await s.core.call('inbox.scheduleFollowup', { conversationId, message: 'Still interested in the croissants?', at });

    s.masto.receive(s.bob, '@alice never mind, I found the price list', { visibility: 'direct', inReplyToId: dm.id });
    await refresh(s);
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM conversation_messages WHERE conversation_id = ? AND direction = 'inbound'`).pluck().get(conversationId)).toBe(2);

    // Ingestion cancels it at once, or the job finds the reply at its time: either way, cancelled.
    await until(() => (followupRow(s, f.id).status === 'cancelled' ? true : undefined), 'the follow-up to be cancelled');
    await until(() => (['completed', 'cancelled'].includes(followupJob(s, f.id).status) ? true : undefined), 'the follow-up job to end', 10_000);
    await s.core.scheduler!.idle();
    expect(s.masto.ownStatuses()).toHaveLength(0);
    expect(s.masto.server.calls('POST /api/v1/statuses')).toHaveLength(0);
    expect(s.core.ctx.db.sqlite.prepare(`SELECT count(*) FROM conversation_messages WHERE direction = 'outbound' AND deleted_at IS NULL`).pluck().get()).toBe(0);
  });

  it('given a pending follow-up, when cancelled, then its job is cancelled too and a second cancel is refused; a time in the past is refused', async () => {
    const s = await setup();
    const dm = s.masto.receive(s.bob, '@alice do you do gluten-free?', { visibility: 'direct' });
    await refresh(s);
    const conversationId = conversationIdOf(s, dm.id);
    const f = await s.core.call('inbox.scheduleFollowup', { conversationId, message: 'We do, on Fridays!', at: Date.now() + 3_600_000, cancelOnReply: false });

    expect(await s.core.call('inbox.cancelFollowup', { followupId: f.id })).toMatchObject({ id: f.id, status: 'cancelled' });
    expect(followupJob(s, f.id).status).toBe('cancelled');
    await expect(s.core.call('inbox.cancelFollowup', { followupId: f.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(s.core.call('inbox.scheduleFollowup', { conversationId, message: 'Too late', at: Date.now() - 3_600_000 })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/future/) });
  });
});
