// Turning customer messages into what topic analysis works on: a bounded, cleaned text to embed,
// the words that may become keywords, and a safe excerpt to show.
//
// Keywords are grouped by a light stem (refund / refunds / refunded count as one) and shown as
// the surface form customers used most, so a topic reads "shipping", never "ship" or "shipp".
import { foldText, lightStem } from '../knowledge/local-embedder';

/** Longer messages add time, not meaning, to a topic; a pasted novel must not dominate one. */
export const MAX_MESSAGE_CHARS = 2_000;
/** What a sample shows. */
export const SAMPLE_CHARS = 280;

// English function words and chat filler: frequent in every topic, so they never describe one.
// (c-TF-IDF would down-weight them anyway; dropping them keeps short topics' lists clean.)
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are aren as at be because been before being below between ' +
    'both but by can cannot could couldn did didn do does doesn doing don down during each else ever few for from ' +
    'further get gets getting got had hadn has hasn have haven having he her here hers herself him himself his how ' +
    'i if im in into is isn it its itself ive just know let like ll me might more most much must mustn my myself ' +
    'need no nor not now of off oh ok okay on once only or other ought our ours ourselves out over own please pls ' +
    're really same shall shan she should shouldn so some still such than thank thanks thx that thats the their ' +
    'theirs them themselves then there these they this those through to too under until up upon us very ve want ' +
    'was wasn way we well were weren what whats when where which while who whom why will with won would wouldn ' +
    'yes yet you youre your yours yourself yourselves hi hello hey dear regards cheers one two can t s d m u ur'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const URL_RE = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const EMAIL_RE = /\S+@\S+\.\S+/g;
// C0/C1 controls (except tab and newline) and bidirectional overrides: a message can carry them
// to scramble how a sample reads; they add nothing to its meaning.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_RE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;

/** The message as embedded and counted: controls removed, whitespace collapsed, length capped. */
export function cleanText(raw: string): string {
  return raw.slice(0, MAX_MESSAGE_CHARS * 2).replace(CONTROL_RE, '').replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE_CHARS);
}

/** A short, single-line excerpt for lists and prompts. */
export function excerpt(text: string, max = SAMPLE_CHARS): string {
  const t = cleanText(text);
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

/** A word that can describe a topic: not a stop word, not a number, not a fragment. */
function keywordCandidate(word: string): boolean {
  if (word.length < 3 || word.length > 30) return false;
  if (/^\d+$/.test(word)) return false;
  return !STOP_WORDS.has(word);
}

/**
 * The keyword terms of one message as [stem, surface] pairs, each stem once (a message that
 * repeats "refund" fifty times counts once, so one loud message cannot name a topic).
 */
export function keywordTerms(text: string): [string, string][] {
  const seen = new Map<string, string>();
  const folded = foldText(text.replace(URL_RE, ' ').replace(EMAIL_RE, ' '));
  for (const m of folded.matchAll(WORD)) {
    const word = m[0].replace(/['’].*$/, '');
    if (!keywordCandidate(word)) continue;
    const stem = lightStem(word);
    if (STOP_WORDS.has(stem) || stem.length < 3) continue;
    if (!seen.has(stem)) seen.set(stem, word);
  }
  return [...seen.entries()];
}
