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
