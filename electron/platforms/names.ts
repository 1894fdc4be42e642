// What each network is called in front of people. Pure, so the composer can use it too.
import type { Platform } from '../../db/schema/enums';

export const PLATFORM_NAMES: Readonly<Record<Platform, string>> = {
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  x: 'X',
  facebook: 'Facebook',
  instagram: 'Instagram',
  linkedin: 'LinkedIn',
  threads: 'Threads',
  google_business: 'Google Business Profile',
  whatsapp: 'WhatsApp',
  tiktok: 'TikTok',
  youtube: 'YouTube',
};
