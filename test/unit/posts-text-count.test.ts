// Counting as each network counts. The X figures marked "conformance" are the expected weighted
// lengths from twitter-text's own conformance suite (conformance/validate.yml,
// WeightedTweetsWithDiscountedEmojiCounterTest and UnicodeDirectionalMarkerCounterTest), which
// every official twitter-text port must pass.
import { describe, expect, it } from 'vitest';
import {
  countText,
  findUrls,
  graphemeCount,
  mastodonCountableText,
  twitterWeightedLength,
  utf8ByteLength,
} from '../../electron/core/posts/text-count';
import { CAPABILITIES } from '../../electron/platforms/capabilities';

const FAMILY = '👨\u200D👩\u200D👧\u200D👦'; // man ZWJ woman ZWJ girl ZWJ boy: 7 code points, 11 UTF-16 units
const ENGLAND = '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'; // tag sequence flag
const FRANCE = '🇫🇷';
const KEYCAP_ONE = '1\uFE0F\u20E3';
const WAVE_MEDIUM = '👋🏽';

const bluesky = CAPABILITIES.bluesky.text;
const mastodon = CAPABILITIES.mastodon.text;
const x = CAPABILITIES.x.text;
const linkedin = CAPABILITIES.linkedin.text;

describe('graphemes (Bluesky)', () => {
  it('given a family emoji, a skin-toned wave and two kinds of flag, when counted, then each is one character', () => {
    const text = `Team day ${FAMILY}${WAVE_MEDIUM} ${FRANCE} ${ENGLAND}`;
    expect(countText(text, bluesky).used).toBe('Team day '.length + 2 + 1 + 1 + 1 + 1);
  });

  it('given decomposed accents (e + combining acute), when counted, then each letter is one character', () => {
    const text = 'Cafe\u0301 cre\u0300me bru\u0302le\u0301e';
    expect(text.length).toBe(21);
    expect(countText(text, bluesky).used).toBe('Café crème brûlée'.length);
  });

  it('given exactly 300 graphemes, when counted, then it fits; one more is over by one', () => {
    const atLimit = 'Spring sale starts Monday. '.repeat(11) + 'x'.repeat(3);
    expect(graphemeCount(atLimit)).toBe(300);
    expect(countText(atLimit, bluesky)).toEqual({ used: 300, limit: 300, remaining: 0, bytes: 300, over: false });
    const overByOne = countText(`${atLimit}!`, bluesky);
    expect(overByOne.remaining).toBe(-1);
    expect(overByOne.over).toBe(true);
  });

  it('given 150 family emoji, when counted, then 150 characters fit but 3,750 bytes break the 3,000-byte cap', () => {
    const count = countText(FAMILY.repeat(150), bluesky);
    expect(count.used).toBe(150);
    expect(count.remaining).toBe(150);
    expect(count.bytes).toBe(150 * 25);
    expect(count.over).toBe(true);
  });

  it('given a link, when counted on Bluesky, then it costs its full length (no fixed URL length)', () => {
    const text = 'Read it: https://example.com/blog/2025/launch-notes';
    expect(countText(text, bluesky).used).toBe(text.length);
  });

  it('given a platform with no byte cap, when counted, then no byte figure is reported', () => {
    expect(countText('Hello', mastodon).bytes).toBeUndefined();
  });
});

describe('graphemes with fixed-length URLs (Mastodon)', () => {
  it('given a long link, when counted, then it costs 23 and the trailing full stop stays text', () => {
    const text = 'New release notes: https://blog.joinmastodon.org/2024/10/mastodon-4.3/.';
    expect(mastodonCountableText(text, 23)).toBe(`New release notes: ${'x'.repeat(23)}.`);
    expect(countText(text, mastodon).used).toBe('New release notes: '.length + 23 + 1);
  });

  it('given a remote mention, when counted, then @user@domain costs only @user', () => {
    const text = 'Thanks @Gargron@mastodon.social for the boost!';
    expect(countText(text, mastodon).used).toBe('Thanks @Gargron for the boost!'.length);
  });

  it('given an e-mail address and a bare domain, when counted, then neither is shortened (Mastodon links only http(s) URLs)', () => {
    const text = 'Write to press@example.com or visit example.com';
    expect(countText(text, mastodon).used).toBe(text.length);
  });

  it('given a mention inside a link path, when counted, then the link is shortened and nothing else changes', () => {
    const text = 'Profile: https://mastodon.social/@Gargron@mastodon.social';
    expect(countText(text, mastodon).used).toBe('Profile: '.length + 23);
  });

  it('given 477 letters and a link, when counted, then it is exactly 500; one more letter is over', () => {
    const text = `${'a'.repeat(476)} https://example.com/a/very/long/path/that/keeps/going`;
    expect(countText(text, mastodon)).toEqual({ used: 500, limit: 500, remaining: 0, over: false });
    expect(countText(`a${text}`, mastodon).over).toBe(true);
  });

  it("given an instance that reported its own limit, when counted with that override, then the server's limit applies", () => {
    const count = countText('a'.repeat(600), { ...mastodon, limit: { value: 1000, verified: true } });
    expect(count).toEqual({ used: 600, limit: 1000, remaining: 400, over: false });
  });

  it('given emoji sequences, when counted on Mastodon, then each cluster is one character', () => {
    expect(countText(`${FAMILY}${FRANCE}${KEYCAP_ONE}`, mastodon).used).toBe(3);
  });
});

describe('twitter-text v3 weighting (X)', () => {
  it.each([
    ['Hi http://test.co', 26],
    ['https://www.twitter.com/aloha '.repeat(10), 240],
    [`285 chars- http://www.twitter.com/jack ${'xxxxxxxxxx-'.repeat(24)}`, 299],
    ['H🐱☺👨\u200D👩\u200D👧\u200D👦', 7],
    ['😷👾😡🔥💩', 10],
    ['🙋🏽👨\u200D🎤', 4],
    ['1\u20E3', 2],
    [`Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; ${ENGLAND}`, 34],
    ['Unicode 9.0 emoji: 🤠; 💃; 💃🏾', 29],
    ['randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com', 68],
    ['A\u0301B', 2],
    ['A\uFB2C', 4],
    ['ZWJ: क्ष -> क्\u200Dष; ZWNJ: क्ष -> क्\u200Cष', 35],
    ['\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069', 31],
    [FAMILY.repeat(140), 280],
  ])('given %j (conformance), when weighed, then it counts %i', (text, expected) => {
    expect(twitterWeightedLength(text)).toBe(expected);
  });

  it('given a Tang poem of 160 CJK characters (conformance), when counted, then it weighs 320 and is over', () => {
    const poem =
      '故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。' +
      '朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。' +
      '独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。';
    expect(countText(poem, x)).toEqual({ used: 320, limit: 280, remaining: -40, over: true });
    expect(countText(`the${poem}`, x).used).toBe(323);
  });

  it('given 140 Japanese characters, when counted, then they fill X exactly; 141 are over', () => {
    const line = 'あいうえおかきくけこ'.repeat(14);
    expect(countText(line, x)).toEqual({ used: 280, limit: 280, remaining: 0, over: false });
    expect(countText(`${line}さ`, x).over).toBe(true);
  });

  it("given an IDN host whose punycode label passes 63 characters (conformance), when weighed, then it isn't a link", () => {
    const lead = 'あいうえおかきくけこ'.repeat(12);
    expect(twitterWeightedLength(`${lead} http://${'あいうえおかきくけこ'.repeat(5)}あいう.com`)).toBe(358);
    expect(twitterWeightedLength(`${lead} http://${'あいうえおかきくけこ'.repeat(5)}あい.com`)).toBe(264);
  });

  it("given characters on each side of twitter-text's range edges, when weighed, then inside counts 1 and outside 2", () => {
    expect(twitterWeightedLength('\u10FF')).toBe(1); // last of 0-4351
    expect(twitterWeightedLength('\u1100')).toBe(2); // Hangul choseong, first after it
    expect(twitterWeightedLength('\u2010')).toBe(1); // hyphen, 8208-8223
    expect(twitterWeightedLength('\u2020')).toBe(2); // dagger, 8224
    expect(twitterWeightedLength('\u2032')).toBe(1); // prime, 8242-8247
    expect(twitterWeightedLength('\u2038')).toBe(2); // caret, 8248
    expect(twitterWeightedLength('\u200D')).toBe(1); // ZWJ, end of 8192-8205
    expect(twitterWeightedLength('\u200E')).toBe(2); // LRM, 8206
    expect(twitterWeightedLength('€')).toBe(2); // U+20AC: a currency sign costs 2 on X
  });

  it('given emoji in their text and emoji presentations, when weighed, then only the emoji forms count as one unit', () => {
    expect(twitterWeightedLength('©')).toBe(1);
    expect(twitterWeightedLength('©\uFE0F')).toBe(2);
    expect(twitterWeightedLength('☺\uFE0E')).toBe(4); // text presentation: two code points of weight 2
    expect(twitterWeightedLength(KEYCAP_ONE)).toBe(2);
    expect(twitterWeightedLength(`${FRANCE}${ENGLAND}`)).toBe(4);
    expect(twitterWeightedLength('❤\uFE0F')).toBe(2);
  });

  it('given links in every form X links, when weighed, then each costs 23 and punctuation after it is text', () => {
    expect(twitterWeightedLength('Test https://test.com test https://test.com test.com test')).toBe(86);
    expect(twitterWeightedLength('Shop: www.example-store.com/spring?utm_source=x!')).toBe('Shop: '.length + 23 + 1);
    expect(twitterWeightedLength('Docs at example.de, example.co.jp and t.co.')).toBe('Docs at ,  and .'.length + 3 * 23);
    expect(twitterWeightedLength('See https://en.wikipedia.org/wiki/Bolt_(film). Then vote')).toBe('See . Then vote'.length + 23);
    expect(twitterWeightedLength('(https://example.com/pricing)')).toBe(2 + 23);
  });

  it('given text that only looks like a link, when weighed, then it counts by its characters', () => {
    for (const text of ['Email hello@example.com today', 'Built with Node.js and Vue.js', '#example.com', 'ftp://example.com/file']) {
      const urlFree = twitterWeightedLength(text);
      expect(urlFree, text).toBe(text.length);
    }
  });

  it('given a link followed directly by Chinese, when weighed, then the link stops before the Chinese text', () => {
    expect(twitterWeightedLength('https://example.com是')).toBe(23 + 2);
  });

  it('given 280 ASCII characters, when counted, then remaining is 0; with one emoji more it is over by 2', () => {
    const text = 'Launch week: '.repeat(21) + 'x'.repeat(7);
    expect(countText(text, x)).toEqual({ used: 280, limit: 280, remaining: 0, over: false });
    expect(countText(`${text}🚀`, x)).toEqual({ used: 282, limit: 280, remaining: -2, over: true });
  });
});

describe('UTF-16 code units (Facebook, Instagram, LinkedIn)', () => {
  it('given emoji, when counted, then astral characters cost 2 and a ZWJ family costs 11', () => {
    expect(countText('🚀', linkedin).used).toBe(2);
    expect(countText(FAMILY, linkedin).used).toBe(11);
    expect(countText('Café', linkedin).used).toBe(4);
  });

  it('given a 3,001-unit LinkedIn post, when counted, then it is one over', () => {
    expect(countText('a'.repeat(3001), linkedin)).toEqual({ used: 3001, limit: 3000, remaining: -1, over: true });
  });
});

describe('building blocks', () => {
  it('given characters of each UTF-8 length, when sized, then the bytes match TextEncoder', () => {
    for (const text of ['a', 'é', '€', '😀', FAMILY, ENGLAND, 'Grüße aus Köln']) {
      expect(utf8ByteLength(text), text).toBe(new TextEncoder().encode(text).length);
    }
    expect(utf8ByteLength('\uD83D')).toBe(3); // a lone surrogate becomes U+FFFD
  });

  it('given a sentence with three links, when searched, then the offsets slice out exactly the links', () => {
    const text = 'Menu: https://cafe.example.com/menu, order at www.cafe-order.com or call. Site: cafe.de.';
    const found = findUrls(text, { bareDomains: true });
    expect(found.map((u) => u.url)).toEqual(['https://cafe.example.com/menu', 'www.cafe-order.com', 'cafe.de']);
    for (const u of found) expect(text.slice(u.start, u.end)).toBe(u.url);
    expect(findUrls(text, { bareDomains: false }).map((u) => u.url)).toEqual(['https://cafe.example.com/menu']);
  });

  it('given a long run of dotted words, when searched, then it finishes quickly (no runaway backtracking)', () => {
    const text = `${'a.'.repeat(20_000)}!`;
    const started = performance.now();
    findUrls(text, { bareDomains: true });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
