// The one rule for links that leave the app, shared by the main process (before the OS opens a
// link) and the renderer (before a stranger's text becomes clickable).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { externalHref, isAllowedExternalUrl } from '../../electron/host/external-url';

describe('externalHref', () => {
  it('given web and mail links, when checked, then they are allowed and come back re-serialised', () => {
    expect(externalHref('https://example.com')).toBe('https://example.com/');
    expect(externalHref('HTTP://Example.COM/a b?q=1')).toBe('http://example.com/a%20b?q=1');
    expect(externalHref('mailto:hello@example.com')).toBe('mailto:hello@example.com');
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vbscript:msgbox',
    'ms-settings:display',
    'https://bank.example@evil.example/',
    'https://user:pass@example.com/',
    'http://',
    'not a url',
    '',
  ])('given %j, when checked, then it is refused', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
    expect(externalHref(url)).toBeNull();
  });

  it('given a link longer than any real one, when checked, then it is refused without parsing', () => {
    expect(externalHref(`https://example.com/${'a'.repeat(9000)}`)).toBeNull();
  });

  it('given the renderer imports the pure check, when linted, then the boundary allows it (and still refuses the rest of the host)', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const lint = async (code: string) => {
      const [r] = await eslint.lintText(code, { filePath: 'renderer/components/x.ts' });
      return (r?.messages ?? []).filter((m) => m.ruleId?.endsWith('no-restricted-imports'));
    };
    expect(await lint(`import { externalHref } from '../../electron/host/external-url';\nexport const x = externalHref;\n`)).toEqual([]);
    expect(await lint(`import { openExternalSafely } from '../../electron/host/security';\nexport const x = openExternalSafely;\n`)).not.toEqual([]);
  });
});
