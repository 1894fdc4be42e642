// What a demo brand is made of: its profile and the phrase banks its posts, inbox threads,
// comments and knowledge base are written from. Templates use {slot} placeholders filled by
// text.ts from the brand's slots, its products ({product} + {price} agree) and the shared bank.
import type { BRAND_VOICES, CONTENT_THEMES, ESCALATION_REASONS, TRIAGE_DECISIONS } from '../schema';

export type Theme = (typeof CONTENT_THEMES)[number];
export type Triage = (typeof TRIAGE_DECISIONS)[number];
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export interface Product {
  name: string;
  price: number;
}

/** Why a customer writes: the opening message, the brand's answer and how the thread goes on. */
export interface Intent {
  key: string;
  weight: number;
  tags: string[];
  priority: 'low' | 'normal' | 'high' | 'urgent';
  triage: Triage;
  escalation?: EscalationReason;
  opening: string[];
  answer: string[];
  followUps: string[];
  replies: string[];
}

export interface CommentKind {
  key: 'praise' | 'question' | 'tag' | 'complaint' | 'spam';
  weight: number;
  triage: Triage;
  texts: string[];
  /** How the brand answered (when it did). */
  replies: string[];
  /** The answer to texts[i], where one exists (questions); otherwise a reply is picked. */
  answers?: string[];
}

export interface DocKind {
  key: string;
  mime: string;
  /** Title templates. */
  titles: string[];
  /** Sentence templates; a chunk is 4–8 of them. */
  sentences: string[];
  /** Chunks per document (min, max). */
  chunks: [number, number];
  weight: number;
}

/** A document every workspace of this brand has, with fixed text (the facts customers ask about). */
export interface CoreDoc {
  title: string;
  fileName: string;
  paragraphs: string[];
}

export interface Faq {
  title: string;
  questions: string[];
  answer: string;
}

export interface Brand {
  key: string;
  name: string;
  businessType: string;
  description: string;
  website: string;
  city: string;
  state: string;
  timezone: string;
  brandVoice: (typeof BRAND_VOICES)[number];
  color: string;
  /** Social handle, without @. */
  handle: string;
  staff: string[];
  products: Product[];
  /** Brand-specific slot values ({flavor}, {occasion}, {class}, ...). */
  slots: Record<string, string[]>;
  hashtagGroups: { name: string; tags: string[] }[];
  posts: Record<Theme, string[]>;
  /** Short announcements (closures, new items, events), used for the rest of the calendar. */
  announcements: string[];
  campaigns: { name: string; description: string; goals: string[]; audience: string }[];
  templates: { name: string; theme: Theme; text: string }[];
  savedReplies: { title: string; shortcut: string; content: string }[];
  intents: Intent[];
  comments: CommentKind[];
  coreDocs: CoreDoc[];
  docKinds: DocKind[];
  faq: Faq[];
  /** Words the FTS test and benchmark search for (each appears in generated messages). */
  searchWords: string[];
}
