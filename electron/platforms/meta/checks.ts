// Limits checked before anything is sent, with messages a marketer can act on. Graph counts text
// in UTF-16 code units (a JS string's length), so that is what is measured here.
import type { PlatformCapabilities } from '../capabilities';
import type { MediaInput } from '../connector';
import { refuse, type MetaPlatform } from './graph';

const NAMES: Record<MetaPlatform, string> = { facebook: 'Facebook', instagram: 'Instagram' };

export function checkText(platform: MetaPlatform, caps: PlatformCapabilities, text: string, what = 'post'): void {
  const limit = caps.text.limit.value;
  if (text.length > limit) {
    throw refuse(platform, 'validation', `This ${what} is ${text.length} characters; ${NAMES[platform]} allows ${limit}. Shorten it by ${text.length - limit}.`);
  }
}

export function checkMedia(platform: MetaPlatform, caps: PlatformCapabilities, media: readonly MediaInput[]): void {
  const name = NAMES[platform];
  if (media.length > caps.media.maxItems) {
    throw refuse(platform, 'media', `${name} takes at most ${caps.media.maxItems} images or videos in one post; this one has ${media.length}.`);
  }
  const videos = media.filter((m) => m.kind === 'video').length;
  if (videos > caps.media.maxVideos) throw refuse(platform, 'media', `${name} takes at most ${caps.media.maxVideos} video in one post.`);
  if (!caps.media.mixKinds && videos > 0 && videos < media.length) throw refuse(platform, 'media', `${name} can't mix images and video in one post; split them into two posts.`);
  for (const m of media) {
    if (!caps.media.kinds.includes(m.kind)) throw refuse(platform, 'media', `${name} doesn't accept ${m.kind} attachments.`);
    const max = m.kind === 'video' ? caps.media.maxVideoBytes.value : caps.media.maxImageBytes.value;
    if (max !== null && m.sizeBytes > max) {
      throw refuse(platform, 'media', `A ${m.kind} is ${mb(m.sizeBytes)}; ${name} takes up to ${mb(max)} per ${m.kind}. Use a smaller file.`);
    }
  }
}

function mb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The post text with the publish marker on its own line, so reconcile can recognise it later. */
export function withMarker(text: string, marker: string): string {
  return text.trim() === '' ? marker : `${text}\n\n${marker}`;
}
