// The CSV import dialog and the posts table in words: the chosen file decoded as the engine
// decodes one from disk, what a previewed row becomes, the Import button that waits until every
// row is fine, and the status badge that says "Published on 2 of 3".
import { describe, expect, it } from 'vitest';
import type { PostView } from '../../renderer/pages/calendar/post-info';
import { columnsLine, decodeCsv, fileProblem, importButton, importedLine, rowOutcome, summaryLine, type CsvRow } from '../../renderer/pages/queue/posts-csv';
import { postBadge, postTime, targetLabel } from '../../renderer/pages/queue/posts-labels';

const ACCOUNTS = [
  { id: 'acc-bsky', platform: 'bluesky', username: 'kofi-and-crumb.bsky.social', displayName: 'Kōfi & Crumb' },
  { id: 'acc-masto', platform: 'mastodon', username: null, displayName: 'Kōfi on Mastodon' },
];

describe('reading the chosen file', () => {
  const csv = 'text,accounts,time\n"Café crème, 2 for 1 ☕",@kofi,2026-05-01 09:00\n';

  it('given UTF-8 with or without a BOM, then the text is read as written', () => {
    const bytes = new TextEncoder().encode(csv);
    expect(decodeCsv(bytes)).toEqual({ text: csv, encoding: 'utf-8' });
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(decodeCsv(withBom).text).toBe(`\uFEFF${csv}`);
  });

  it('given Excel’s UTF-16 with a BOM, then it is read as UTF-16', () => {
    const body = Buffer.from(csv, 'utf16le');
    expect(decodeCsv(new Uint8Array([0xff, 0xfe, ...body]))).toEqual({ text: csv, encoding: 'utf-16le' });
  });

  it('given Windows-1252 bytes (not valid UTF-8), then é and € come out right', () => {
    // "Café 5€" in Windows-1252: é = 0xE9, € = 0x80.
    const bytes = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x35, 0x80]);
    expect(decodeCsv(bytes)).toEqual({ text: 'Café 5€', encoding: 'windows-1252' });
  });

  it('refuses an empty file, one over 5 MB and a spreadsheet, saying what to do', () => {
    expect(fileProblem({ name: 'posts.csv', size: 1200 })).toBeNull();
    expect(fileProblem({ name: 'posts.csv', size: 0 })).toMatch(/is empty/);
    expect(fileProblem({ name: 'big.csv', size: 6 * 1024 * 1024 })).toBe('big.csv is 6.0 MB; Postdesk imports files up to 5 MB. Split it into smaller files.');
    expect(fileProblem({ name: 'Plan.xlsx', size: 9000 })).toMatch(/is a spreadsheet, not a CSV.*Export/);
  });
});

describe('the preview', () => {
  it('given rows to fix, then Import is disabled and says how many; given none, then it names the posts', () => {
    expect(importButton({ total: 3, ok: 2, failed: 1 })).toEqual({ label: 'Fix 1 row to import', disabled: true });
    expect(importButton({ total: 5, ok: 2, failed: 3 })).toEqual({ label: 'Fix 3 rows to import', disabled: true });
    expect(importButton({ total: 3, ok: 3, failed: 0 })).toEqual({ label: 'Import 3 posts', disabled: false });
    expect(importButton({ total: 1, ok: 1, failed: 0 })).toEqual({ label: 'Import 1 post', disabled: false });
    expect(summaryLine({ total: 3, ok: 2, failed: 1 })).toBe('3 rows · 2 ready · 1 to fix');
    expect(summaryLine({ total: 1, ok: 1, failed: 0 })).toBe('1 row · 1 ready');
  });

  it('says which column each field came from', () => {
    expect(columnsLine({ text: 'Post', accounts: 'Channel', time: 'Date + Time', first_comment: 'first_comment' })).toBe(
      'text from “Post”, accounts from “Channel”, time from “Date + Time”, first comment from “first_comment”',
    );
  });

  it('given a good row, then it becomes its text, its accounts by handle and network, its time on the workspace clock and its files by name', () => {
    const row: CsvRow = {
      line: 2,
      ok: true,
      errors: [],
      warnings: [],
      post: {
        text: 'Sourdough Saturday\nCome early.',
        accountIds: ['acc-bsky', 'acc-masto'],
        publishAt: Date.UTC(2026, 4, 2, 7, 30),
        mediaPaths: ['/Users/sam/Pictures/loaf.jpg', 'C:\\Users\\sam\\crumb.png'],
        firstComment: 'Menu in the comments',
        hashtags: ['#sourdough'],
      },
    };
    expect(rowOutcome(row, ACCOUNTS, 'Europe/Paris', Date.UTC(2026, 3, 1), 'en-GB')).toEqual({
      text: 'Sourdough Saturday\nCome early.',
      accounts: ['@kofi-and-crumb.bsky.social (Bluesky)', 'Kōfi on Mastodon (Mastodon)'],
      when: 'Sat 2 May, 09:30',
      scheduled: true,
      media: ['loaf.jpg', 'crumb.png'],
      hashtags: ['#sourdough'],
      firstComment: 'Menu in the comments',
    });
  });

  it('given a row with no time, then it becomes a draft; given a bad row, then it becomes nothing', () => {
    const draft: CsvRow = { line: 3, ok: true, errors: [], warnings: ['No time given: this post will be imported as a draft.'], post: { text: 'Later', accountIds: ['acc-bsky'], publishAt: null, mediaPaths: [], firstComment: null, hashtags: [] } };
    expect(rowOutcome(draft, ACCOUNTS, 'UTC', 0)?.when).toBe('Draft — no time');
    expect(rowOutcome(draft, ACCOUNTS, 'UTC', 0)?.scheduled).toBe(false);
    const bad: CsvRow = { line: 4, ok: false, errors: ['No connected account matches "@nobody".'], warnings: [] };
    expect(rowOutcome(bad, ACCOUNTS, 'UTC', 0)).toBeNull();
  });

  it('sums up an import', () => {
    expect(importedLine({ created: 3, scheduled: 2 })).toBe('Imported 3 posts: 2 scheduled, 1 as a draft.');
    expect(importedLine({ created: 1, scheduled: 1 })).toBe('Imported 1 post: 1 scheduled.');
    expect(importedLine({ created: 4, scheduled: 0 })).toBe('Imported 4 posts: 4 as drafts.');
  });
});

type Target = PostView['targets'][number];
const target = (status: Target['status'], errorMessage: string | null = null): Pick<Target, 'status' | 'accountName' | 'errorMessage'> => ({ status, accountName: 'kofi.bsky.social', errorMessage });

describe('the posts table in words', () => {
  it('given a post published on 2 of its 3 accounts, then the badge says so and the tooltip says what happened to the third', () => {
    const b = postBadge({ status: 'partially_published', rejectionNote: null, targets: [target('published'), target('failed'), target('published')] as Target[] });
    expect(b).toEqual({ label: 'Published on 2 of 3', tone: 'warning', help: 'It went out to 2 of its 3 accounts (1 failed).' });
  });

  it('given other statuses, then each reads as a person would say it', () => {
    expect(postBadge({ status: 'published', rejectionNote: null, targets: [target('published'), target('published')] as Target[] }).label).toBe('Published on all 2');
    expect(postBadge({ status: 'published', rejectionNote: null, targets: [target('published')] as Target[] }).label).toBe('Published');
    expect(postBadge({ status: 'publishing', rejectionNote: null, targets: [target('published'), target('publishing')] as Target[] }).label).toBe('Publishing (1 of 2 out)');
    expect(postBadge({ status: 'rejected', rejectionNote: 'Use the spring photo', targets: [] }).help).toBe('Rejected: Use the spring photo');
    expect(postBadge({ status: 'scheduled', rejectionNote: null, targets: [target('scheduled')] as Target[] })).toMatchObject({ label: 'Scheduled', tone: 'accent' });
  });

  it('names a target’s status, with the network’s error in the tooltip', () => {
    expect(targetLabel(target('failed', 'Bluesky refused the post: the text is 312 characters and the limit is 300.'), 'Bluesky')).toEqual({
      status: 'Failed',
      tone: 'danger',
      title: 'Bluesky · kofi.bsky.social — Failed: Bluesky refused the post: the text is 312 characters and the limit is 300.',
    });
  });

  it('writes a post’s time with its day on the workspace clock, and the year only when it is not this one', () => {
    const now = Date.UTC(2026, 2, 1);
    expect(postTime(Date.UTC(2026, 2, 29, 7, 30), now, 'Europe/Paris', 'en-GB')).toBe('Sun 29 Mar, 09:30');
    expect(postTime(Date.UTC(2026, 2, 29, 7, 30), now, 'America/New_York', 'en-GB')).toBe('Sun 29 Mar, 03:30');
    expect(postTime(Date.UTC(2027, 0, 4, 9, 0), now, 'UTC', 'en-GB')).toBe('Mon, 4 Jan 2027, 09:00');
  });
});
