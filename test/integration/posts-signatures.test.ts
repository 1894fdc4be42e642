// Signatures through the real API: made, listed (every-network ones first), renamed, one default
// per scope, names unique per workspace whatever the case, deleted with a tombstone whose name is
// free again, and invalid input refused before the service.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../helpers/core';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(): Promise<{ core: TestCore; workspaceId: string }> {
  const core = await startTestCore({ scheduler: false });
  cleanups.push(() => core.cleanup());
  const ws = await core.call('workspaces.create', { name: 'Kōfi & Crumb', timezone: 'Europe/London' });
  return { core, workspaceId: ws.id };
}

describe('signatures', () => {
  it('given two signatures and a Mastodon one, then they are listed every-network first, and making another default takes the default over only within its scope', async () => {
    const { core, workspaceId } = await setup();
    const shop = await core.call('posts.createSignature', { workspaceId, name: '  Shop ', content: ' — Kōfi & Crumb, Leith 🥐 ', isDefault: true });
    expect(shop).toMatchObject({ name: 'Shop', content: '— Kōfi & Crumb, Leith 🥐', platform: null, isDefault: true });
    const fedi = await core.call('posts.createSignature', { workspaceId, name: 'Fedi', content: '#SmallBusiness', platform: 'mastodon', isDefault: true });
    const web = await core.call('posts.createSignature', { workspaceId, name: 'web', content: 'kofi.example', isDefault: true });

    const list = await core.call('posts.signatures', { workspaceId });
    expect(list.map((s) => [s.name, s.platform, s.isDefault])).toEqual([
      ['Shop', null, false],
      ['web', null, true],
      ['Fedi', 'mastodon', true],
    ]);

    await core.call('posts.updateSignature', { signatureId: shop.id, isDefault: true });
    expect((await core.call('posts.signatures', { workspaceId })).filter((s) => s.isDefault).map((s) => s.id)).toEqual([shop.id, fedi.id]);
    // Moving web to Mastodon and making it the default there unseats Fedi, not Shop.
    expect(await core.call('posts.updateSignature', { signatureId: web.id, platform: 'mastodon', isDefault: true })).toMatchObject({ platform: 'mastodon', isDefault: true });
    expect((await core.call('posts.signatures', { workspaceId })).filter((s) => s.isDefault).map((s) => s.name)).toEqual(['Shop', 'web']);
  });

  it('given a signature called Shop, then another called "shop" is refused as a conflict, by create and by rename', async () => {
    const { core, workspaceId } = await setup();
    await core.call('posts.createSignature', { workspaceId, name: 'Shop', content: 'a' });
    const other = await core.call('posts.createSignature', { workspaceId, name: 'Other', content: 'b' });
    await expect(core.call('posts.createSignature', { workspaceId, name: 'shop', content: 'c' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('“Shop”') });
    await expect(core.call('posts.updateSignature', { signatureId: other.id, name: 'SHOP' })).rejects.toMatchObject({ code: 'conflict' });
    // Its own name in another case is fine.
    expect(await core.call('posts.updateSignature', { signatureId: other.id, name: 'OTHER' })).toMatchObject({ name: 'OTHER' });
  });

  it('given a deleted signature, then it leaves the list, its name can be used again (create or rename), and editing it says it is gone', async () => {
    const { core, workspaceId } = await setup();
    const old = await core.call('posts.createSignature', { workspaceId, name: 'Summer', content: 'See you on the terrace', isDefault: true });
    expect(await core.call('posts.deleteSignature', { signatureId: old.id })).toEqual({ deleted: true });
    expect(await core.call('posts.signatures', { workspaceId })).toEqual([]);
    await expect(core.call('posts.updateSignature', { signatureId: old.id, content: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    // The tombstone stays for sync.
    expect(core.ctx.db.sqlite.prepare('SELECT deleted_at IS NOT NULL AS gone, is_default FROM signatures WHERE id = ?').get(old.id)).toEqual({ gone: 1, is_default: 0 });

    const again = await core.call('posts.createSignature', { workspaceId, name: 'summer', content: 'Back on the terrace' });
    expect(again).toMatchObject({ id: old.id, name: 'summer', content: 'Back on the terrace', isDefault: false });
    await core.call('posts.deleteSignature', { signatureId: again.id });
    const winter = await core.call('posts.createSignature', { workspaceId, name: 'Winter', content: 'Soup season' });
    expect(await core.call('posts.updateSignature', { signatureId: winter.id, name: 'Summer' })).toMatchObject({ name: 'Summer' });
    expect((await core.call('posts.signatures', { workspaceId })).map((s) => s.name)).toEqual(['Summer']);
  });

  it('given an empty text, a long name or an unknown network, then the input is refused with the field named; another workspace sees none', async () => {
    const { core, workspaceId } = await setup();
    await expect(core.call('posts.createSignature', { workspaceId, name: 'Blank', content: '   ' })).rejects.toMatchObject({ code: 'invalid_input', issues: [expect.objectContaining({ path: ['content'] })] });
    await expect(core.call('posts.createSignature', { workspaceId, name: 'x'.repeat(61), content: 'a' })).rejects.toMatchObject({ code: 'invalid_input', issues: [expect.objectContaining({ path: ['name'] })] });
    // @ts-expect-error: not a network
    await expect(core.call('posts.createSignature', { workspaceId, name: 'Myspace', content: 'a', platform: 'myspace' })).rejects.toMatchObject({ code: 'invalid_input' });
    await core.call('posts.createSignature', { workspaceId, name: 'Ours', content: 'a' });
    const other = await core.call('workspaces.create', { name: 'Someone else', timezone: 'Europe/London' });
    expect(await core.call('posts.signatures', { workspaceId: other.id })).toEqual([]);
  });
});
