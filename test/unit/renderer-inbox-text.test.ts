// Strangers' text in the inbox: which addresses become links (only http(s) the app would open),
// and what plain text can still do to a layout — lone surrogates, controls in a name, 100 kB.
import { describe, expect, it } from 'vitest';
import { linkify, type Run } from '../../renderer/pages/inbox/linkify';
import { clip, CLIP_CHARS, oneLine, wellFormed } from '../../renderer/pages/inbox/safe-text';

const links = (runs: Run[]) => runs.filter((r) => r.kind === 'link').map((r) => (r.kind === 'link' ? r.href : ''));
const joined = (runs: Run[]) => runs.map((r) => r.text).join('');

describe('linkify', () => {
  it('given a message with web addresses, when linkified, then each becomes a link with its re-serialised address and no text is lost', () => {
    const text = 'Menu: https://kofi.example/menu?day=sat, and photos at http://photos.example/a_(b). Thanks!';
    const runs = linkify(text);
    expect(links(runs)).toEqual(['https://kofi.example/menu?day=sat', 'http://photos.example/a_(b)']);
    expect(joined(runs)).toBe(text);
  });

  it('given a link inside parentheses or ending a sentence, when linkified, then the punctuation stays text', () => {
    expect(links(linkify('(see https://a.example/x).'))).toEqual(['https://a.example/x']);
    expect(links(linkify('"https://a.example/q?x=1"!'))).toEqual(['https://a.example/q?x=1']);
  });

  it.each([
    ['javascript:', 'click javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['file:', 'file:///etc/passwd'],
    ['bare domains', 'www.example.com and example.com'],
    ['credentials in the host', 'https://bank.example@evil.example/login'],
    ['a custom scheme', 'ms-settings:privacy'],
  ])('given %s, when linkified, then nothing is a link and the text is intact', (_what, text) => {
    const runs = linkify(text);
    expect(links(runs)).toEqual([]);
    expect(joined(runs)).toBe(text);
  });

  it('given a bidi override or a zero-width joiner inside an address, when linkified, then the link stops there and the rest is text', () => {
    const text = 'https://good.example/\u202Egpj.exe and https://a.example\u200Dhttps://b.example';
    const runs = linkify(text);
    expect(links(runs)).toEqual(['https://good.example/', 'https://a.example/', 'https://b.example/']);
    expect(joined(runs)).toBe(text);
  });

  it('given a "javascript:" prefix glued to a web address, when linkified, then only the web address is a link', () => {
    expect(links(linkify('javascript:https://evil.example/'))).toEqual(['https://evil.example/']);
  });

  it('given an address longer than any real one, when linkified, then it stays text', () => {
    const long = `https://a.example/${'x'.repeat(3000)}`;
    expect(links(linkify(long))).toEqual([]);
    expect(joined(linkify(long))).toBe(long);
  });

  it('given 100 kB of text with links, when linkified, then it is quick and complete', () => {
    const text = 'word https://a.example/p '.repeat(4000);
    const t0 = performance.now();
    const runs = linkify(text);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(links(runs)).toHaveLength(4000);
    expect(joined(runs)).toBe(text);
  });
});

describe('safe text', () => {
  it('given lone surrogates, when made well-formed, then they become U+FFFD and valid pairs stay', () => {
    expect(wellFormed('a\uD800b\uDC00c😀')).toBe('a\uFFFDb\uFFFDc😀');
    expect(wellFormed('\uD83D')).toBe('\uFFFD');
  });

  it('given a name with newlines, tabs and escapes, when shown on one line, then they fold to single spaces', () => {
    expect(oneLine('Ana\n\n\tPérez\u001b[31m')).toBe('Ana Pérez [31m');
    expect(oneLine(null)).toBe('');
  });

  it('given a one-line label too long, when cut, then it ends with an ellipsis and never splits an emoji', () => {
    const s = `${'a'.repeat(9)}😀😀`;
    expect(oneLine(s, 11)).toBe(`${'a'.repeat(9)}…`);
    expect(oneLine('short', 11)).toBe('short');
  });

  it('given a 100 kB message, when clipped, then about the first 4000 characters are laid out at a word boundary and the rest is counted', () => {
    const text = 'lorem ipsum '.repeat(9000);
    const c = clip(text);
    expect(c.text.length).toBeLessThanOrEqual(CLIP_CHARS);
    expect(c.text.length).toBeGreaterThan(CLIP_CHARS * 0.8);
    expect(c.text.endsWith('ipsum') || c.text.endsWith('lorem')).toBe(true);
    expect(c.text.length + c.hidden).toBe(text.length);
  });

  it('given one unbroken 100 kB word of emoji, when clipped, then the cut never splits a surrogate pair', () => {
    const c = clip('😀'.repeat(50_000), 4001);
    expect(wellFormed(c.text)).toBe(c.text);
    expect(c.hidden).toBeGreaterThan(0);
  });

  it('given a normal message, when clipped, then it is untouched', () => {
    expect(clip('hello')).toEqual({ text: 'hello', hidden: 0 });
  });
});
