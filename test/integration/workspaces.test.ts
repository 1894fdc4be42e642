import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore } from '../helpers/core';

describe('workspaces through the real handlers', () => {
  let core: Awaited<ReturnType<typeof startTestCore>> | undefined;
  afterEach(async () => core?.cleanup());

  it('given onboarding answers, when a workspace is created, then it is listed with them', async () => {
    core = await startTestCore();
    const ws = await core.call('workspaces.create', {
      name: 'Blue Fern Bakery',
      businessType: 'bakery',
      brandVoice: 'friendly',
      timezone: 'Europe/Paris',
    });
    const list = await core.call('workspaces.list', {});
    expect(list.map((w) => w.name)).toEqual(['Blue Fern Bakery']);
    expect(list[0]).toMatchObject({ id: ws.id, timezone: 'Europe/Paris', brandVoice: 'friendly', isSetupComplete: true });
  });

  it('given an unknown timezone, when creating, then a typed invalid_input error names the field', async () => {
    core = await startTestCore();
    await expect(
      core.call('workspaces.create', { name: 'X', businessType: 'x', brandVoice: 'casual', timezone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: ['timezone'] }] });
  });
});

describe('updating a workspace', () => {
  it('given a patch with only a name, when updating, then the other fields keep their values', async () => {
    const core = await startTestCore();
    try {
      const ws = await core.call('workspaces.create', { name: 'Old', businessType: 'bakery', brandVoice: 'playful', timezone: 'Asia/Tokyo' });
      const updated = await core.call('workspaces.update', { workspaceId: ws.id, patch: { name: 'New' } });
      expect(updated).toMatchObject({ name: 'New', businessType: 'bakery', brandVoice: 'playful', timezone: 'Asia/Tokyo' });
    } finally {
      await core.cleanup();
    }
  });
});

describe('what onboarding sets up', () => {
  it('given a new workspace, then it has posting preferences, the five starter templates and the local user as owner', async () => {
    const core = await startTestCore();
    try {
      const ws = await core.call('workspaces.create', {
        name: 'Harbour Yoga',
        businessType: 'yoga studio',
        brandVoice: 'inspirational',
        timezone: 'Europe/Lisbon',
        postingFrequency: 4,
        preferredTimes: ['07:30', '18:00'],
      });
      const prefs = await core.call('workspaces.getPreferences', { workspaceId: ws.id });
      expect(prefs).toMatchObject({ postingFrequency: 4, preferredTimes: ['07:30', '18:00'] });

      const sqlite = core.ctx.db.sqlite;
      const themes = sqlite.prepare('SELECT theme FROM content_templates WHERE workspace_id = ? ORDER BY theme').pluck().all(ws.id);
      expect(themes).toEqual(['fun_fact', 'promotion', 'seasonal', 'testimonial', 'tip']);
      const owner = sqlite
        .prepare('SELECT m.role, u.is_local FROM workspace_members m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ?')
        .get(ws.id);
      expect(owner).toEqual({ role: 'owner', is_local: 1 });

      // A second workspace reuses the same local user.
      await core.call('workspaces.create', { name: 'Second', timezone: 'UTC' });
      expect(sqlite.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    } finally {
      await core.cleanup();
    }
  });

  it('given a bad posting time, when creating, then nothing is written and the field is named', async () => {
    const core = await startTestCore();
    try {
      await expect(
        core.call('workspaces.create', { name: 'X', timezone: 'UTC', preferredTimes: ['25:00'] }),
      ).rejects.toMatchObject({ code: 'invalid_input', issues: [{ path: ['preferredTimes', 0] }] });
      expect(await core.call('workspaces.list', {})).toEqual([]);
    } finally {
      await core.cleanup();
    }
  });

  it('given preferred times out of order with a duplicate, when updating, then they are kept sorted and unique', async () => {
    const core = await startTestCore();
    try {
      const ws = await core.call('workspaces.create', { name: 'X', timezone: 'UTC' });
      const prefs = await core.call('workspaces.updatePreferences', {
        workspaceId: ws.id,
        patch: { preferredTimes: ['17:00', '08:15', '17:00'], avoidKeywords: ['cheap'] },
      });
      expect(prefs.preferredTimes).toEqual(['08:15', '17:00']);
      expect(prefs.avoidKeywords).toEqual(['cheap']);
    } finally {
      await core.cleanup();
    }
  });
});
