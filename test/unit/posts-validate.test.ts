// Every rule the composer and the scheduler check before a post goes out, per platform, with the
// real CAPABILITIES (so a changed figure shows up here as a changed verdict).
import { describe, expect, it } from 'vitest';
import {
  hasErrors,
  validatePost,
  validateTarget,
  type Issue,
  type MediaCheck,
  type TargetCheck,
} from '../../electron/core/posts/validate';
import { CAPABILITIES, type SupportedPlatform } from '../../electron/platforms/capabilities';

const NOW = Date.UTC(2025, 2, 14, 9, 0, 0);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const MIB = 1024 * 1024;

function target(platform: SupportedPlatform, over: Partial<TargetCheck> = {}): TargetCheck {
  return {
    platform,
    capabilities: CAPABILITIES[platform],
    text: 'Our spring menu is here: wild garlic soup, rhubarb tart and a new oat flat white.',
    threadParts: [],
    firstComment: null,
    media: [],
    publishAt: null,
    nativeScheduling: false,
    ...over,
  };
}

function photo(over: Partial<MediaCheck> = {}): MediaCheck {
  return {
    kind: 'image',
    mimeType: 'image/jpeg',
    sizeBytes: 412_000,
    width: 1600,
    height: 1200,
    altText: 'A bowl of green wild garlic soup on a wooden table.',
    hasPublicUrl: false,
    ...over,
  };
}

function clip(over: Partial<MediaCheck> = {}): MediaCheck {
  return { kind: 'video', mimeType: 'video/mp4', sizeBytes: 24 * MIB, width: 1080, height: 1920, durationMs: 28_000, altText: null, hasPublicUrl: false, ...over };
}

function codes(issues: readonly Issue[]): string[] {
  return issues.map((i) => i.code);
}

describe('validateTarget: text', () => {
  it('given a plain post within every limit, when validated on each platform, then there is nothing to fix', () => {
    for (const p of ['bluesky', 'mastodon', 'x', 'facebook', 'linkedin'] as const) {
      expect(validateTarget(target(p), NOW), p).toEqual([]);
    }
  });

  it('given no text and no media, when validated, then it asks for something to post', () => {
    expect(validateTarget(target('bluesky', { text: '  \n ' }), NOW)).toEqual([
      { severity: 'error', field: 'text', code: 'text_empty', message: 'Write something or add a photo or video.' },
    ]);
  });

  it('given no text but a photo, when validated, then an image-only post is fine', () => {
    expect(codes(validateTarget(target('mastodon', { text: '', media: [photo()] }), NOW))).toEqual([]);
  });

  it("given 307 characters for X, when validated, then it says how far over X's limit it is", () => {
    const text = 'Big news for coffee lovers in Leeds! '.repeat(8) + 'x'.repeat(11);
    expect(text.length).toBe(307);
    expect(validateTarget(target('x', { text }), NOW)).toEqual([
      { severity: 'error', field: 'text', code: 'text_too_long', message: "27 characters over X's limit of 280." },
    ]);
  });

  it('given 141 Japanese characters for X, when validated, then CJK weighing makes it 2 over', () => {
    const text = '春の新メニューが登場しました。'.repeat(9) + '本日から発売';
    expect(validateTarget(target('x', { text }), NOW).map((i) => i.message)).toEqual(["2 characters over X's limit of 280."]);
  });

  it('given a post one grapheme over on Bluesky, when validated, then the count is singular', () => {
    const text = `${'a'.repeat(300)}🌷`;
    expect(validateTarget(target('bluesky', { text }), NOW)[0]?.message).toBe("1 character over Bluesky's limit of 300.");
  });

  it('given 150 family emoji on Bluesky, when validated, then the byte cap is what it breaks', () => {
    const text = '👨\u200D👩\u200D👧\u200D👦'.repeat(150);
    expect(validateTarget(target('bluesky', { text }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'text',
        code: 'text_too_many_bytes',
        message: "750 bytes over Bluesky's limit of 3,000 bytes (emoji and non-Latin letters take several bytes each).",
      },
    ]);
  });

  it('given a Mastodon instance that allows 1,000 characters, when validated with its limits, then 600 characters pass', () => {
    const caps = { ...CAPABILITIES.mastodon, text: { ...CAPABILITIES.mastodon.text, limit: { value: 1000, verified: true } } };
    const text = 'Slow Sunday at the roastery. '.repeat(20) + 'x'.repeat(20);
    expect(codes(validateTarget(target('mastodon', { text }), NOW))).toEqual(['text_too_long']);
    expect(validateTarget(target('mastodon', { text, capabilities: caps }), NOW)).toEqual([]);
  });

  it('given a 63,207-character Facebook post, when validated, then the UTF-16 limit is named with a thousands separator', () => {
    expect(validateTarget(target('facebook', { text: 'a'.repeat(63_207) }), NOW)[0]?.message).toBe("1 character over Facebook's limit of 63,206.");
  });
});

describe('validateTarget: threads', () => {
  it('given a thread for Facebook, when validated, then it says Facebook has no threads and how many parts to move', () => {
    expect(validateTarget(target('facebook', { threadParts: ['Part two.', 'Part three.', ' '] }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'thread',
        code: 'thread_unsupported',
        message: "Facebook doesn't do threads. Move the 2 extra parts into the post or remove them.",
      },
    ]);
  });

  it('given a thread on X with one part too long and one empty, when validated, then each is reported at its index', () => {
    const long = 'Step 3: dial in the grind so a 36 g shot takes 28 seconds. '.repeat(5);
    const issues = validateTarget(target('x', { threadParts: ['Step 2: weigh 18 g of beans.', '', long] }), NOW);
    expect(issues).toEqual([
      { severity: 'warning', field: 'thread', index: 1, code: 'thread_part_empty', message: 'Thread post 3 is empty and will be left out.' },
      { severity: 'error', field: 'thread', index: 2, code: 'thread_part_too_long', message: "Thread post 4 is 15 characters over X's limit of 280." },
    ]);
  });

  it('given a thread part full of emoji on Bluesky, when validated, then its byte overflow is reported for that part', () => {
    const technologists = '👩\u200D💻'.repeat(280); // 280 graphemes of 11 bytes each
    const issues = validateTarget(target('bluesky', { threadParts: [technologists] }), NOW);
    expect(codes(issues)).toEqual(['thread_part_too_many_bytes']);
    expect(issues[0]?.index).toBe(0);
    expect(issues[0]?.message).toMatch(/^Thread post 2 is 80 bytes over Bluesky's limit of 3,000 bytes/);
  });

  it('given a thread Mastodon is asked to hold, when validated, then it refuses because replies need a published parent', () => {
    const issues = validateTarget(target('mastodon', { threadParts: ['More soon.'], nativeScheduling: true, publishAt: NOW + DAY }), NOW);
    expect(codes(issues)).toEqual(['thread_native_schedule']);
  });
});

describe('validateTarget: first comment', () => {
  it('given a first comment for X, when validated, then it suggests a thread instead', () => {
    expect(validateTarget(target('x', { firstComment: 'Link in the next post!' }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'firstComment',
        code: 'first_comment_unsupported',
        message: 'X has no first comment. Add it as the next post of a thread instead.',
      },
    ]);
  });

  it('given a blank first comment, when validated, then it is treated as none', () => {
    expect(validateTarget(target('bluesky', { firstComment: '   ' }), NOW)).toEqual([]);
  });

  it('given a 2,201-character first comment on Instagram, when validated, then the comment is over the caption limit', () => {
    const issues = validateTarget(target('instagram', { media: [photo({ hasPublicUrl: true })], firstComment: '#'.repeat(2201) }), NOW);
    expect(issues).toContainEqual({
      severity: 'error',
      field: 'firstComment',
      code: 'first_comment_too_long',
      message: "The first comment is 1 character over Instagram's limit of 2,200.",
    });
  });

  it('given a first comment on a post Facebook holds for later, when validated, then it says nobody can add the comment', () => {
    const issues = validateTarget(target('facebook', { firstComment: 'Book at the link.', nativeScheduling: true, publishAt: NOW + DAY }), NOW);
    expect(codes(issues)).toEqual(['first_comment_native_schedule']);
  });

  it('given a first comment on LinkedIn published by Postdesk, when validated, then it is fine', () => {
    expect(validateTarget(target('linkedin', { firstComment: 'Full recipe: https://example.com/soup' }), NOW)).toEqual([]);
  });
});

describe('validateTarget: media', () => {
  it('given Instagram with no media, when validated, then it asks for a photo (not for text)', () => {
    expect(validateTarget(target('instagram', { text: '' }), NOW)).toEqual([
      { severity: 'error', field: 'media', code: 'media_required', message: 'Instagram needs at least one photo or video.' },
    ]);
  });

  it('given a photo only on this computer for Instagram, when validated, then it explains Instagram fetches from a public address', () => {
    expect(validateTarget(target('instagram', { media: [photo()] }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'media',
        index: 0,
        code: 'media_needs_public_url',
        message: 'Instagram fetches media from a public web address; this image is only on your computer.',
      },
    ]);
  });

  it('given a PNG for Instagram, when validated, then it asks for JPEG', () => {
    const issues = validateTarget(target('instagram', { media: [photo({ mimeType: 'image/png', hasPublicUrl: true })] }), NOW);
    expect(issues).toEqual([
      { severity: 'error', field: 'media', index: 0, code: 'media_type_unsupported', message: 'Instagram takes images only as JPEG; this one is PNG.' },
    ]);
  });

  it('given a carousel of public images and a video for Instagram, when validated, then mixing is allowed', () => {
    const media = [photo({ hasPublicUrl: true }), photo({ hasPublicUrl: true }), clip({ hasPublicUrl: true })];
    expect(validateTarget(target('instagram', { media }), NOW)).toEqual([]);
  });

  it('given five photos for X, when validated, then it names the cap and the count', () => {
    const issues = validateTarget(target('x', { media: Array.from({ length: 5 }, () => photo()) }), NOW);
    expect(issues).toEqual([{ severity: 'error', field: 'media', code: 'media_too_many', message: 'X takes up to 4 attachments; this post has 5.' }]);
  });

  it('given two videos for X, when validated, then it says one video or GIF per post', () => {
    expect(validateTarget(target('x', { media: [clip(), clip()] }), NOW).map((i) => i.message)).toEqual(['X takes one video or GIF per post.']);
  });

  it('given a photo and a GIF for X, when validated, then it refuses the mix', () => {
    const gif = photo({ kind: 'gif', mimeType: 'image/gif', altText: 'Latte art being poured.' });
    expect(validateTarget(target('x', { media: [photo(), gif] }), NOW)).toEqual([
      { severity: 'error', field: 'media', code: 'media_mixed_kinds', message: "X can't mix images and GIFs in one post." },
    ]);
  });

  it('given a GIF and a video for Mastodon, when validated, then both the video cap and the mix are reported', () => {
    const gif = photo({ kind: 'gif', mimeType: 'image/gif' });
    expect(codes(validateTarget(target('mastodon', { media: [gif, clip({ altText: 'Pouring.' })] }), NOW))).toEqual([
      'media_too_many_videos',
      'media_mixed_kinds',
    ]);
  });

  it('given a GIF for Bluesky and an audio file for LinkedIn, when validated, then each kind is refused by name', () => {
    expect(validateTarget(target('bluesky', { media: [photo({ kind: 'gif', mimeType: 'image/gif' })] }), NOW)).toEqual([
      { severity: 'error', field: 'media', index: 0, code: 'media_kind_unsupported', message: "Bluesky doesn't take GIFs." },
    ]);
    const audio: MediaCheck = { kind: 'audio', mimeType: 'audio/mpeg', sizeBytes: 3 * MIB, altText: null, hasPublicUrl: false };
    expect(validateTarget(target('linkedin', { media: [audio] }), NOW).map((i) => i.message)).toEqual(["LinkedIn doesn't take audio files."]);
  });

  it('given a WebP on X and a HEIC on X, when validated, then only the HEIC is refused', () => {
    expect(validateTarget(target('x', { media: [photo({ mimeType: 'image/webp' })] }), NOW)).toEqual([]);
    expect(validateTarget(target('x', { media: [photo({ mimeType: 'image/heic' })] }), NOW).map((i) => i.message)).toEqual([
      'X takes images only as JPEG, PNG, WEBP; this one is HEIC.',
    ]);
  });

  it('given a 1.2 MB photo for Bluesky, when validated, then it compares in the unit of the 1,000,000-byte cap', () => {
    expect(validateTarget(target('bluesky', { media: [photo({ sizeBytes: 1_200_000 })] }), NOW)).toEqual([
      { severity: 'error', field: 'media', index: 0, code: 'media_image_too_large', message: 'This image is 1.2 MB; Bluesky takes up to 1 MB.' },
    ]);
  });

  it('given a 6 MiB photo and a 600 MiB video for X, when validated, then each size error names X’s cap', () => {
    expect(validateTarget(target('x', { media: [photo({ sizeBytes: 6 * MIB })] }), NOW).map((i) => i.message)).toEqual([
      'This image is 6 MB; X takes up to 5 MB.',
    ]);
    expect(validateTarget(target('x', { media: [clip({ sizeBytes: 600 * MIB })] }), NOW)).toEqual([
      { severity: 'error', field: 'media', index: 0, code: 'media_video_too_large', message: 'This video is 600 MB; X takes up to 512 MB.' },
    ]);
  });

  it('given sizes nobody knows (unknown file size, or a Mastodon server that sets its own), when validated, then size is not judged', () => {
    expect(validateTarget(target('bluesky', { media: [photo({ sizeBytes: null })] }), NOW)).toEqual([]);
    expect(validateTarget(target('mastodon', { media: [photo({ sizeBytes: 40 * MIB })] }), NOW)).toEqual([]);
  });

  it('given a 10 MB GIF for X, when validated, then it is not held to the 5 MB image cap', () => {
    const gif = photo({ kind: 'gif', mimeType: 'image/gif', sizeBytes: 10 * MIB, altText: 'Steam rising from a cup.' });
    expect(validateTarget(target('x', { media: [gif] }), NOW)).toEqual([]);
  });

  it('given a photo with no alt text on Bluesky, when validated, then it is a warning, not a blocker', () => {
    const issues = validateTarget(target('bluesky', { media: [photo({ altText: null })] }), NOW);
    expect(issues).toEqual([
      {
        severity: 'warning',
        field: 'media',
        index: 0,
        code: 'media_alt_missing',
        message: 'This image has no alt text. Describe it for people who use screen readers.',
      },
    ]);
    expect(hasErrors(issues)).toBe(false);
  });

  it("given alt text of 420 and 421 characters on X, when validated, then only the longer one is over X's limit", () => {
    expect(validateTarget(target('x', { media: [photo({ altText: 'a'.repeat(420) })] }), NOW)).toEqual([]);
    expect(validateTarget(target('x', { media: [photo({ altText: 'a'.repeat(421) })] }), NOW)).toEqual([
      { severity: 'error', field: 'media', index: 0, code: 'media_alt_too_long', message: "Alt text is 1 character over X's limit of 420." },
    ]);
  });

  it('given alt text with emoji on Mastodon, when validated, then it is measured in code points like the server', () => {
    const altText = `${'Barista pouring a rosetta '.repeat(57)}☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕☕`;
    expect([...altText].length).toBe(57 * 26 + 100);
    expect(validateTarget(target('mastodon', { media: [photo({ altText })] }), NOW).map((i) => i.message)).toEqual([
      "Alt text is 82 characters over Mastodon's limit of 1,500.",
    ]);
  });

  it("given alt text on a video for X, when validated, then it warns the text won't be sent", () => {
    expect(validateTarget(target('x', { media: [clip({ altText: 'Pouring a flat white.' })] }), NOW)).toEqual([
      { severity: 'warning', field: 'media', index: 0, code: 'media_alt_ignored', message: "X doesn't keep alt text on videos; it won't be sent." },
    ]);
  });
});

describe('validateTarget: schedule', () => {
  it('given a time that has passed, when validated, then it warns that it will publish right away', () => {
    expect(validateTarget(target('bluesky', { publishAt: NOW - MINUTE }), NOW)).toEqual([
      { severity: 'warning', field: 'schedule', code: 'schedule_in_past', message: 'That time has passed, so it will publish right away.' },
    ]);
    expect(validateTarget(target('bluesky', { publishAt: NOW + MINUTE }), NOW)).toEqual([]);
  });

  it("given native scheduling on X, when validated, then it says X can't hold posts", () => {
    expect(validateTarget(target('x', { nativeScheduling: true, publishAt: NOW + DAY }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'schedule',
        code: 'schedule_native_unsupported',
        message: "X can't hold posts for later. Let Postdesk publish it at that time instead.",
      },
    ]);
  });

  it('given native scheduling on Mastodon without a time, when validated, then it asks for one', () => {
    expect(codes(validateTarget(target('mastodon', { nativeScheduling: true }), NOW))).toEqual(['schedule_native_needs_time']);
  });

  it('given Mastodon asked to hold a post 4 and 6 minutes ahead, when validated, then only 4 minutes is too soon', () => {
    expect(validateTarget(target('mastodon', { nativeScheduling: true, publishAt: NOW + 4 * MINUTE }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'schedule',
        code: 'schedule_native_too_soon',
        message: 'Mastodon holds a post only when it is scheduled at least 5 minutes ahead. Pick a later time or let Postdesk publish it.',
      },
    ]);
    expect(validateTarget(target('mastodon', { nativeScheduling: true, publishAt: NOW + 6 * MINUTE }), NOW)).toEqual([]);
  });

  it('given Mastodon asked to hold a post whose time has passed, when validated, then it is too soon (not "will publish now")', () => {
    expect(codes(validateTarget(target('mastodon', { nativeScheduling: true, publishAt: NOW - MINUTE }), NOW))).toEqual(['schedule_native_too_soon']);
  });

  it('given Facebook asked to hold a post 31 and 29 days ahead, when validated, then only 31 days is too far', () => {
    expect(validateTarget(target('facebook', { nativeScheduling: true, publishAt: NOW + 31 * DAY }), NOW)).toEqual([
      {
        severity: 'error',
        field: 'schedule',
        code: 'schedule_native_too_far',
        message: 'Facebook holds posts at most 30 days ahead. Pick an earlier time or let Postdesk publish it.',
      },
    ]);
    expect(validateTarget(target('facebook', { nativeScheduling: true, publishAt: NOW + 29 * DAY }), NOW)).toEqual([]);
  });
});

describe('validatePost', () => {
  it('given three targets with problems on two, when validated, then issues are grouped by target id and counted', () => {
    const result = validatePost(
      [
        { id: 'tgt-bsky', ...target('bluesky', { media: [photo({ altText: null })] }) },
        { id: 'tgt-x', ...target('x', { text: 'Big news! '.repeat(30), publishAt: NOW - MINUTE }) },
        { id: 'tgt-li', ...target('linkedin') },
      ],
      NOW,
    );
    expect(result.ok).toBe(false);
    expect(result.errorCount).toBe(1);
    expect(result.warningCount).toBe(2);
    expect(Object.keys(result.byTarget)).toEqual(['tgt-bsky', 'tgt-x', 'tgt-li']);
    expect(codes(result.byTarget['tgt-bsky'] ?? [])).toEqual(['media_alt_missing']);
    expect(codes(result.byTarget['tgt-x'] ?? [])).toEqual(['text_too_long', 'schedule_in_past']);
    expect(result.byTarget['tgt-li']).toEqual([]);
  });

  it('given targets with warnings only, when validated, then the post is ok to schedule', () => {
    const result = validatePost([{ id: 'a', ...target('mastodon', { media: [photo({ altText: '' })] }) }], NOW);
    expect(result).toEqual({ ok: true, errorCount: 0, warningCount: 1, byTarget: { a: [expect.objectContaining({ code: 'media_alt_missing' })] } });
  });

  it('given no targets, when validated, then it is trivially ok with nothing grouped', () => {
    expect(validatePost([], NOW)).toEqual({ ok: true, errorCount: 0, warningCount: 0, byTarget: {} });
  });
});
