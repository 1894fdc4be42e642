// Web mode's token: taken from the URL once, kept for the tab, removed from the address bar.
import { describe, expect, it } from 'vitest';
import { TOKEN_STORAGE_KEY, bootToken, tokenFromHash } from '../../renderer/api/token';
import { fieldErrors } from '../../renderer/lib/issues';

function env(hash: string, stored: string | null = null) {
  const store = new Map<string, string>(stored ? [[TOKEN_STORAGE_KEY, stored]] : []);
  const replaced: string[] = [];
  return {
    store,
    replaced,
    boot: {
      location: { hash, pathname: '/', search: '' },
      history: { replaceState: (_d: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
      storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
    },
  };
}

describe('renderer token boot', () => {
  it('given #token=…, when reading the hash, then the token is returned', () => {
    expect(tokenFromHash('#token=ab12')).toBe('ab12');
    expect(tokenFromHash('#token=ab12&x=1')).toBe('ab12');
    expect(tokenFromHash('#/dashboard')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });

  it('given a token in the URL, when booting, then it is stored for the tab and the hash becomes the start route', () => {
    const e = env('#token=feed');
    expect(bootToken(e.boot)).toBe('feed');
    expect(e.store.get(TOKEN_STORAGE_KEY)).toBe('feed');
    expect(e.replaced).toEqual(['/#/']);
  });

  it('given a reload (no token in the URL), when booting, then the stored token is used and the route is left alone', () => {
    const e = env('#/settings', 'feed');
    expect(bootToken(e.boot)).toBe('feed');
    expect(e.replaced).toEqual([]);
  });

  it('given a new link with a new token, when booting, then the new token replaces the stored one', () => {
    const e = env('#token=new', 'old');
    expect(bootToken(e.boot)).toBe('new');
    expect(e.store.get(TOKEN_STORAGE_KEY)).toBe('new');
  });
});

describe('renderer validation issues on fields', () => {
  const fields = ['name', 'timezone'] as const;

  it('given issues with paths, when mapping, then each lands on its field as a sentence, first issue wins', () => {
    const errs = fieldErrors(
      [
        { path: ['name'], message: 'a brand name is needed' },
        { path: ['name'], message: 'too long' },
        { path: ['timezone'], message: 'not a known IANA timezone, e.g. "Europe/Paris"' },
      ],
      fields,
    );
    expect(errs).toEqual({ name: 'A brand name is needed.', timezone: 'Not a known IANA timezone, e.g. "Europe/Paris".' });
  });

  it('given issues under a prefix (workspaces.update patch), when mapping, then the prefix is skipped; unknown paths go to the form', () => {
    const errs = fieldErrors(
      [
        { path: ['patch', 'name'], message: 'Too small' },
        { path: ['workspaceId'], message: 'not a valid id' },
      ],
      fields,
      ['patch'],
    );
    expect(errs).toEqual({ name: 'Too small.', _form: 'Not a valid id.' });
  });
});
