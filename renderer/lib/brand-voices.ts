// Brand voices as the contract defines them. The Record type makes the type check fail if the
// contract gains or loses a voice and this list is not updated.
import type { ApiInput } from '../../electron/api';

export type BrandVoice = NonNullable<ApiInput<'workspaces.create'>['brandVoice']>;

export const BRAND_VOICE_INFO: Record<BrandVoice, { label: string; example: string }> = {
  professional: { label: 'Professional', example: 'Clear, precise, trustworthy.' },
  casual: { label: 'Casual', example: 'Relaxed, like talking to a regular.' },
  friendly: { label: 'Friendly', example: 'Warm and welcoming.' },
  playful: { label: 'Playful', example: 'Light, witty, a little cheeky.' },
  authoritative: { label: 'Authoritative', example: 'Expert, confident, to the point.' },
  inspirational: { label: 'Inspirational', example: 'Uplifting, big-picture, motivating.' },
};

export const BRAND_VOICES = Object.keys(BRAND_VOICE_INFO) as BrandVoice[];

export function brandVoiceLabel(v: string): string {
  return (BRAND_VOICE_INFO as Record<string, { label: string }>)[v]?.label ?? v;
}

export const BUSINESS_TYPE_SUGGESTIONS = [
  'Agency',
  'Bakery',
  'Café',
  'Coach',
  'Consultant',
  'E-commerce',
  'Fitness studio',
  'Nonprofit',
  'Photographer',
  'Plumber',
  'Real estate',
  'Restaurant',
  'Retail shop',
  'SaaS',
  'Salon',
];

/** The engine stores "other" when no business type was given; show that as a person would. */
export function businessTypeLabel(t: string): string {
  return !t || t === 'other' ? 'Other' : t;
}
