// What each network accepts, as constants the composer and the connectors check before sending.
// Figures come from docs/PLATFORMS.md, which names the source of each; `verified: false` marks a
// figure we could not confirm in the platform's own documentation (treat it as a default to be
// overridden by what the server reports, e.g. Mastodon's /api/v2/instance).
import type { Platform } from '../../db/schema/enums';
import type { MediaKind } from './connector';

/** How the platform counts the text limit. */
export type TextCounting =
  /** Extended grapheme clusters (Bluesky: 300 graphemes, also at most 3000 UTF-8 bytes). */
  | 'graphemes'
  /** Grapheme clusters, every URL counted as a fixed length and `@user@domain` as `@user` (Mastodon: 23). */
  | 'graphemes_urls_fixed'
  /** twitter-text weighting: most CJK and emoji count 2, URLs 23. */
  | 'weighted_twitter'
  /** UTF-16 code units (what a plain JS length gives): Graph API, LinkedIn. */
  | 'utf16';

export interface Figure<T> {
  value: T;
  /** false when only third-party sources or nothing confirmed it. */
  verified: boolean;
}

export interface MediaLimits {
  kinds: readonly MediaKind[];
  /** Most attachments in one post (images); video is usually alone. */
  maxItems: number;
  maxVideos: number;
  /** Per item, bytes; null when the platform reports it per server. */
  maxImageBytes: Figure<number | null>;
  maxVideoBytes: Figure<number | null>;
  /** Whether images and video can share a post. */
  mixKinds: boolean;
  /** Must media be at a public URL the platform fetches (Instagram), instead of uploaded bytes? */
  requiresPublicUrl: boolean;
}

export interface SchedulingWindow {
  /** The platform holds the post itself (so a sleeping laptop doesn't matter). */
  native: boolean;
  minLeadMs: number;
  maxLeadMs: number | null;
  verified: boolean;
}

export interface PlatformCapabilities {
  platform: Platform;
  text: { limit: Figure<number>; counting: TextCounting; urlLength: number | null; bytesLimit: number | null };
  media: MediaLimits;
  altText: { supported: boolean; maxLength: Figure<number | null>; kinds: readonly MediaKind[] };
  /** Self-replies form a visible thread. */
  threads: boolean;
  /** A comment under the post by the author, right after publishing. */
  firstComment: boolean;
  scheduling: SchedulingWindow;
  dms: boolean;
  comments: boolean;
  mentions: boolean;
  metrics: boolean;
  /** Meta's windows: replying to a DM within 24 h of the user's last message; a private reply to a comment within 7 days. */
  replyWindows: { dmMs: number | null; privateReplyToCommentMs: number | null; verified: boolean };
  /** Publishing cap per account (posts per 24 h) where the platform documents one. */
  dailyPublishCap: Figure<number | null>;
  idempotencyKeyHeader: string | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MB = 1024 * 1024;

const NO_SCHEDULING: SchedulingWindow = { native: false, minLeadMs: 0, maxLeadMs: null, verified: true };
const NO_WINDOWS = { dmMs: null, privateReplyToCommentMs: null, verified: true } as const;

export const CAPABILITIES = {
  bluesky: {
    platform: 'bluesky',
    text: { limit: { value: 300, verified: true }, counting: 'graphemes', urlLength: null, bytesLimit: 3000 },
    media: {
      kinds: ['image', 'video'],
      maxItems: 4,
      maxVideos: 1,
      // app.bsky.embed.images: each image blob at most 1,000,000 bytes.
      maxImageBytes: { value: 1_000_000, verified: true },
      maxVideoBytes: { value: 100_000_000, verified: false },
      mixKinds: false,
      requiresPublicUrl: false,
    },
    // `alt` is a required field of each embedded image (it may be empty).
    altText: { supported: true, maxLength: { value: 2000, verified: false }, kinds: ['image', 'video'] },
    threads: true,
    firstComment: false,
    scheduling: NO_SCHEDULING,
    // Chat lives on a separate service (chat.bsky.*) reached through the PDS with a proxy header.
    dms: true,
    comments: true,
    mentions: true,
    metrics: true,
    replyWindows: NO_WINDOWS,
    dailyPublishCap: { value: null, verified: true },
    idempotencyKeyHeader: null,
  },
  mastodon: {
    platform: 'mastodon',
    // 500 is the default; the instance reports its own in configuration.statuses.max_characters.
    text: { limit: { value: 500, verified: true }, counting: 'graphemes_urls_fixed', urlLength: 23, bytesLimit: null },
    media: {
      kinds: ['image', 'gif', 'video'],
      maxItems: 4,
      maxVideos: 1,
      // Per instance: configuration.media_attachments.image_size_limit / video_size_limit.
      maxImageBytes: { value: null, verified: true },
      maxVideoBytes: { value: null, verified: true },
      mixKinds: false,
      requiresPublicUrl: false,
    },
    altText: { supported: true, maxLength: { value: 1500, verified: false }, kinds: ['image', 'gif', 'video'] },
    threads: true,
    firstComment: false,
    // scheduled_at must be at least 5 minutes ahead; no documented upper bound.
    scheduling: { native: true, minLeadMs: 5 * MINUTE, maxLeadMs: null, verified: true },
    dms: true, // visibility "direct" statuses, read through /api/v1/conversations
    comments: true,
    mentions: true,
    metrics: true,
    replyWindows: NO_WINDOWS,
    dailyPublishCap: { value: null, verified: true },
    idempotencyKeyHeader: 'Idempotency-Key',
  },
  x: {
    platform: 'x',
    text: { limit: { value: 280, verified: false }, counting: 'weighted_twitter', urlLength: 23, bytesLimit: null },
    media: {
      kinds: ['image', 'gif', 'video'],
      maxItems: 4,
      maxVideos: 1,
      maxImageBytes: { value: 5 * MB, verified: false },
      maxVideoBytes: { value: 512 * MB, verified: false },
      mixKinds: false,
      requiresPublicUrl: false,
    },
    // Sources disagree (420 in X's v1.1 metadata reference, 1000 in a current client): the lower one.
    altText: { supported: true, maxLength: { value: 420, verified: false }, kinds: ['image', 'gif'] },
    threads: true,
    firstComment: false,
    scheduling: NO_SCHEDULING,
    dms: true,
    comments: true,
    mentions: true,
    metrics: true,
    replyWindows: NO_WINDOWS,
    dailyPublishCap: { value: null, verified: false },
    idempotencyKeyHeader: null,
  },
  facebook: {
    platform: 'facebook',
    text: { limit: { value: 63_206, verified: false }, counting: 'utf16', urlLength: null, bytesLimit: null },
    media: {
      kinds: ['image', 'video'],
      maxItems: 10,
      maxVideos: 1,
      // The Photo reference: "under 10 MB" per photo.
      maxImageBytes: { value: 10 * MB, verified: true },
      maxVideoBytes: { value: null, verified: false },
      mixKinds: false,
      requiresPublicUrl: false,
    },
    // alt_text_custom on /{page-id}/photos (Photo reference); no documented length limit.
    altText: { supported: true, maxLength: { value: null, verified: false }, kinds: ['image'] },
    threads: false,
    firstComment: true,
    // published=false + scheduled_publish_time. Sources disagree on the upper bound (30 days vs
    // 6 months); the narrower one is used until Meta's own page confirms.
    scheduling: { native: true, minLeadMs: 10 * MINUTE, maxLeadMs: 30 * DAY, verified: false },
    dms: true,
    comments: true,
    mentions: true,
    metrics: true,
    replyWindows: { dmMs: DAY, privateReplyToCommentMs: 7 * DAY, verified: false },
    dailyPublishCap: { value: null, verified: false },
    idempotencyKeyHeader: null,
  },
  instagram: {
    platform: 'instagram',
    text: { limit: { value: 2200, verified: false }, counting: 'utf16', urlLength: null, bytesLimit: null },
    media: {
      kinds: ['image', 'video'],
      maxItems: 10,
      maxVideos: 10,
      maxImageBytes: { value: 8 * MB, verified: false },
      maxVideoBytes: { value: null, verified: false },
      mixKinds: true, // carousels mix images and videos
      requiresPublicUrl: true,
    },
    // alt_text on image containers since 2025-03-24; not for reels or stories.
    altText: { supported: true, maxLength: { value: null, verified: false }, kinds: ['image'] },
    threads: false,
    firstComment: true,
    scheduling: NO_SCHEDULING,
    dms: true,
    comments: true,
    mentions: true,
    metrics: true,
    replyWindows: { dmMs: DAY, privateReplyToCommentMs: 7 * DAY, verified: false },
    // The media_publish reference says 50 per moving 24 h (older pages said 25); ask
    // /content_publishing_limit at run time.
    dailyPublishCap: { value: 50, verified: true },
    idempotencyKeyHeader: null,
  },
  linkedin: {
    platform: 'linkedin',
    text: { limit: { value: 3000, verified: false }, counting: 'utf16', urlLength: null, bytesLimit: null },
    media: {
      kinds: ['image', 'video', 'document'],
      maxItems: 20, // MultiImage
      maxVideos: 1,
      maxImageBytes: { value: null, verified: false },
      maxVideoBytes: { value: null, verified: false },
      mixKinds: false,
      requiresPublicUrl: false,
    },
    altText: { supported: true, maxLength: { value: null, verified: false }, kinds: ['image'] },
    threads: false,
    firstComment: true,
    scheduling: NO_SCHEDULING,
    dms: false, // messaging APIs are closed to general apps
    comments: true,
    mentions: false,
    metrics: true, // organization posts only (share statistics)
    replyWindows: NO_WINDOWS,
    dailyPublishCap: { value: 150, verified: false },
    idempotencyKeyHeader: null,
  },
} as const satisfies Partial<Record<Platform, PlatformCapabilities>>;

export type SupportedPlatform = keyof typeof CAPABILITIES;

export function capabilitiesOf(platform: Platform): PlatformCapabilities | null {
  return (CAPABILITIES as Partial<Record<Platform, PlatformCapabilities>>)[platform] ?? null;
}

/** Whether `at` (epoch ms) falls inside a platform's native scheduling window as seen at `now`. */
export function withinSchedulingWindow(caps: PlatformCapabilities, at: number, now: number): boolean {
  const s = caps.scheduling;
  if (!s.native) return false;
  const lead = at - now;
  return lead >= s.minLeadMs && (s.maxLeadMs === null || lead <= s.maxLeadMs);
}
