// Value lists shared by several areas. They live in a leaf module so that areas which reference
// each other's tables (posts <-> campaigns, inbox <-> ai) can use them while modules initialise.

/**
 * Every network Postdesk connects to. The seeds' 'twitter' is 'x'; 002's 'google' (a Business
 * Profile location) is 'google_business'.
 */
export const PLATFORMS = [
  'bluesky',
  'mastodon',
  'x',
  'facebook',
  'instagram',
  'linkedin',
  'threads',
  'google_business',
  'whatsapp',
  'tiktok',
  'youtube',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Where a CRM contact can be reached: a social platform, or a plain channel. */
export const CONTACT_CHANNELS = [...PLATFORMS, 'email', 'phone', 'web'] as const;

/** 004's campaign_components.component_type, also used by component_library. */
export const COMPONENT_TYPES = [
  'landing_page',
  'form',
  'header',
  'footer',
  'hero_section',
  'testimonials',
  'pricing',
  'email_template',
  'popup',
  'navigation',
  'custom',
] as const;

/** 001's triage / ai_decisions.decision. */
export const TRIAGE_DECISIONS = ['respond', 'ignore', 'escalate'] as const;

/** 002's content themes (content_templates.theme, workspace_preferences.themes_enabled). */
export const CONTENT_THEMES = ['tip', 'promotion', 'seasonal', 'testimonial', 'fun_fact'] as const;
