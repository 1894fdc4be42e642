// The inbox's words for time and people: compact "time ago" in rows, the reply window as a
// countdown, the snooze menu's moments on the workspace's clock, and initials for avatars.
import { describe, expect, it } from 'vitest';
import { avatarColour, AVATAR_COLOURS, initials } from '../../renderer/pages/inbox/avatar';
import { durationLeft, replyWindowInfo, snoozeChoices, timeAgo } from '../../renderer/pages/inbox/inbox-time';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;
const NOW = Date.UTC(2026, 10, 25, 14, 30); // Wed 25 Nov 2026, 14:30 UTC

describe('timeAgo', () => {
  it('given moments in the last minute (or a clock slightly ahead), when shown in a row, then they read "now"', () => {
    expect(timeAgo(NOW, NOW)).toBe('now');
    expect(timeAgo(NOW - 59 * S, NOW)).toBe('now');
    expect(timeAgo(NOW + 2 * MIN, NOW)).toBe('now');
  });

  it('given minutes, hours and days ago, when shown, then the unit grows with the distance and rounds down', () => {
    expect(timeAgo(NOW - 5 * MIN - 50 * S, NOW)).toBe('5m');
    expect(timeAgo(NOW - 59 * MIN, NOW)).toBe('59m');
    expect(timeAgo(NOW - 3 * H - 59 * MIN, NOW)).toBe('3h');
    expect(timeAgo(NOW - 2 * DAY, NOW)).toBe('2d');
    expect(timeAgo(NOW - 6 * DAY - 23 * H, NOW)).toBe('6d');
  });

  it('given a week or more ago, when shown, then it is a date, with the year only when it is another year', () => {
    expect(timeAgo(Date.UTC(2026, 2, 4, 12), NOW, 'UTC', 'en-GB')).toBe('4 Mar');
    expect(timeAgo(Date.UTC(2024, 2, 4, 12), NOW, 'UTC', 'en-GB')).toBe('4 Mar 2024');
  });

  it('given no time, when shown, then nothing is shown', () => {
    expect(timeAgo(null, NOW)).toBe('');
    expect(timeAgo(Number.NaN, NOW)).toBe('');
  });
});

describe('durationLeft and replyWindowInfo', () => {
  it('given what is left of a window, when described, then minutes, hours with minutes, then days with hours', () => {
    expect(durationLeft(30 * S)).toBe('less than a minute');
    expect(durationLeft(45 * MIN + 59 * S)).toBe('45 min');
    expect(durationLeft(3 * H + 12 * MIN + 30 * S)).toBe('3 h 12 min');
    expect(durationLeft(2 * H)).toBe('2 h');
    expect(durationLeft(DAY)).toBe('1 day');
    expect(durationLeft(6 * DAY + 4 * H + 10 * MIN)).toBe('6 days 4 h');
  });

  it('given a Meta DM window closing in 3 h 12 min, when shown, then the user reads how long they can still reply', () => {
    expect(replyWindowInfo({ closesAt: NOW + 3 * H + 12 * MIN, open: true, reason: null }, NOW)).toEqual({ canReply: true, text: 'You can reply for 3 h 12 min', urgent: false });
    expect(replyWindowInfo({ closesAt: NOW + 20 * MIN, open: true, reason: null }, NOW).urgent).toBe(true);
  });

  it('given a network without a window, when shown, then there is nothing to say and sending is allowed', () => {
    expect(replyWindowInfo({ closesAt: null, open: true, reason: null }, NOW)).toEqual({ canReply: true, text: null, urgent: false });
  });

  it('given a closed window, when shown, then the reason is given and sending is off', () => {
    const reason = 'Instagram allows a reply only within 24 hours of the customer’s last message.';
    expect(replyWindowInfo({ closesAt: NOW - H, open: false, reason }, NOW)).toEqual({ canReply: false, text: reason, urgent: false });
  });

  it('given a window that was open when read but has run out since, when shown, then sending is off and the user is told why', () => {
    const info = replyWindowInfo({ closesAt: NOW - S, open: true, reason: null }, NOW);
    expect(info.canReply).toBe(false);
    expect(info.text).toMatch(/reply window has closed/);
  });
});

describe('snoozeChoices', () => {
  it('given a Wednesday afternoon in Tokyo, when the snooze menu opens, then tomorrow and next Monday are 9:00 on Tokyo’s clock', () => {
    // 14:30 UTC is 23:30 in Tokyo, still Wednesday there.
    const [hour, tomorrow, week] = snoozeChoices(NOW, 'Asia/Tokyo');
    expect(hour?.until).toBe(NOW + H);
    expect(tomorrow?.until).toBe(Date.UTC(2026, 10, 26, 0)); // Thu 09:00 JST
    expect(week?.until).toBe(Date.UTC(2026, 10, 30, 0)); // Mon 30 Nov 09:00 JST
  });

  it('given the workspace’s day is already Thursday (just after midnight in Tokyo), when snoozing to tomorrow, then it is Friday 9:00 there', () => {
    const at = Date.UTC(2026, 10, 25, 15, 30); // 00:30 Thursday in Tokyo
    expect(snoozeChoices(at, 'Asia/Tokyo')[1]?.until).toBe(Date.UTC(2026, 10, 27, 0));
  });

  it('given a Monday, when snoozing to next week, then it is the following Monday, not today', () => {
    const monday = Date.UTC(2026, 10, 23, 8); // Mon 08:00 UTC
    expect(snoozeChoices(monday, 'UTC')[2]?.until).toBe(Date.UTC(2026, 10, 30, 9));
  });

  it('given New York on the night the clocks go back, when snoozing to tomorrow, then it is 9:00 local (14:00 UTC, not 13:00)', () => {
    const sat = Date.UTC(2026, 9, 31, 22); // Sat 31 Oct 18:00 EDT
    expect(snoozeChoices(sat, 'America/New_York')[1]?.until).toBe(Date.UTC(2026, 10, 1, 14));
  });
});

describe('initials and avatar colour', () => {
  it('given ordinary names and handles, when initials are taken, then first and last word, upper-case', () => {
    expect(initials('Ana María Pérez')).toBe('AP');
    expect(initials('émile')).toBe('É');
    expect(initials('李小龙')).toBe('李');
    expect(initials(null, '@kofi.bsky.social')).toBe('K');
    expect(initials('', 'kofi')).toBe('K');
  });

  it('given hostile names, when initials are taken, then only letters count (no markup, no bidi override, no joiner)', () => {
    expect(initials('<script>alert(1)</script>')).toBe('SS');
    expect(initials('\u202Eevil\u202C name')).toBe('EN');
    expect(initials('\u200D\u200D')).toBe('?');
    expect(initials('👩‍👩‍👧 family')).toBe('F');
    expect(initials('\uD800 broken')).toBe('B');
  });

  it('given nothing usable, when initials are taken, then a question mark', () => {
    expect(initials(null)).toBe('?');
    expect(initials('   ', '...')).toBe('?');
  });

  it('given a name, when its colour is picked, then it is stable and within the palette', () => {
    expect(avatarColour('Ana María Pérez')).toBe(avatarColour('Ana María Pérez'));
    const seen = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map(avatarColour));
    expect(seen.size).toBeGreaterThan(3);
    for (const c of seen) expect(c >= 0 && c < AVATAR_COLOURS).toBe(true);
  });
});
