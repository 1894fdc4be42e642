// A signature in the composer: where it goes (main text and own versions, or one network's
// accounts), whether it still fits each network as that network counts it, taking it off again,
// and which signatures Compose offers for the chosen accounts.
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../renderer/pages/accounts/account-labels';
import { targetInfos } from '../../renderer/pages/compose/checks';
import { EMPTY_DRAFT, newTarget, type Draft } from '../../renderer/pages/compose/draft';
import { appendSignature, quickSignature, removeSignature, signaturePlan, signaturesFor, type Signature } from '../../renderer/pages/compose/signatures';

const NOW = Date.parse('2026-05-04T10:00:00Z');

function account(id: string, platform: AccountView['platform']): AccountView {
  return {
    id,
    workspaceId: 'ws',
    platform,
    platformAccountId: `did:${id}`,
    username: `${id}.example`,
    displayName: 'Kōfi & Crumb',
    profileUrl: null,
    avatarUrl: null,
    serverUrl: null,
    authKind: 'app_password',
    status: 'active',
    health: 'healthy',
    healthMessage: 'Connected and working.',
    scopes: [],
    tokenExpiresAt: null,
    connectedAt: NOW,
    lastRefreshedAt: null,
    lastError: null,
    pausedJobs: 0,
    defaults: { hashtags: [] },
    monitoring: { autoMonitorEnabled: true, autoMonitorCount: 5, monitoringDurationDays: 7, inherited: true },
  } as AccountView;
}

const BSKY = account('b1', 'bluesky');
const MASTO = account('m1', 'mastodon');
const ACCOUNTS = [BSKY, MASTO];
const SIG = '— Kōfi & Crumb, Leith 🥐';

const sig = (over: Partial<Signature>): Signature => ({ id: 's', name: 'Shop', content: SIG, platform: null, isDefault: false, updatedAt: 0, ...over });
const draftFor = (content: string, over: Partial<Draft> = {}): Draft => ({ ...EMPTY_DRAFT, content, targets: [newTarget('b1'), newTarget('m1')], ...over });
const infosOf = (d: Draft) => targetInfos(d, ACCOUNTS, null, NOW);

describe('signature text', () => {
  it('given text, then the signature goes on its own line after a blank one, once, and comes off cleanly', () => {
    expect(appendSignature('Fresh rye today.  \n', SIG)).toBe(`Fresh rye today.\n\n${SIG}`);
    expect(appendSignature(`Fresh rye today.\n\n${SIG}`, SIG)).toBe(`Fresh rye today.\n\n${SIG}`);
    expect(appendSignature('   ', SIG)).toBe(SIG);
    expect(removeSignature(`Fresh rye today.\n\n${SIG}\n`, SIG)).toBe('Fresh rye today.');
    expect(removeSignature('Fresh rye today.', SIG)).toBe('Fresh rye today.');
  });
});

describe('a signature for every network', () => {
  it('given one account with its own version, when added, then it ends the main text and that version, and each network counts it', () => {
    const d = draftFor('Fresh rye today.', { targets: [{ ...newTarget('b1'), content: 'Rye, for Bluesky.' }, newTarget('m1')], hashtags: ['#rye'] });
    const plan = signaturePlan(d, infosOf(d), sig({}));
    const after = plan.apply(d);
    expect(after.content).toBe(`Fresh rye today.\n\n${SIG}`);
    expect(after.targets.map((t) => t.content)).toEqual([`Rye, for Bluesky.\n\n${SIG}`, null]);
    expect(plan.present).toBe(false);
    expect(plan.tooLong).toEqual([]);
    // Bluesky counts graphemes (🥐 is one), with the hashtags publishing adds.
    const bsky = plan.fits.find((f) => f.accountId === 'b1')!;
    expect(bsky).toMatchObject({ network: 'Bluesky', limit: 300, over: false });
    expect(bsky.used).toBe([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(`Rye, for Bluesky.\n\n${SIG}\n\n#rye`)].length);

    const again = signaturePlan(after, infosOf(after), sig({}));
    expect(again.present).toBe(true);
    expect(again.remove(after)).toEqual(d);
  });

  it('given a text that fits Bluesky with 10 graphemes to spare, when the signature would add more, then it says Bluesky is too long, by how much', () => {
    const d = draftFor('🍞'.repeat(290));
    const plan = signaturePlan(d, infosOf(d), sig({}));
    expect(plan.tooLong).toEqual([`Bluesky (${290 + 2 + [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(SIG)].length} of 300)`]);
    expect(plan.fits.find((f) => f.accountId === 'm1')?.over).toBe(false);
  });

  it('given no account chosen yet, then it goes on the main text and nothing is counted', () => {
    const d = { ...EMPTY_DRAFT, content: 'Hello' };
    const plan = signaturePlan(d, [], sig({}));
    expect(plan.apply(d).content).toBe(`Hello\n\n${SIG}`);
    expect(plan.fits).toEqual([]);
  });
});

describe('a signature for one network', () => {
  it('given Mastodon’s signature, when added, then only the Mastodon account gets its own version ending with it, and taking it off gives the main text back', () => {
    const d = draftFor('Fresh rye today.');
    const masto = sig({ platform: 'mastodon', content: '#SmallBusiness on the fediverse' });
    const plan = signaturePlan(d, infosOf(d), masto);
    expect(plan.targets).toEqual(['m1']);
    const after = plan.apply(d);
    expect(after.content).toBe('Fresh rye today.');
    expect(after.targets.map((t) => t.content)).toEqual([null, 'Fresh rye today.\n\n#SmallBusiness on the fediverse']);
    expect(signaturePlan(after, infosOf(after), masto).present).toBe(true);
    expect(plan.remove(after)).toEqual(d);
  });
});

describe('which signatures Compose offers', () => {
  const all = [sig({ id: '1', name: 'Short', isDefault: true }), sig({ id: '2', name: 'Long' }), sig({ id: '3', name: 'Fedi', platform: 'mastodon', isDefault: true }), sig({ id: '4', name: 'Insta', platform: 'instagram' })];

  it('given Bluesky and Mastodon chosen, then every-network ones and Mastodon’s are offered, defaults first; Instagram’s is not', () => {
    const d = draftFor('x');
    expect(signaturesFor(all, infosOf(d)).map((s) => s.name)).toEqual(['Short', 'Fedi', 'Long']);
    expect(quickSignature(all, infosOf(d))?.name).toBe('Short');
  });

  it('given only Mastodon chosen and no every-network default, then the one-click signature is Mastodon’s default', () => {
    const d = { ...draftFor('x'), targets: [newTarget('m1')] };
    expect(quickSignature(all.filter((s) => s.id !== '1'), infosOf(d))?.name).toBe('Fedi');
    expect(quickSignature(all.filter((s) => s.id !== '1'), infosOf(draftFor('x')))).toBeNull();
  });
});
