// The composer's draft and what it shows about it: the round trip to the API, when autosave has
// nothing to do, which actions a post's status allows, each account's count and objections (the
// core's own counting and validation), the preview's highlighting, and the drafts list's lines.
import { describe, expect, it } from 'vitest';
import { withHashtags as coreWithHashtags } from '../../electron/core/posts/publish';
import type { AccountView } from '../../renderer/pages/accounts/account-labels';
import { countTone, countWords, sentText, targetInfos } from '../../renderer/pages/compose/checks';
import { createInput, draftFromPost, EMPTY_DRAFT, isBlank, move, newTarget, postActions, sameDraft, updateInput, type Draft, type PostView } from '../../renderer/pages/compose/draft';
import { legacyKey, moveLegacyGroups, parseGroups, type LegacyStore } from '../../renderer/pages/compose/hashtag-groups';
import { splitPostHashtags } from '../../renderer/pages/compose/HashtagField';
import { postIdFrom, composePath } from '../../renderer/pages/compose/paths';
import { fillTemplate, insertTemplate, placeholderLabel, profileValues, unfilled } from '../../renderer/pages/compose/templates';
import { textParts, withHashtags } from '../../renderer/pages/compose/text-parts';
import { networksOf, snippet } from '../../renderer/pages/posts/post-list';

const NOW = Date.parse('2026-05-04T10:00:00Z');

function account(over: Partial<AccountView> & Pick<AccountView, 'id' | 'platform'>): AccountView {
  return {
    workspaceId: 'ws',
    platformAccountId: `did:${over.id}`,
    username: `${over.id}.example`,
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
    ...over,
  } as AccountView;
}

const BSKY = account({ id: 'b1', platform: 'bluesky' });
const MASTO = account({ id: 'm1', platform: 'mastodon' });
const IG = account({ id: 'i1', platform: 'instagram' });

function post(over: Partial<PostView> = {}): PostView {
  return {
    id: '0190aaaa-0000-7000-8000-000000000001',
    workspaceId: 'ws',
    content: 'Fresh sourdough at 7',
    status: 'draft',
    source: 'manual',
    publishAt: null,
    timezone: null,
    rrule: null,
    missedRunPolicy: 'publish_late',
    requiresApproval: false,
    approvedAt: null,
    rejectionNote: null,
    hashtags: ['#bread'],
    templateId: null,
    campaignId: null,
    publishedAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    targets: [
      {
        id: 't1',
        accountId: 'b1',
        platform: 'bluesky',
        accountName: 'b1.example',
        accountStatus: 'active',
        content: null,
        text: 'Fresh sourdough at 7',
        status: 'pending',
        publishAt: null,
        platformPostId: null,
        platformUrl: null,
        publishedAt: null,
        errorMessage: null,
        nativeScheduling: false,
        firstComment: null,
        threadParts: ['And croissants.'],
      },
    ],
    media: [
      {
        mediaId: 'm-1',
        position: 0,
        kind: 'image',
        mimeType: 'image/png',
        filename: 'loaf.png',
        sizeBytes: 2048,
        width: 4,
        height: 3,
        durationMs: null,
        altText: null,
        url: '/media/m-1',
        publicUrl: null,
      },
    ],
    ...over,
  };
}

describe('the draft and the API', () => {
  it('given a saved post, when it is opened and saved unchanged, then autosave sees nothing to do', () => {
    const d = draftFromPost(post());
    expect(d).toMatchObject({ content: 'Fresh sourdough at 7', hashtags: ['#bread'], media: [{ mediaId: 'm-1', altText: '', url: '/media/m-1' }] });
    expect(sameDraft(d, draftFromPost(post()))).toBe(true);
    expect(updateInput('p1', d)).toEqual({
      postId: 'p1',
      content: 'Fresh sourdough at 7',
      hashtags: ['#bread'],
      targets: [{ accountId: 'b1', content: null, threadParts: ['And croissants.'], firstComment: null, nativeScheduling: false }],
      media: [{ mediaId: 'm-1', altText: null }],
      requiresApproval: false,
      templateId: null,
    });
  });

  it('given changes the engine would store the same (an empty variant, a blank thread part), then they are not a change', () => {
    const d = draftFromPost(post());
    const opened: Draft = { ...d, targets: d.targets.map((t) => ({ ...t, content: '   ', threadParts: [...t.threadParts, ''] })) };
    expect(sameDraft(d, opened)).toBe(true);
    expect(sameDraft(d, { ...d, content: `${d.content}!` })).toBe(false);
    expect(sameDraft(d, { ...d, media: d.media.map((m) => ({ ...m, altText: 'A loaf' })) })).toBe(false);
  });

  it('given an untouched composer, then it is blank and nothing is created; one account chosen is worth keeping', () => {
    expect(isBlank(EMPTY_DRAFT)).toBe(true);
    expect(isBlank({ ...EMPTY_DRAFT, content: '  \n' })).toBe(true);
    expect(isBlank({ ...EMPTY_DRAFT, targets: [newTarget('b1')] })).toBe(false);
    expect(createInput('ws', { ...EMPTY_DRAFT, content: 'Hi' })).toMatchObject({ workspaceId: 'ws', content: 'Hi', targets: [], media: [] });
  });

  it('moves media within bounds only', () => {
    expect(move(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
  });
});

describe('what a post’s status allows', () => {
  it('given a draft, then it can be edited and scheduled', () => {
    expect(postActions(null, false)).toMatchObject({ editable: true, canSchedule: true, canSubmit: false, canUnschedule: false });
  });

  it('given a draft that needs approval, then it is submitted first, not scheduled', () => {
    expect(postActions(post(), true)).toMatchObject({ editable: true, canSchedule: false, needsApproval: true, canSubmit: true });
  });

  it('given a post waiting for approval, then it can be approved, withdrawn, and an edit would reset it', () => {
    expect(postActions(post({ status: 'pending_approval', requiresApproval: true }), true)).toMatchObject({ canApprove: true, canWithdraw: true, canSchedule: false, editResetsApproval: true });
  });

  it('given an approved post, then it can be scheduled', () => {
    expect(postActions(post({ status: 'approved', requiresApproval: true, approvedAt: NOW }), true)).toMatchObject({ canSchedule: true, needsApproval: false, canSubmit: false });
  });

  it('given a scheduled post, then it is read-only until unscheduled; a published one stays read-only', () => {
    expect(postActions(post({ status: 'scheduled' }), false)).toMatchObject({ editable: false, canSchedule: false, canUnschedule: true });
    expect(postActions(post({ status: 'published' }), false)).toMatchObject({ editable: false, canSchedule: false, canUnschedule: false });
    expect(postActions(post({ status: 'failed' }), false)).toMatchObject({ editable: true, canSchedule: true, canUnschedule: true });
  });
});

describe('each account’s count and objections', () => {
  it('given hashtags, then the text counted is the text publishing sends (same rule as the core)', () => {
    for (const [text, tags] of [
      ['Fresh bread', ['#bread', '#Sourdough']],
      ['Fresh #Bread today', ['#bread', '#rye']],
      ['', ['#bread']],
      ['Nothing to add', []],
    ] as const) {
      expect(withHashtags(text, tags)).toBe(coreWithHashtags(text, tags));
    }
    expect(sentText({ content: 'Main', hashtags: ['#a'] }, { content: 'Own' })).toBe('Own\n\n#a');
    expect(sentText({ content: 'Main', hashtags: [] }, { content: '  ' })).toBe('Main');
  });

  it('given emoji and a long link, then Bluesky counts graphemes and Mastodon counts the link as 23', () => {
    const url = `https://example.com/${'x'.repeat(60)}`;
    const d: Draft = { ...EMPTY_DRAFT, content: `👩‍👩‍👧 ${url}`, targets: [newTarget('b1'), newTarget('m1')] };
    const [b, m] = targetInfos(d, [BSKY, MASTO], null, NOW);
    expect(b!.count).toMatchObject({ used: 2 + url.length, limit: 300 });
    expect(m!.count).toMatchObject({ used: 2 + 23, limit: 500 });
  });

  it('given a text over Bluesky’s limit, then its counter is red and the objection names the overrun; Mastodon is fine', () => {
    const d: Draft = { ...EMPTY_DRAFT, content: 'a'.repeat(310), targets: [newTarget('b1'), newTarget('m1')] };
    const [b, m] = targetInfos(d, [BSKY, MASTO], null, NOW);
    expect(b!.count!.over).toBe(true);
    expect(countTone(b!.count!)).toBe('over');
    expect(countWords(b!.count!)).toBe('10 over');
    expect(b!.issues).toEqual([expect.objectContaining({ severity: 'error', code: 'text_too_long', message: "10 characters over Bluesky's limit of 300." })]);
    expect(m!.issues).toEqual([]);
    expect(countTone(m!.count!)).toBe('ok');
  });

  it('given a variant for one network, then only that network counts it', () => {
    const d: Draft = { ...EMPTY_DRAFT, content: 'a'.repeat(310), targets: [{ ...newTarget('b1'), content: 'Short for Bluesky' }, newTarget('m1')] };
    const [b, m] = targetInfos(d, [BSKY, MASTO], null, NOW);
    expect(b!.count!.used).toBe('Short for Bluesky'.length);
    expect(m!.count!.used).toBe(310);
  });

  it('given a picture without alt text and Instagram without one, then the objections say what to add', () => {
    const media = draftFromPost(post()).media;
    const d: Draft = { ...EMPTY_DRAFT, content: 'Hi', media, targets: [newTarget('b1'), newTarget('i1')] };
    const [b, i] = targetInfos(d, [BSKY, IG], null, NOW);
    expect(b!.issues.map((x) => x.code)).toEqual(['media_alt_missing']);
    expect(i!.issues.some((x) => x.code === 'media_needs_public_url')).toBe(true);
    const none = targetInfos({ ...d, media: [] }, [BSKY, IG], null, NOW);
    expect(none[1]!.issues.map((x) => x.code)).toEqual(['media_required']);
  });

  it('given Mastodon asked to hold the post for 2 minutes from now, then it says it needs more lead time', () => {
    const d: Draft = { ...EMPTY_DRAFT, content: 'Hi', targets: [{ ...newTarget('m1'), nativeScheduling: true }] };
    const [m] = targetInfos(d, [MASTO], NOW + 120_000, NOW);
    expect(m!.issues.map((x) => x.code)).toEqual(['schedule_native_too_soon']);
    expect(targetInfos(d, [MASTO], NOW + 3_600_000, NOW)[0]!.issues).toEqual([]);
  });

  it('given an account no longer in the list, then it is left out rather than counted against nothing', () => {
    expect(targetInfos({ ...EMPTY_DRAFT, targets: [newTarget('gone')] }, [BSKY], null, NOW)).toEqual([]);
  });
});

describe('the preview’s highlighting', () => {
  it('given links, hashtags and mentions, then each is its own part and the rest is plain text', () => {
    expect(textParts('Open at 7! #bread @kofi.bsky.social see https://kofi.example/menu.\nThanks @ana@mastodon.social')).toEqual([
      { kind: 'text', text: 'Open at 7! ' },
      { kind: 'hashtag', text: '#bread' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '@kofi.bsky.social' },
      { kind: 'text', text: ' see ' },
      { kind: 'link', text: 'https://kofi.example/menu' },
      { kind: 'text', text: '.\nThanks ' },
      { kind: 'mention', text: '@ana@mastodon.social' },
    ]);
  });

  it('given an e-mail address, a number sign and a bare domain, then only X links the bare domain', () => {
    expect(textParts('mail hi@kofi.example, table #4, kofi.com').map((p) => p.kind)).toEqual(['text']);
    expect(textParts('see kofi.com', { bareDomains: true })).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'kofi.com' },
    ]);
  });
});

describe('hashtags', () => {
  it('given typed or pasted tags, then they become #tags the engine accepts', () => {
    expect(splitPostHashtags('#Bread, sourdough ##rye bad-tag')).toEqual(['#Bread', '#sourdough', '#rye']);
  });

  it('given groups an older version kept in localStorage, then a damaged entry is dropped and the rest are read newest first', () => {
    expect(parseGroups('not json')).toEqual([]);
    expect(parseGroups(JSON.stringify([{ name: 'Bakery', tags: ['#bread', 'nohash'] }, { name: 3 }, { name: 'Empty', tags: [] }]))).toEqual([{ name: 'Bakery', tags: ['#bread'] }]);
  });

  function memoryStore(initial: Record<string, string>, importGroups: LegacyStore['importGroups']): LegacyStore & { data: Record<string, string> } {
    const data = { ...initial };
    return {
      data,
      read: (k) => data[k] ?? null,
      write: (k, v) => {
        if (v === null) delete data[k];
        else data[k] = v;
      },
      importGroups,
    };
  }

  it('given localStorage groups, when moved, then the workspace imports them (as hashtags) and only then they are cleared here', async () => {
    const sent: unknown[] = [];
    const store = memoryStore({ [legacyKey('ws')]: JSON.stringify([{ name: 'Coffee', tags: ['#flatwhite'] }, { name: 'Bakery', tags: ['#bread', '#rye'] }]), [legacyKey('other')]: '[]' }, async (ws, groups) => {
      sent.push({ ws, groups });
      return { imported: groups.length, skipped: 0 };
    });
    expect(await moveLegacyGroups('ws', store)).toEqual({ imported: 2, skipped: 0 });
    expect(sent).toEqual([{ ws: 'ws', groups: [{ name: 'Coffee', hashtags: ['#flatwhite'] }, { name: 'Bakery', hashtags: ['#bread', '#rye'] }] }]);
    expect(Object.keys(store.data)).toEqual([legacyKey('other')]);
    // Nothing left: nothing is sent again.
    expect(await moveLegacyGroups('ws', store)).toBeNull();
    expect(sent).toHaveLength(1);
  });

  it('given the import fails, then the groups stay in localStorage for the next try', async () => {
    const raw = JSON.stringify([{ name: 'Bakery', tags: ['#bread'] }]);
    const store = memoryStore({ [legacyKey('ws')]: raw }, () => Promise.reject(new Error('The app is locked')));
    await expect(moveLegacyGroups('ws', store)).rejects.toThrow('The app is locked');
    expect(store.data[legacyKey('ws')]).toBe(raw);
  });
});

describe('templates', () => {
  const offer = '{offer} at {business_name} — {details}. Valid until {end_date}. {call_to_action}';

  it('given the brand profile, then its name and type fill their placeholders and the rest stay for the user', () => {
    const auto = profileValues({ name: 'Kōfi & Crumb', businessType: 'Bakery', website: null });
    expect(auto).toEqual({ business_name: 'Kōfi & Crumb', business_type: 'bakery' });
    expect(profileValues({ name: 'X', businessType: 'other', website: 'https://x.example' })).toEqual({ business_name: 'X', website: 'https://x.example' });
    const text = fillTemplate(offer, { ...auto, offer: '2 for 1 croissants', details: '  ' });
    expect(text).toBe('2 for 1 croissants at Kōfi & Crumb — {details}. Valid until {end_date}. {call_to_action}');
    expect(unfilled(text)).toEqual(['{details}', '{end_date}', '{call_to_action}']);
    expect(unfilled('All filled in.')).toEqual([]);
    expect(placeholderLabel('call_to_action')).toBe('Call to action');
  });

  it('given text already written, then a template replaces it or goes below it', () => {
    expect(insertTemplate('', 'T', 'append')).toBe('T');
    expect(insertTemplate('Mine  \n', 'T', 'append')).toBe('Mine\n\nT');
    expect(insertTemplate('Mine', 'T', 'replace')).toBe('T');
  });
});

describe('links to a post and the drafts list', () => {
  it('given a post id, then Compose opens it from either URL form; garbage is ignored', () => {
    const id = '0190aaaa-0000-7000-8000-000000000001';
    expect(composePath(id)).toBe(`/compose/${id}`);
    expect(postIdFrom({}, new URLSearchParams(`post=${id}`))).toBe(id);
    expect(postIdFrom({ postId: id }, new URLSearchParams())).toBe(id);
    expect(postIdFrom({}, new URLSearchParams('post=../../etc'))).toBeNull();
  });

  it('given long or empty text, then a draft reads as one short line', () => {
    expect(snippet('')).toBe('(no text yet)');
    expect(snippet('First line\nsecond line')).toBe('First line');
    expect(snippet('word '.repeat(40), 30)).toBe('word word word word word word…');
    expect(networksOf({ targets: [{ platform: 'bluesky' }, { platform: 'mastodon' }, { platform: 'bluesky' }] as PostView['targets'] })).toEqual(['bluesky', 'mastodon']);
  });
});
