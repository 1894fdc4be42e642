// How much the demo generator writes. `small` is for the UI demo and e2e tests (a few seconds);
// `large` is the scale the benchmarks promise (issue 2): ~5 accounts, 10k posts, 100k
// conversations with 1M messages, 200k comments and 100k knowledge chunks.
import type { Platform } from '../schema';

export interface Scale {
  name: ScaleName;
  /** One account per platform, in this order. */
  platforms: Platform[];
  posts: number;
  conversations: number;
  messages: number;
  comments: number;
  /** Knowledge chunks, FAQ answers included. */
  chunks: number;
  customers: number;
  campaigns: number;
  /** How far back the history goes. */
  historyDays: number;
  /** Scheduled posts reach this far ahead. */
  aheadDays: number;
}

export type ScaleName = 'small' | 'large';
export const SCALE_NAMES: readonly ScaleName[] = ['small', 'large'];

export const SCALES: Record<ScaleName, Scale> = {
  small: {
    name: 'small',
    platforms: ['instagram', 'facebook', 'bluesky'],
    posts: 200,
    conversations: 500,
    messages: 5_000,
    comments: 1_000,
    chunks: 500,
    customers: 250,
    campaigns: 4,
    historyDays: 120,
    aheadDays: 21,
  },
  large: {
    name: 'large',
    platforms: ['instagram', 'facebook', 'bluesky', 'mastodon', 'x', 'linkedin'],
    posts: 10_000,
    conversations: 100_000,
    messages: 1_000_000,
    comments: 200_000,
    chunks: 100_000,
    customers: 40_000,
    campaigns: 8,
    historyDays: 730,
    aheadDays: 45,
  },
};
