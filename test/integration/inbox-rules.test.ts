// Triage rules and auto-reply through the real API: defaults before anything is saved, lists
// tidied as typed, partial updates, and auto-reply stored beside the account's other settings.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { accounts, aiSettings } from '../../db/schema';
import type { EventName } from '../../electron/api/events';
import { startTestCore, type TestCore } from '../helpers/core';
import { addAccount } from '../helpers/inbox-threads';

let core: TestCore | undefined;
afterEach(async () => {
  await core?.cleanup();
  core = undefined;
});

async function setup() {
  core = await startTestCore({ scheduler: false });
  const ws = await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/Paris' });
  return { core, db: core.ctx.db, workspaceId: ws.id };
}

describe('triage rules', () => {
  it('given a workspace that never saved rules, when they are read, then the defaults come back and nothing is written', async () => {
    const s = await setup();
    expect(await s.core.call('inbox.rules', { workspaceId: s.workspaceId })).toEqual({ flaggedKeywords: [], flaggedPhrases: [], ignoreExamples: [], aiEnabledForChats: true, aiEnabledForComments: true });
    expect(s.db.orm.select().from(aiSettings).all()).toEqual([]);
  });

  it('given lists with blanks, padding and repeats in other cases, when saved in two steps, then each list is tidied in the order typed and untouched fields keep their values', async () => {
    const s = await setup();
    const first = await s.core.call('inbox.updateRules', { workspaceId: s.workspaceId, flaggedKeywords: [' refund ', 'Refund', 'lawyer', 'REFUND'], flaggedPhrases: ['speak to  the owner', 'Speak to the owner'], aiEnabledForComments: false });
    expect(first).toEqual({ flaggedKeywords: ['refund', 'lawyer'], flaggedPhrases: ['speak to the owner'], ignoreExamples: [], aiEnabledForChats: true, aiEnabledForComments: false });

    const second = await s.core.call('inbox.updateRules', { workspaceId: s.workspaceId, ignoreExamples: ['Follow us for follow!', 'follow us for follow!'] });
    expect(second).toEqual({ ...first, ignoreExamples: ['Follow us for follow!'] });
    expect(await s.core.call('inbox.rules', { workspaceId: s.workspaceId })).toEqual(second);
    // One row per workspace, holding the other AI settings' defaults.
    const rows = s.db.orm.select().from(aiSettings).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workspaceId: s.workspaceId, tone: 'friendly', flaggedKeywords: ['refund', 'lawyer'] });
  });

  it('given a workspace whose rules row was deleted on another device, when rules are saved, then the row is live again with the change', async () => {
    const s = await setup();
    await s.core.call('inbox.updateRules', { workspaceId: s.workspaceId, flaggedKeywords: ['refund'] });
    s.db.orm.update(aiSettings).set({ deletedAt: Date.now() }).where(eq(aiSettings.workspaceId, s.workspaceId)).run();
    expect((await s.core.call('inbox.rules', { workspaceId: s.workspaceId })).flaggedKeywords).toEqual([]);
    const saved = await s.core.call('inbox.updateRules', { workspaceId: s.workspaceId, flaggedPhrases: ['real person'] });
    expect(saved).toMatchObject({ flaggedKeywords: ['refund'], flaggedPhrases: ['real person'] });
  });
});

describe('auto-reply', () => {
  it('given an account with other settings, when auto-reply is turned on and off, then only metadata.inbox.autoReply changes and accounts.changed is announced', async () => {
    const s = await setup();
    const accountId = addAccount(s.db, s.workspaceId, 'instagram', 'crumb.insta', { defaults: { firstComment: '#bakery' }, inbox: { note: 'kept' }, renewable: true });
    const events: { name: EventName; payload: unknown }[] = [];
    s.core.ctx.events.subscribe((name, payload) => events.push({ name, payload }));

    expect(await s.core.call('inbox.setAutoReply', { accountId, enabled: true })).toEqual({ accountId, autoReply: true });
    const meta = () => s.db.orm.select({ m: accounts.metadata }).from(accounts).where(eq(accounts.id, accountId)).get()?.m;
    expect(meta()).toEqual({ defaults: { firstComment: '#bakery' }, inbox: { note: 'kept', autoReply: true }, renewable: true });
    const status = await s.core.call('inbox.pollStatus', { workspaceId: s.workspaceId });
    expect(status.find((p) => p.accountId === accountId)?.autoReply).toBe(true);

    await s.core.call('inbox.setAutoReply', { accountId, enabled: false });
    expect(meta()).toEqual({ defaults: { firstComment: '#bakery' }, inbox: { note: 'kept', autoReply: false }, renewable: true });
    expect(events.filter((e) => e.name === 'accounts.changed')).toEqual([
      { name: 'accounts.changed', payload: { workspaceId: s.workspaceId, accountId } },
      { name: 'accounts.changed', payload: { workspaceId: s.workspaceId, accountId } },
    ]);
  });

  it('given an account that is gone, when auto-reply is turned on, then it is not_found in words', async () => {
    const s = await setup();
    await expect(s.core.call('inbox.setAutoReply', { accountId: '01900000-0000-7000-8000-000000000000', enabled: true })).rejects.toMatchObject({ code: 'not_found', message: 'That account is no longer connected.' });
  });
});
