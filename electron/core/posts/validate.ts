// What a network would refuse, found while the user is still composing (and again before a post is
// scheduled), not at publish time when the computer may be unattended. Pure: the renderer runs the
// same checks live, so the Compose page and the scheduler never disagree.
import type { PlatformCapabilities } from '../../platforms/capabilities';
import { codePointCount, countText, type TextCount } from './text-count';
import { PLATFORM_NAMES } from '../../platforms/names';

type Platform = PlatformCapabilities['platform'];

/** The media library's kinds; connectors speak a subset (no audio anywhere yet). */
export type MediaCheckKind = 'image' | 'gif' | 'video' | 'audio' | 'document';

export interface MediaCheck {
  kind: MediaCheckKind;
  mimeType: string;
  /** null: not known yet (the check is skipped, not passed). */
  sizeBytes: number | null;
  width?: number;
  height?: number;
  durationMs?: number;
  altText: string | null;
  /** Whether the item is reachable at a public https URL (Instagram fetches media itself). */
  hasPublicUrl: boolean;
}

export interface TargetCheck {
  platform: Platform;
  /** The platform's CAPABILITIES, or a copy with what the server reported (a Mastodon instance's limits). */
  capabilities: PlatformCapabilities;
  text: string;
  /** The posts after the first one. Blank parts are dropped when the target is saved. */
  threadParts: readonly string[];
  /** null or blank: none (saving treats a blank comment as none). */
  firstComment: string | null;
  media: readonly MediaCheck[];
  /** Epoch ms; null publishes now. */
  publishAt: number | null;
  /** Hand the post to the platform's own scheduler. */
  nativeScheduling: boolean;
}

export type IssueSeverity = 'error' | 'warning';
export type IssueField = 'text' | 'thread' | 'firstComment' | 'media' | 'schedule';

export type IssueCode =
  | 'text_empty'
  | 'text_too_long'
  | 'text_too_many_bytes'
  | 'thread_unsupported'
  | 'thread_part_empty'
  | 'thread_part_too_long'
  | 'thread_part_too_many_bytes'
  | 'thread_native_schedule'
  | 'first_comment_unsupported'
  | 'first_comment_too_long'
  | 'first_comment_too_many_bytes'
  | 'first_comment_native_schedule'
  | 'media_required'
  | 'media_kind_unsupported'
  | 'media_type_unsupported'
  | 'media_too_many'
  | 'media_too_many_videos'
  | 'media_mixed_kinds'
  | 'media_image_too_large'
  | 'media_video_too_large'
  | 'media_needs_public_url'
  | 'media_alt_missing'
  | 'media_alt_too_long'
  | 'media_alt_ignored'
  | 'schedule_in_past'
  | 'schedule_native_unsupported'
  | 'schedule_native_needs_time'
  | 'schedule_native_too_soon'
  | 'schedule_native_too_far';

export interface Issue {
  severity: IssueSeverity;
  field: IssueField;
  /** Which thread part (0 = threadParts[0]) or media item the issue is about. */
  index?: number;
  code: IssueCode;
  /** Short, in words a marketer acts on. */
  message: string;
}


/**
 * Platforms that refuse a post without media. Not in CAPABILITIES yet; Instagram's connector
 * refuses it ("An Instagram post needs at least one image or video").
 */
const MEDIA_REQUIRED: ReadonlySet<Platform> = new Set(['instagram']);

/**
 * File types a connector refuses before uploading, mirrored from the connectors (x/text.ts,
 * instagram/publish.ts, linkedin/media.ts) because CAPABILITIES has no MIME lists. A platform or
 * kind not listed here is not checked.
 */
const ACCEPTED_TYPES: Partial<Record<Platform, Partial<Record<MediaCheckKind, readonly string[]>>>> = {
  x: { image: ['image/jpeg', 'image/png', 'image/webp'], gif: ['image/gif'], video: ['video/mp4', 'video/quicktime'] },
  instagram: { image: ['image/jpeg'] },
  linkedin: { image: ['image/jpeg', 'image/jpg', 'image/png', 'image/gif'] },
};

const KIND_PLURAL: Readonly<Record<MediaCheckKind, string>> = {
  image: 'images',
  gif: 'GIFs',
  video: 'videos',
  audio: 'audio files',
  document: 'documents',
};

const KIND_SINGULAR: Readonly<Record<MediaCheckKind, string>> = {
  image: 'image',
  gif: 'GIF',
  video: 'video',
  audio: 'audio file',
  document: 'document',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MIB = 1024 * 1024;

function num(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, one: string, many: string): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** Sizes in the unit the limit was given in: Bluesky's 1,000,000 bytes reads "1 MB", X's 5 MiB "5 MB". */
function sizes(actual: number, limit: number): { actual: string; limit: string } {
  const unit = limit % 1_000_000 === 0 && limit % MIB !== 0 ? 1_000_000 : MIB;
  const fmt = (b: number) => `${Number((b / unit).toFixed(1)).toLocaleString('en-US')} MB`;
  return { actual: fmt(actual), limit: fmt(limit) };
}

function duration(ms: number): string {
  if (ms % DAY === 0) return plural(ms / DAY, 'day', 'days');
  if (ms % HOUR === 0) return plural(ms / HOUR, 'hour', 'hours');
  return plural(Math.ceil(ms / MINUTE), 'minute', 'minutes');
}

function isBlank(s: string | null): boolean {
  return s === null || s.trim() === '';
}

/** "27 characters over X's limit of 280" (or the byte form), or null when the text fits. */
function overBy(count: TextCount, name: string, bytesLimit: number | null): { code: 'too_long' | 'too_many_bytes'; words: string } | null {
  if (count.used > count.limit) {
    return { code: 'too_long', words: `${plural(count.used - count.limit, 'character', 'characters')} over ${name}'s limit of ${num(count.limit)}` };
  }
  if (bytesLimit !== null && count.bytes !== undefined && count.bytes > bytesLimit) {
    // Only reachable with many multi-byte characters, so say why a short-looking post is too long.
    return {
      code: 'too_many_bytes',
      words: `${plural(count.bytes - bytesLimit, 'byte', 'bytes')} over ${name}'s limit of ${num(bytesLimit)} bytes (emoji and non-Latin letters take several bytes each)`,
    };
  }
  return null;
}

function checkText(t: TargetCheck, name: string, issues: Issue[]): void {
  const rules = t.capabilities.text;
  if (t.text.trim() === '' && t.media.length === 0) {
    // Where media is required, "add a photo" is the one thing to say (checkMedia says it).
    if (!MEDIA_REQUIRED.has(t.platform)) {
      issues.push({ severity: 'error', field: 'text', code: 'text_empty', message: 'Write something or add a photo or video.' });
    }
    return;
  }
  const over = overBy(countText(t.text, rules), name, rules.bytesLimit);
  if (over) {
    const code = over.code === 'too_long' ? 'text_too_long' : 'text_too_many_bytes';
    issues.push({ severity: 'error', field: 'text', code, message: `${capitalise(over.words)}.` });
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function checkThread(t: TargetCheck, name: string, issues: Issue[]): void {
  if (t.threadParts.length === 0) return;
  const filled = t.threadParts.filter((p) => p.trim() !== '').length;
  if (!t.capabilities.threads) {
    if (filled > 0) {
      issues.push({
        severity: 'error',
        field: 'thread',
        code: 'thread_unsupported',
        message: `${name} doesn't do threads. Move the ${plural(filled, 'extra part', 'extra parts')} into the post or remove them.`,
      });
    }
    return;
  }
  if (t.nativeScheduling && t.capabilities.scheduling.native && filled > 0) {
    // A reply needs its parent to exist, so a post the platform holds can't carry a thread.
    issues.push({
      severity: 'error',
      field: 'thread',
      code: 'thread_native_schedule',
      message: `${name} can hold a single post for later, not a thread. Let Postdesk publish the thread instead.`,
    });
  }
  const rules = t.capabilities.text;
  t.threadParts.forEach((part, index) => {
    // Part 1 is the post itself, so threadParts[0] is the 2nd post of the thread.
    const label = `Thread post ${index + 2}`;
    if (part.trim() === '') {
      issues.push({ severity: 'warning', field: 'thread', index, code: 'thread_part_empty', message: `${label} is empty and will be left out.` });
      return;
    }
    const over = overBy(countText(part, rules), name, rules.bytesLimit);
    if (over) {
      const code = over.code === 'too_long' ? 'thread_part_too_long' : 'thread_part_too_many_bytes';
      issues.push({ severity: 'error', field: 'thread', index, code, message: `${label} is ${over.words}.` });
    }
  });
}

function checkFirstComment(t: TargetCheck, name: string, issues: Issue[]): void {
  if (isBlank(t.firstComment)) return;
  const comment = t.firstComment ?? '';
  if (!t.capabilities.firstComment) {
    const instead = t.capabilities.threads ? ' Add it as the next post of a thread instead.' : ' Remove it or put it in the post.';
    issues.push({ severity: 'error', field: 'firstComment', code: 'first_comment_unsupported', message: `${name} has no first comment.${instead}` });
    return;
  }
  if (t.nativeScheduling && t.capabilities.scheduling.native) {
    // Nobody is around to comment when the platform publishes a post it held.
    issues.push({
      severity: 'error',
      field: 'firstComment',
      code: 'first_comment_native_schedule',
      message: `${name} can't add a first comment to a post it holds for later. Remove the comment or let Postdesk publish it.`,
    });
  }
  // CAPABILITIES has no separate comment limit, so the post's own rules stand in for it.
  const rules = t.capabilities.text;
  const over = overBy(countText(comment, rules), name, rules.bytesLimit);
  if (over) {
    const code = over.code === 'too_long' ? 'first_comment_too_long' : 'first_comment_too_many_bytes';
    issues.push({ severity: 'error', field: 'firstComment', code, message: `The first comment is ${over.words}.` });
  }
}

function kindsPhrase(kinds: readonly MediaCheckKind[]): string {
  const words = kinds.map((k) => KIND_PLURAL[k]);
  return words.length <= 2 ? words.join(' and ') : `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

function checkMedia(t: TargetCheck, name: string, issues: Issue[]): void {
  const caps = t.capabilities;
  const supported: readonly MediaCheckKind[] = caps.media.kinds;
  const altKinds: readonly MediaCheckKind[] = caps.altText.kinds;

  if (MEDIA_REQUIRED.has(t.platform) && t.media.length === 0) {
    issues.push({ severity: 'error', field: 'media', code: 'media_required', message: `${name} needs at least one photo or video.` });
    return;
  }

  if (t.media.length > caps.media.maxItems) {
    issues.push({
      severity: 'error',
      field: 'media',
      code: 'media_too_many',
      message: `${name} takes up to ${plural(caps.media.maxItems, 'attachment', 'attachments')}; this post has ${num(t.media.length)}.`,
    });
  }

  // Where GIF is a kind of its own (X, Mastodon) it is sent as a video and shares the video cap.
  const videoLike = t.media.filter((m) => m.kind === 'video' || (m.kind === 'gif' && supported.includes('gif'))).length;
  if (videoLike > caps.media.maxVideos) {
    const what = supported.includes('gif') ? 'video or GIF' : 'video';
    const message =
      caps.media.maxVideos === 1 ? `${name} takes one ${what} per post.` : `${name} takes up to ${num(caps.media.maxVideos)} videos per post.`;
    issues.push({ severity: 'error', field: 'media', code: 'media_too_many_videos', message });
  }

  const kinds = [...new Set(t.media.map((m) => m.kind).filter((k) => supported.includes(k)))];
  if (!caps.media.mixKinds && kinds.length > 1) {
    issues.push({ severity: 'error', field: 'media', code: 'media_mixed_kinds', message: `${name} can't mix ${kindsPhrase(kinds)} in one post.` });
  }

  t.media.forEach((m, index) => {
    const what = KIND_SINGULAR[m.kind];
    if (!supported.includes(m.kind)) {
      issues.push({ severity: 'error', field: 'media', index, code: 'media_kind_unsupported', message: `${name} doesn't take ${KIND_PLURAL[m.kind]}.` });
      return;
    }
    const accepted = ACCEPTED_TYPES[t.platform]?.[m.kind];
    if (accepted && !accepted.includes(m.mimeType.toLowerCase())) {
      issues.push({
        severity: 'error',
        field: 'media',
        index,
        code: 'media_type_unsupported',
        message: `${name} takes ${what}s only as ${accepted.map(typeName).filter(unique).join(', ')}; this one is ${typeName(m.mimeType)}.`,
      });
    }
    // GIFs are left unchecked: CAPABILITIES has no GIF figure, and X's is 15 MB, not its image 5 MB.
    const max = m.kind === 'image' ? caps.media.maxImageBytes.value : m.kind === 'video' ? caps.media.maxVideoBytes.value : null;
    if (max !== null && m.sizeBytes !== null && m.sizeBytes > max) {
      const s = sizes(m.sizeBytes, max);
      issues.push({
        severity: 'error',
        field: 'media',
        index,
        code: m.kind === 'image' ? 'media_image_too_large' : 'media_video_too_large',
        message: `This ${what} is ${s.actual}; ${name} takes up to ${s.limit}.`,
      });
    }
    if (caps.media.requiresPublicUrl && !m.hasPublicUrl) {
      issues.push({
        severity: 'error',
        field: 'media',
        index,
        code: 'media_needs_public_url',
        message: `${name} fetches media from a public web address; this ${what} is only on your computer.`,
      });
    }
    checkAltText(m, index, name, caps, altKinds, issues);
  });
}

function checkAltText(
  m: MediaCheck,
  index: number,
  name: string,
  caps: PlatformCapabilities,
  altKinds: readonly MediaCheckKind[],
  issues: Issue[],
): void {
  const what = KIND_SINGULAR[m.kind];
  const takesAlt = caps.altText.supported && altKinds.includes(m.kind);
  if (!takesAlt) {
    if (!isBlank(m.altText)) {
      issues.push({ severity: 'warning', field: 'media', index, code: 'media_alt_ignored', message: `${name} doesn't keep alt text on ${KIND_PLURAL[m.kind]}; it won't be sent.` });
    }
    return;
  }
  if (isBlank(m.altText)) {
    issues.push({
      severity: 'warning',
      field: 'media',
      index,
      code: 'media_alt_missing',
      message: `This ${what} has no alt text. Describe it for people who use screen readers.`,
    });
    return;
  }
  const max = caps.altText.maxLength.value;
  // Servers check alt text as a plain string length (code points), never fewer than graphemes.
  const length = codePointCount(m.altText ?? '');
  if (max !== null && length > max) {
    issues.push({
      severity: 'error',
      field: 'media',
      index,
      code: 'media_alt_too_long',
      message: `Alt text is ${plural(length - max, 'character', 'characters')} over ${name}'s limit of ${num(max)}.`,
    });
  }
}

function typeName(mime: string): string {
  const sub = mime.toLowerCase().split('/')[1] ?? mime;
  return sub === 'jpg' ? 'JPEG' : sub === 'quicktime' ? 'MOV' : sub.toUpperCase();
}

function unique<T>(v: T, i: number, all: readonly T[]): boolean {
  return all.indexOf(v) === i;
}

function checkSchedule(t: TargetCheck, name: string, now: number, issues: Issue[]): void {
  const s = t.capabilities.scheduling;
  if (t.nativeScheduling) {
    if (!s.native) {
      issues.push({
        severity: 'error',
        field: 'schedule',
        code: 'schedule_native_unsupported',
        message: `${name} can't hold posts for later. Let Postdesk publish it at that time instead.`,
      });
      return;
    }
    if (t.publishAt === null) {
      issues.push({ severity: 'error', field: 'schedule', code: 'schedule_native_needs_time', message: `Pick a time for ${name} to publish it.` });
      return;
    }
    const lead = t.publishAt - now;
    if (lead < s.minLeadMs) {
      issues.push({
        severity: 'error',
        field: 'schedule',
        code: 'schedule_native_too_soon',
        message: `${name} holds a post only when it is scheduled at least ${duration(s.minLeadMs)} ahead. Pick a later time or let Postdesk publish it.`,
      });
    } else if (s.maxLeadMs !== null && lead > s.maxLeadMs) {
      issues.push({
        severity: 'error',
        field: 'schedule',
        code: 'schedule_native_too_far',
        message: `${name} holds posts at most ${duration(s.maxLeadMs)} ahead. Pick an earlier time or let Postdesk publish it.`,
      });
    }
    return;
  }
  if (t.publishAt !== null && t.publishAt < now) {
    issues.push({ severity: 'warning', field: 'schedule', code: 'schedule_in_past', message: 'That time has passed, so it will publish right away.' });
  }
}

/** Everything that would stop (error) or surprise (warning) one account's post, in field order. */
export function validateTarget(input: TargetCheck, now: number): Issue[] {
  const name = PLATFORM_NAMES[input.platform];
  const issues: Issue[] = [];
  checkText(input, name, issues);
  checkThread(input, name, issues);
  checkFirstComment(input, name, issues);
  checkMedia(input, name, issues);
  checkSchedule(input, name, now, issues);
  return issues;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

export interface PostTargetCheck extends TargetCheck {
  /** The post_targets id (or the composer's key for a target not saved yet); unique per post. */
  id: string;
}

export interface PostValidation {
  /** No errors on any target (warnings allowed). */
  ok: boolean;
  errorCount: number;
  warningCount: number;
  /** Every target id is present, with [] when it is fine. */
  byTarget: Record<string, Issue[]>;
}

export function validatePost(targets: readonly PostTargetCheck[], now: number): PostValidation {
  const byTarget: Record<string, Issue[]> = {};
  let errorCount = 0;
  let warningCount = 0;
  for (const target of targets) {
    const issues = validateTarget(target, now);
    byTarget[target.id] = issues;
    for (const i of issues) {
      if (i.severity === 'error') errorCount++;
      else warningCount++;
    }
  }
  return { ok: errorCount === 0, errorCount, warningCount, byTarget };
}
