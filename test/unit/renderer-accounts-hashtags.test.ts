// Default hashtags as chips: what the user types becomes the tags the engine will save, so the
// chips on screen never differ from what Save stores.
import { describe, expect, it } from 'vitest';
import { normaliseHashtags } from '../../electron/core/accounts/accounts';
import { addHashtags, hashtagsProblem, normaliseHashtag, sameTags, splitHashtags } from '../../renderer/pages/accounts/hashtags';

describe('hashtag chips', () => {
  it('given tags typed every which way, then each becomes one #tag with its case kept', () => {
    expect(normaliseHashtag('bread')).toBe('#bread');
    expect(normaliseHashtag('  #Bread ')).toBe('#Bread');
    expect(normaliseHashtag('##bread')).toBe('#bread');
    expect(normaliseHashtag('#')).toBeNull();
    expect(normaliseHashtag('   ')).toBeNull();
  });

  it('given a pasted list, then commas, semicolons, spaces and new lines all separate tags', () => {
    expect(splitHashtags('#Bread, sourdough;  ##coffee\nkōfi')).toEqual(['#Bread', '#sourdough', '#coffee', '#kōfi']);
    expect(splitHashtags(' , ; ')).toEqual([]);
  });

  it('given a tag already in the list in another case, then it is not added twice', () => {
    expect(addHashtags(['#Bread'], ['#bread', '#coffee', '#COFFEE'])).toEqual(['#Bread', '#coffee']);
  });

  it('given the same typing, then the chips equal what the engine saves (accounts.updateSettings normalises the same way)', () => {
    const typed = ['#Bread', ' sourdough ', '##bread', '#', 'two words', 'Kōfi', '#kōfi', 'coffee'];
    // One chip per entry, as the field commits them.
    const chips = typed.reduce<string[]>((list, t) => {
      const tag = normaliseHashtag(t);
      return tag ? addHashtags(list, [tag]) : list;
    }, []);
    expect(chips).toEqual(normaliseHashtags(typed));
  });

  it('given too many or too long tags, then the field says which limit, before the engine refuses', () => {
    expect(hashtagsProblem(Array.from({ length: 31 }, (_, i) => `#t${i}`))).toBe('Keep it to 30 hashtags or fewer (there are 31).');
    expect(hashtagsProblem([`#${'a'.repeat(100)}`])).toMatch(/is longer than 100 characters\.$/);
    expect(hashtagsProblem(['#bread'])).toBeNull();
  });

  it('given two lists, then they are the same only in the same order', () => {
    expect(sameTags(['#a', '#b'], ['#a', '#b'])).toBe(true);
    expect(sameTags(['#a', '#b'], ['#b', '#a'])).toBe(false);
    expect(sameTags([], ['#a'])).toBe(false);
  });
});
