// The starter content templates every new workspace gets (the seeds' global content_templates,
// copied per workspace so the user can edit or switch them off). {placeholders} are filled from
// the workspace profile and the composer.
import type { CONTENT_THEMES } from '../../../db/schema/enums';

export interface BuiltinTemplate {
  name: string;
  theme: (typeof CONTENT_THEMES)[number];
  templateText: string;
}

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    name: 'Quick tip',
    theme: 'tip',
    templateText: 'Tip from {business_name}: {tip}. Small things like this make a big difference. What would you add?',
  },
  {
    name: 'Offer',
    theme: 'promotion',
    templateText: '{offer} at {business_name} — {details}. Valid until {end_date}. {call_to_action}',
  },
  {
    name: 'Seasonal note',
    theme: 'seasonal',
    templateText: '{season} is here! At {business_name} we are {seasonal_activity}. {call_to_action}',
  },
  {
    name: 'Customer story',
    theme: 'testimonial',
    templateText: '"{quote}" — {customer_name}. Thank you for trusting {business_name}!',
  },
  {
    name: 'Did you know?',
    theme: 'fun_fact',
    templateText: 'Did you know? {fact} Now you know why we love being a {business_type}.',
  },
];

/** Default posting times (the seed's example preferred_times) for a new workspace. */
export const DEFAULT_PREFERRED_TIMES = ['09:00', '13:00', '17:00'] as const;
