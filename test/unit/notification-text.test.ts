import { describe, expect, it } from 'vitest';
import { notificationText } from '../../electron/host/notification-text';

describe('notification text', () => {
  it('given an RTL override and zero-width characters, when prepared, then they are gone and the words stay in order', () => {
    expect(notificationText('refund\u202Egnp.exe\u200B now', 100)).toBe('refund gnp.exe now');
  });
  it('given line breaks and tabs, when prepared, then it is one line', () => {
    expect(notificationText('a\n\nb\tc', 100)).toBe('a b c');
  });
  it('given text longer than the limit, when prepared, then it is cut on a code point with an ellipsis', () => {
    const out = notificationText('😀'.repeat(10), 5);
    expect(out).toBe('😀😀😀😀…');
    expect([...out]).toHaveLength(5);
  });
  it('given markup, when prepared, then it stays literal text (the OS shows it, nothing renders it)', () => {
    expect(notificationText('<img src=x onerror=alert(1)>', 100)).toBe('<img src=x onerror=alert(1)>');
  });
});
