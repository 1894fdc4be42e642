// The component library through the real API handlers: save assets and templates with tags, find
// them by words and tags, save a campaign's asset to it, and insert an item into a campaign as the
// campaign's own copy (editing the copy leaves the library item alone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../helpers/core';

let core: TestCore;
beforeAll(async () => {
  core = await startTestCore({ scheduler: false });
});
afterAll(async () => {
  await core?.cleanup();
});

describe('component library', () => {
  it('given saved items with tags, when searched by words, tags and type, then only the matching items come back and tags are counted', async () => {
    const ws = (await core.call('workspaces.create', { name: 'Studio', timezone: 'UTC' })).id;
    const other = (await core.call('workspaces.create', { name: 'Other', timezone: 'UTC' })).id;
    const welcome = await core.call('library.save', { workspaceId: ws, name: 'Welcome email', category: 'Template', tags: ['#email', 'onboarding', 'Email'], componentType: 'email_template', content: 'Hi {first_name}, welcome to the studio!' });
    expect(welcome.tags).toEqual(['email', 'onboarding']);
    await core.call('library.save', { workspaceId: ws, name: 'Spring landing', category: 'Asset', tags: ['landing', 'spring'], componentType: 'landing_page', content: 'Yoga outdoors this spring' });
    await core.call('library.save', { workspaceId: ws, name: '50% off pop-up', tags: ['promo'], componentType: 'popup', content: 'Half price for the first class' });
    await core.call('library.save', { workspaceId: other, name: 'Welcome email elsewhere', tags: ['email'], componentType: 'email_template', content: 'not ours' });

    const names = async (q: Parameters<typeof core.call<'library.search'>>[1]) => (await core.call('library.search', q)).items.map((i) => i.name);
    expect(await names({ workspaceId: ws, query: 'welcome' })).toEqual(['Welcome email']);
    expect(await names({ workspaceId: ws, query: 'spring outdoors' })).toEqual(['Spring landing']);
    expect(await names({ workspaceId: ws, tags: ['EMAIL'] })).toEqual(['Welcome email']);
    expect(await names({ workspaceId: ws, componentType: 'popup' })).toEqual(['50% off pop-up']);
    // A literal % is a character to find, not a wildcard.
    expect(await names({ workspaceId: ws, query: '50%' })).toEqual(['50% off pop-up']);
    expect(await names({ workspaceId: ws, query: 'nothing-like-this' })).toEqual([]);
    const { tags } = await core.call('library.search', { workspaceId: ws });
    expect(tags.map((t) => t.tag).sort()).toEqual(['email', 'landing', 'onboarding', 'promo', 'spring']);
  });

  it("given a campaign's asset saved to the library, when inserted into another campaign and edited there, then the copy is that campaign's version 1 and the library item is unchanged", async () => {
    const ws = (await core.call('workspaces.create', { name: 'Reuse', timezone: 'UTC' })).id;
    const a = await core.call('campaigns.create', { workspaceId: ws, name: 'Spring' });
    const b = await core.call('campaigns.create', { workspaceId: ws, name: 'Autumn' });
    const asset = await core.call('campaigns.componentCreate', { campaignId: a.id, name: 'Ad copy', componentType: 'custom', content: 'Fresh bread, every morning.' });
    const item = await core.call('library.saveComponent', { componentId: asset.id, tags: ['ads'] });
    expect(item).toMatchObject({ name: 'Ad copy', category: 'Asset', componentType: 'custom', content: 'Fresh bread, every morning.', tags: ['ads'], uses: 0 });

    const copy = await core.call('library.insert', { libraryId: item.id, campaignId: b.id });
    expect(copy).toMatchObject({ campaignId: b.id, version: 1, content: 'Fresh bread, every morning.' });
    await core.call('campaigns.componentUpdate', { componentId: copy.id, content: 'Fresh bread, every autumn morning.' });
    const [again] = (await core.call('library.search', { workspaceId: ws, tags: ['ads'] })).items;
    expect(again).toMatchObject({ content: 'Fresh bread, every morning.', uses: 1 });

    await core.call('library.delete', { libraryId: item.id });
    expect((await core.call('library.search', { workspaceId: ws })).items).toEqual([]);
    expect((await core.call('campaigns.components', { campaignId: b.id }))[0]!.content).toBe('Fresh bread, every autumn morning.');
  });
});
