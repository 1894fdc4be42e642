// What an OS notification may show of a stranger's words: the OS draws it outside our CSP and
// without our bidi isolation, so it gets plain single-line text only.

/** Plain one-line text: no control, bidi-override or zero-width characters; cut with an ellipsis. */
export function notificationText(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
