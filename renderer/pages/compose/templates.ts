// Content templates with {placeholders}: what the workspace profile already answers
// ({business_name}, {business_type}, {website}), filling the rest from a form, and catching a
// placeholder left in the text before it would be published word for word. Pure, so tested.
import type { ApiOutput } from '../../../electron/api';

export type Template = ApiOutput<'posts.templates'>[number];

const PLACEHOLDER = /\{([a-z_][a-z0-9_]*)\}/gi;

export const THEME_LABEL: Readonly<Record<string, string>> = {
  tip: 'Tip',
  promotion: 'Promotion',
  seasonal: 'Seasonal',
  testimonial: 'Testimonial',
  fun_fact: 'Fun fact',
};

/** "business_name" -> "Business name". */
export function placeholderLabel(name: string): string {
  const words = name.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What the workspace profile fills in by itself. */
export function profileValues(ws: { name: string; businessType: string; website?: string | null }): Record<string, string> {
  const out: Record<string, string> = { business_name: ws.name };
  if (ws.businessType && ws.businessType !== 'other') out['business_type'] = ws.businessType.toLowerCase();
  if (ws.website) out['website'] = ws.website;
  return out;
}

/** The template with every placeholder that has a non-blank value replaced; the rest stay as {name}. */
export function fillTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name.toLowerCase()]?.trim();
    return v ? v : whole;
  });
}

/** Placeholders still in a text ("{tip}"), each once, in order. */
export function unfilled(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => `{${m[1]!}}`))];
}

/** Where the filled template goes: the whole text when there is none yet, else below it. */
export function insertTemplate(current: string, filled: string, how: 'replace' | 'append'): string {
  if (how === 'replace' || current.trim() === '') return filled;
  return `${current.trimEnd()}\n\n${filled}`;
}
