// How long a post is, measured the way each network measures it, so the composer's live counter
// and the scheduler's checks agree with what the server will accept. Pure and DOM-free: the
// renderer imports this module too, so the numbers a user sees are the numbers we enforce.
import type { PlatformCapabilities } from '../../platforms/capabilities';

export type TextRules = PlatformCapabilities['text'];

export interface TextCount {
  /** In the platform's own unit (graphemes, weighted characters, UTF-16 units). */
  used: number;
  limit: number;
  /** Negative when over. */
  remaining: number;
  /** UTF-8 size, only where the platform also caps bytes (Bluesky). */
  bytes?: number;
  over: boolean;
}

/**
 * twitter-text's v3 configuration (config/v3.json, also `configs.defaults` in twitter-text-js):
 * code points in `ranges` weigh 100, the rest `defaultWeight`; the length is the weighted sum /
 * `scale`; an emoji sequence weighs `defaultWeight` as a whole; every URL weighs
 * `transformedURLLength` * `scale`. The limit itself comes from CAPABILITIES (280).
 */
export const TWITTER_TEXT_V3 = {
  scale: 100,
  defaultWeight: 200,
  transformedURLLength: 23,
  ranges: [
    { start: 0, end: 4351, weight: 100 },
    { start: 8192, end: 8205, weight: 100 },
    { start: 8208, end: 8223, weight: 100 },
    { start: 8242, end: 8247, weight: 100 },
  ],
} as const;

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemeSegmenter.segment(text)) n++;
  return n;
}

/** Counted from code points instead of encoding, so a live counter allocates nothing per keystroke. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    // A lone surrogate is encoded as U+FFFD (3 bytes), which is what the 0xFFFF branch gives it.
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

export function codePointCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

// --- URLs -------------------------------------------------------------------------------------

/**
 * Top-level domains X links without a scheme. twitter-text carries IANA's whole list (~1,500);
 * this keeps every two-letter country code (that is where most false "not a link" would come
 * from: example.de, foo.co.jp, t.co) and the generic ones marketers actually use. Gap: a bare
 * domain on a rarer generic TLD (say `studio.photography`) is counted by its characters here while
 * X counts it as 23; with `https://` or `www.` in front it is always recognised.
 */
const GENERIC_TLDS =
  'com net org info biz edu gov mil int name pro mobi asia tel travel jobs museum aero coop cat post ' +
  'app dev page blog news shop store online site website tech cloud link live media studio agency ' +
  'design art club space email digital social network world today life one top fun icu vip wiki ' +
  'xyz io ai co me tv ly gg fm';
const COUNTRY_TLDS =
  'ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br ' +
  'bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ' +
  'ee eg eh er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy ' +
  'hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la ' +
  'lb lc li lk lr ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my ' +
  'mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py qa re ro rs ' +
  'ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy sz tc td tf tg th tj tk tl ' +
  'tm tn to tr tt tv tw tz ua ug uk um us uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw';
const KNOWN_TLDS = [...new Set(`${GENERIC_TLDS} ${COUNTRY_TLDS}`.split(' '))]
  // Longest first, so `co` doesn't win over `com` inside the alternation.
  .sort((a, b) => b.length - a.length || a.localeCompare(b))
  .join('|');

// twitter-text's path characters stop at CJK and fullwidth punctuation, so "https://example.com是"
// is a link followed by a character, not one long link.
const NOT_PATH = String.raw`\s<>"{}|\\^\x60\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF`;
const PATH = String.raw`(?:[/?#][^${NOT_PATH}]*)?`;
const PORT = String.raw`(?::\d{1,5})?`;
// A URL can't start in the middle of a word, an e-mail address (`@`), a cashtag or hashtag.
const NOT_AFTER = String.raw`(?<![\p{L}\p{N}_@＠$#＃])`;
const ASCII_LABEL = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`;
// With a scheme the host may be internationalised (http://☃.net/, http://foobar.پاکستان/).
const HOST_CHAR = String.raw`[\p{L}\p{N}\p{M}\p{So}_]`;
const ANY_LABEL = String.raw`${HOST_CHAR}(?:(?:${HOST_CHAR}|-)*${HOST_CHAR})?`;
const SCHEME_TLD = String.raw`(?:[a-z]{2,63}(?![a-z0-9-])|xn--[a-z0-9-]+|\d{1,3}|(?:(?![\x00-\x7F])[\p{L}\p{M}]){2,})`;

const SCHEME_URL = String.raw`https?:\/\/(?:${ANY_LABEL}\.)+${SCHEME_TLD}${PORT}${PATH}`;
const WWW_URL = String.raw`www\.(?:${ASCII_LABEL}\.)*${ASCII_LABEL}\.[a-z]{2,63}(?![a-z0-9-])${PORT}${PATH}`;
// twitter-text refuses a protocol-less URL right after - _ . / (invalidUrlWithoutProtocolPrecedingChars).
const BARE_URL = String.raw`(?<![-_./:])(?:${ASCII_LABEL}\.)+(?:${KNOWN_TLDS})(?![0-9a-z@+-])${PORT}${PATH}`;

const SCHEME_ONLY_RE = new RegExp(`${NOT_AFTER}${SCHEME_URL}`, 'giu');
const WITH_BARE_RE = new RegExp(`${NOT_AFTER}(?:${SCHEME_URL}|${WWW_URL}|${BARE_URL})`, 'giu');

// twitter-text ends a URL on a letter, digit or one of = _ # / + - & (validUrlPathEndingChars and
// validUrlQueryEndingChars); a closing parenthesis stays only when it closes one inside the URL.
const URL_END_CHAR = /[\p{L}\p{N}=_#/+\-&]/u;

function trimUrlEnd(url: string): string {
  let end = url.length;
  while (end > 0) {
    const last = url[end - 1] ?? '';
    if (last === ')') {
      const body = url.slice(0, end);
      const opens = body.split('(').length - 1;
      const closes = body.split(')').length - 1;
      if (opens >= closes) break;
    } else if (URL_END_CHAR.test(last)) {
      break;
    }
    end--;
  }
  return url.slice(0, end);
}

/**
 * twitter-text drops a link whose host, once punycode-encoded, has a label over 63 characters
 * (DNS's limit), so a long run of kana in a host is counted as text. The URL parser does the IDNA
 * encoding for us, in Node and in the browser alike.
 */
function hostFitsDns(url: string): boolean {
  // eslint-disable-next-line no-control-regex -- the test is "anything outside ASCII"
  if (!/[^\x00-\x7F]/.test(url)) return true;
  try {
    const withScheme = /^https?:\/\//i.test(url) ? url : `https://${url}`;
    return new URL(withScheme).hostname.split('.').every((label) => label.length <= 63);
  } catch {
    return false;
  }
}

export interface UrlMatch {
  /** UTF-16 offsets into the text the URLs were found in. */
  start: number;
  end: number;
  url: string;
}

/**
 * Links the way the networks find them: `http(s)://` URLs always; with `bareDomains`, also
 * `www.` hosts and bare domains on known TLDs (X links those; Mastodon, which calls twitter-text
 * with extract_url_without_protocol: false, doesn't). A pragmatic pattern, not twitter-text's full
 * grammar: userinfo (`user:pass@host`), IPv6 hosts and `localhost` are not recognised.
 */
export function findUrls(text: string, options: { bareDomains: boolean }): UrlMatch[] {
  if (!text.includes('.')) return [];
  const re = options.bareDomains ? WITH_BARE_RE : SCHEME_ONLY_RE;
  const found: UrlMatch[] = [];
  for (const m of text.matchAll(re)) {
    const url = trimUrlEnd(m[0]);
    if (url === '' || !hostFitsDns(url)) continue;
    found.push({ start: m.index, end: m.index + url.length, url });
  }
  return found;
}

/** `text` with each URL swapped for `replacement`, so the rest can be counted normally. */
function replaceUrls(text: string, urls: readonly UrlMatch[], replacement: (url: UrlMatch) => string): string {
  let out = '';
  let last = 0;
  for (const u of urls) {
    out += text.slice(last, u.start) + replacement(u);
    last = u.end;
  }
  return out + text.slice(last);
}

// --- X (twitter-text v3) ------------------------------------------------------------------------

const EMOJI_PART = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
// twemoji (which twitter-text v3 parses emoji with) takes these four only with U+FE0F after them,
// and nothing followed by the text-presentation selector U+FE0E.
const TEXT_DEFAULT_SYMBOLS = new Set(['\u00A9', '\u00AE', '\u2122', '\u265F']);

/**
 * Whether X counts this grapheme as one emoji. Judged per grapheme cluster: an emoji ZWJ sequence,
 * a flag, a keycap or a skin-toned emoji is one cluster. Gap: a ZWJ join twemoji doesn't list
 * (a made-up combination) is one unit here, while twitter-text weighs its parts separately.
 */
function isEmojiUnit(grapheme: string): boolean {
  if (grapheme.includes('\uFE0E')) return false;
  const first = String.fromCodePoint(grapheme.codePointAt(0) ?? 0);
  if (TEXT_DEFAULT_SYMBOLS.has(first) && !grapheme.includes('\uFE0F')) return false;
  return EMOJI_PART.test(grapheme);
}

function codePointWeight(cp: number): number {
  for (const r of TWITTER_TEXT_V3.ranges) if (cp >= r.start && cp <= r.end) return r.weight;
  return TWITTER_TEXT_V3.defaultWeight;
}

/** twitter-text's weighted sum, still multiplied by `scale` (so 280 characters is 28,000). */
function twitterScaledWeight(text: string, urlLength: number): number {
  // twitter-text normalises to NFC before counting: "Á" typed as A + combining acute weighs 1.
  const normalized = text.normalize('NFC');
  const urls = findUrls(normalized, { bareDomains: true });
  let total = urls.length * urlLength * TWITTER_TEXT_V3.scale;
  // The text between links is segmented piece by piece, so characters on either side of a link
  // never merge into one grapheme.
  let last = 0;
  for (const u of urls) {
    total += weighPlainText(normalized.slice(last, u.start));
    last = u.end;
  }
  return total + weighPlainText(normalized.slice(last));
}

function weighPlainText(text: string): number {
  let total = 0;
  for (const { segment } of graphemeSegmenter.segment(text)) {
    if (isEmojiUnit(segment)) {
      total += TWITTER_TEXT_V3.defaultWeight;
      continue;
    }
    for (const ch of segment) total += codePointWeight(ch.codePointAt(0) ?? 0);
  }
  return total;
}

/** The length X checks against its limit (twitter-text v3 `weightedLength`). */
export function twitterWeightedLength(text: string, urlLength: number = TWITTER_TEXT_V3.transformedURLLength): number {
  return twitterScaledWeight(text, urlLength) / TWITTER_TEXT_V3.scale;
}

// --- Mastodon -----------------------------------------------------------------------------------

// Account::MENTION_RE: a remote mention is `@user@domain`, not preceded by a word character, `=`
// or `/` (so e-mail addresses and URL paths are left alone).
const REMOTE_MENTION_RE = /(?<![=/\p{L}\p{N}_])@([a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)@[\p{L}\p{N}_]+(?:[.-]+[\p{L}\p{N}_]+)*/giu;

/**
 * The text Mastodon's StatusLengthValidator counts: every http(s) URL becomes `urlLength` x's and
 * every remote mention `@user@domain` just `@user` (the server links it without the domain's cost).
 */
export function mastodonCountableText(text: string, urlLength: number): string {
  const urls = findUrls(text, { bareDomains: false });
  const withoutUrls = replaceUrls(text, urls, () => 'x'.repeat(urlLength));
  return withoutUrls.replace(REMOTE_MENTION_RE, (_whole, user: string) => `@${user}`);
}

// --- one entry point -----------------------------------------------------------------------------

/** Measure `text` by `rules` (a platform's `capabilities.text`, or an override a server reported). */
export function countText(text: string, rules: TextRules): TextCount {
  const limit = rules.limit.value;
  let used: number;
  let over: boolean;
  switch (rules.counting) {
    case 'graphemes':
      used = graphemeCount(text);
      over = used > limit;
      break;
    case 'graphemes_urls_fixed':
      used = graphemeCount(mastodonCountableText(text, rules.urlLength ?? TWITTER_TEXT_V3.transformedURLLength));
      over = used > limit;
      break;
    case 'weighted_twitter': {
      const scaled = twitterScaledWeight(text, rules.urlLength ?? TWITTER_TEXT_V3.transformedURLLength);
      used = scaled / TWITTER_TEXT_V3.scale;
      // Compared in scaled units, as twitter-text compares against maxWeightedTweetLength * scale.
      over = scaled > limit * TWITTER_TEXT_V3.scale;
      break;
    }
    case 'utf16':
      used = text.length;
      over = used > limit;
      break;
  }
  const result: TextCount = { used, limit, remaining: limit - used, over };
  if (rules.bytesLimit !== null) {
    const bytes = utf8ByteLength(text);
    result.bytes = bytes;
    if (bytes > rules.bytesLimit) result.over = true;
  }
  return result;
}
