// What X will refuse, checked before anything is sent: weighted text length (twitter-text v3) and
// the attachment rules. A refusal here costs no API call and no rate-limit budget, and says what to
// change in words a marketer can act on.
import type { MediaInput, MediaKind, PostPart } from '../connector';
import { CAPABILITIES } from '../capabilities';
import { PlatformError } from '../errors';

const CAPS = CAPABILITIES.x;
const MEDIA_KINDS: readonly MediaKind[] = CAPS.media.kinds;
const ALT_TEXT_KINDS: readonly MediaKind[] = CAPS.altText.kinds;
const MB = 1024 * 1024;

/** Animated GIFs get their own cap (third-party figure, docs/PLATFORMS.md); images and video use CAPABILITIES. */
export const MAX_GIF_BYTES = 15 * MB;
/** DM text limit (X's DM docs). */
export const MAX_DM_LENGTH = 10_000;

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const GIF_TYPES = new Set(['image/gif']);
const VIDEO_TYPES = new Set(['video/mp4', 'video/quicktime']);

// twitter-text v3 config: these code point ranges weigh 1, everything else 2; every URL counts 23
// (t.co); every emoji sequence counts 2 however many code points it has.
const LIGHT_RANGES: readonly (readonly [number, number])[] = [
  [0, 4351],
  [8192, 8205],
  [8208, 8223],
  [8242, 8247],
];
// Scheme URLs, www. hosts and bare domains on common TLDs. twitter-text knows every TLD; this
// approximation only errs on bare domains with rarer TLDs, which X itself then refuses (validation).
const URL_PATTERN =
  /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+|\b(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|org|net|io|co|app|dev|ai|me|ly|gg|tv|info|biz|xyz|uk|de|fr|es|it|nl|jp|us|ca|au|eu|shop|blog|news)\b(?:\/[^\s<>"]*)?/giu;
const TRAILING_PUNCTUATION = /[.,:;!?)\]'"]+$/u;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function codePointWeight(cp: number): number {
  return LIGHT_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 1 : 2;
}

/** The length X checks against 280. */
export function weightedLength(text: string): number {
  const normalized = text.normalize('NFC');
  let total = 0;
  let rest = '';
  let last = 0;
  for (const match of normalized.matchAll(URL_PATTERN)) {
    const start = match.index;
    const url = match[0].replace(TRAILING_PUNCTUATION, '');
    rest += normalized.slice(last, start);
    total += CAPS.text.urlLength ?? 23;
    last = start + url.length;
  }
  rest += normalized.slice(last);
  for (const { segment } of graphemes.segment(rest)) {
    if (EMOJI.test(segment)) {
      total += 2;
      continue;
    }
    for (const ch of segment) total += codePointWeight(ch.codePointAt(0) ?? 0);
  }
  return total;
}

function refuse(category: 'validation' | 'media', message: string): never {
  throw new PlatformError({ platform: 'x', category, message, effect: 'none' });
}

/** Throws a validation error when `text` is over X's weighted limit (`label` names the part). */
export function checkPostText(text: string, label: string): void {
  const limit = CAPS.text.limit.value;
  const length = weightedLength(text);
  if (length > limit) {
    refuse(
      'validation',
      `${label} is ${length} characters by X's count; X allows ${limit} (links count as 23, emoji and most CJK characters as 2). Shorten it by ${length - limit}.`,
    );
  }
}

export function checkDmText(text: string): void {
  if (text.trim() === '') refuse('validation', 'A direct message on X needs some text.');
  if ([...text].length > MAX_DM_LENGTH) refuse('validation', `A direct message on X can be at most ${MAX_DM_LENGTH} characters.`);
}

function checkOneMedia(media: MediaInput, label: string): void {
  if (!MEDIA_KINDS.includes(media.kind)) refuse('media', `${label}: X does not accept ${media.kind} attachments; use an image, a GIF or a video.`);
  if (media.path === null) refuse('media', `${label}: X needs the file on this computer to upload it; the attachment has no local file.`);
  const allowed = media.kind === 'image' ? IMAGE_TYPES : media.kind === 'gif' ? GIF_TYPES : VIDEO_TYPES;
  if (!allowed.has(media.mimeType.toLowerCase())) {
    refuse('media', `${label}: X does not take ${media.mimeType} files as ${media.kind}; use ${[...allowed].join(', ')}.`);
  }
  checkMediaSize(media, media.sizeBytes, label);
  if (media.altText !== null && media.altText !== '') {
    if (!ALT_TEXT_KINDS.includes(media.kind)) refuse('validation', `${label}: X only keeps alt text on images and GIFs; remove it from the ${media.kind}.`);
    const max = CAPS.altText.maxLength.value;
    if (max !== null && [...media.altText].length > max) refuse('validation', `${label}: alt text on X can be at most ${max} characters.`);
  }
}

/** Also called with the real file size, since `sizeBytes` may be stale by upload time. */
export function checkMediaSize(media: MediaInput, bytes: number, label: string): void {
  const max = media.kind === 'gif' ? MAX_GIF_BYTES : media.kind === 'video' ? CAPS.media.maxVideoBytes.value : CAPS.media.maxImageBytes.value;
  if (max !== null && bytes > max) {
    refuse('media', `${label}: the ${media.kind} is ${(bytes / MB).toFixed(1)} MB; X takes at most ${Math.floor(max / MB)} MB.`);
  }
}

/** X's rule: up to 4 images, or exactly one GIF, or exactly one video, never mixed. */
export function checkMediaSet(media: readonly MediaInput[], label: string): void {
  media.forEach((m, i) => checkOneMedia(m, media.length > 1 ? `${label}, attachment ${i + 1}` : label));
  const images = media.filter((m) => m.kind === 'image').length;
  const others = media.length - images;
  if (others > 0 && media.length > 1) refuse('media', `${label}: X takes one GIF or one video on its own; it cannot share a post with other attachments.`);
  if (images > CAPS.media.maxItems) refuse('media', `${label} has ${images} images; X takes at most ${CAPS.media.maxItems}.`);
}

export function checkPart(part: PostPart, label: string, textOnPlatform: string): void {
  if (part.text.trim() === '' && part.media.length === 0) refuse('validation', `${label} is empty; X needs text or an attachment.`);
  checkPostText(textOnPlatform, label);
  checkMediaSet(part.media, label);
}
