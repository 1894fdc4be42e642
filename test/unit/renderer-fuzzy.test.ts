// The command palette's and pickers' matching: what a person types finds what they meant.
import { describe, expect, it } from 'vitest';
import { fold, fuzzyFilter, fuzzyMatch } from '../../renderer/lib/fuzzy';

const titles = ['Go to Dashboard', 'Go to Compose', 'Go to Calendar', 'Go to Campaigns', 'Go to Settings', 'New workspace…', 'Switch to Kōfi & Crumb', 'Toggle light / dark theme'];
const best = (q: string) => fuzzyFilter(titles, q, (t) => t)[0]?.item;

describe('renderer fuzzy matching', () => {
  it('given a run of letters, when filtering, then the title containing it ranks first', () => {
    expect(best('calen')).toBe('Go to Calendar');
    expect(best('dark')).toBe('Toggle light / dark theme');
    expect(best('set')).toBe('Go to Settings');
  });

  it('given word initials, when filtering, then they match word starts', () => {
    expect(fuzzyMatch('gs', 'Go to Settings')?.indices).toEqual([0, 6]);
    expect(best('nw')).toBe('New workspace…');
  });

  it('given letters scattered inside words, when filtering, then nothing matches (no noise)', () => {
    expect(fuzzyMatch('calen', 'Go to Campaigns')).toBeNull();
    expect(fuzzyMatch('calen', 'New workspace… create add brand client')).toBeNull();
  });

  it('given several words, when filtering, then every word must match', () => {
    expect(fuzzyMatch('go cal', 'Go to Calendar')).not.toBeNull();
    expect(fuzzyMatch('go xyz', 'Go to Calendar')).toBeNull();
  });

  it('given a query without accents, when the title has them, then it still matches and highlights the original letters', () => {
    const m = fuzzyMatch('kofi', 'Switch to Kōfi & Crumb');
    expect(m?.indices).toEqual([10, 11, 12, 13]);
    expect(fold('Kōfi')).toBe('kofi');
    expect(fold('Straße').length).toBe('Straße'.length);
  });

  it('given an empty query, when filtering, then every item is kept in its order', () => {
    expect(fuzzyFilter(titles, '  ', (t) => t).map((r) => r.item)).toEqual(titles);
  });

  it('given timezone ids with separators, when searching by city words, then the zone is found', () => {
    const zones = ['America/New_York', 'America/Newfoundland', 'Asia/Tokyo', 'Europe/Paris'].map((z) => z.replace(/[/_]/g, ' '));
    expect(fuzzyFilter(zones, 'new york', (z) => z)[0]?.item).toBe('America New York');
    expect(fuzzyFilter(zones, 'tokyo', (z) => z).map((r) => r.item)).toEqual(['Asia Tokyo']);
  });
});
