// CSV import of posts: the parser on what spreadsheets really export, the preview's row-level
// verdicts in a marketer's words, and a commit that imports everything or nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  CSV_MAX_ROWS,
  CsvImportError,
  columnLetter,
  commitCsvImport,
  parseCsvTime,
  previewCsvImport,
  type CsvAccount,
  type CsvImportContext,
  type ParsedPost,
} from '../../electron/core/posts/csv-import';
import { CsvSyntaxError, decodeCsvBytes, parseCsv, sniffDelimiter } from '../../electron/core/posts/csv-parse';

const fixture = (name: string) => decodeCsvBytes(readFileSync(join(__dirname, '../fixtures/csv', name))).text;

const ACCOUNTS: CsvAccount[] = [
  { id: 'acc-bsky', platform: 'bluesky', username: 'acme.bsky.social', displayName: 'Acme Coffee' },
  { id: 'acc-x', platform: 'x', username: 'acmecoffee', displayName: 'Acme Coffee ☕' },
  { id: 'acc-masto', platform: 'mastodon', username: 'acme', displayName: 'Acme Coffee Roasters' },
  { id: 'acc-li', platform: 'linkedin', username: null, displayName: 'Acme Coffee Company' },
  { id: 'acc-ig', platform: 'instagram', username: 'acme.coffee', displayName: 'Acme Coffee Roasters' },
];
const PICTURES = new Set(['/Users/claire/Pictures/ethiopie.jpg', '/Users/claire/Pictures/avis.png', '/Users/claire/Pictures/paul.jpg']);
const ctx = (over: Partial<CsvImportContext> = {}): CsvImportContext => ({
  timezone: 'Europe/Paris',
  accounts: ACCOUNTS,
  now: Date.parse('2026-03-01T08:00:00Z'),
  fileExists: (p) => PICTURES.has(p),
  ...over,
});
const at = (iso: string) => Date.parse(iso);
const thrown = (fn: () => unknown): CsvImportError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CsvImportError) return e;
    throw e;
  }
  throw new Error('expected a CsvImportError');
};

describe('CSV parser', () => {
  it('given quoted fields with escaped quotes, embedded CRLF and LF, a BOM and a final line end, then each record is one row with the text intact', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","line1\r\nline2\nline3"\r\n1,,3\r\n';
    expect(parseCsv(text)).toEqual({
      delimiter: ',',
      rows: [
        ['a', 'b', 'c'],
        ['x, y', 'say "hi"', 'line1\r\nline2\nline3'],
        ['1', '', '3'],
      ],
    });
  });

  it('given a blank line between records and an old Mac export with CR-only line ends, then the blank line is a row of its own, as the spreadsheet numbers it', () => {
    expect(parseCsv('a,b\n\n1,2').rows).toEqual([['a', 'b'], [''], ['1', '2']]);
    expect(parseCsv('a,b\r1,2\r').rows).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\n1,2\n\n').rows).toEqual([['a', 'b'], ['1', '2'], ['']]);
  });

  it('given a quote inside an unquoted field or text after a closing quote, then it is kept as text the way Excel reads it', () => {
    expect(parseCsv('text,n\nOur 5" tamper,1\n"Our 5" tamper,2\n').rows).toEqual([
      ['text', 'n'],
      ['Our 5" tamper', '1'],
      ['Our 5 tamper', '2'],
    ]);
  });

  it('given a header separated by semicolons (Excel in fr/de), tabs, or commas, then the sniff picks that one, ignoring delimiters inside quotes', () => {
    expect(sniffDelimiter('\uFEFFtext;accounts;time\r\n"a, b, c";x;2026-03-10 09:00')).toBe(';');
    expect(sniffDelimiter('text\taccounts\ttime\n')).toBe('\t');
    expect(sniffDelimiter('"text; with; semis",accounts,time\n')).toBe(',');
    expect(sniffDelimiter('\n\ntext,accounts;time,media\n')).toBe(',');
    expect(sniffDelimiter('')).toBe(',');
  });

  it('given a quote that never closes, then it fails naming the spreadsheet row and the file line where it opened', () => {
    const text = 'text\n"first\nsecond"\n"never closed\nmore\n';
    try {
      parseCsv(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvSyntaxError);
      expect((e as CsvSyntaxError).row).toBe(3);
      expect((e as CsvSyntaxError).fileLine).toBe(4);
    }
  });

  it('given bytes from Excel "CSV" on Windows (windows-1252), "Unicode text" (UTF-16LE) and "CSV UTF-8" (BOM), then each decodes to the same words', () => {
    const cp1252 = Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80]); // "Café €"
    expect(decodeCsvBytes(cp1252)).toEqual({ text: 'Café €', encoding: 'windows-1252' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('text\tCafé ☕', 'utf16le')]);
    expect(decodeCsvBytes(utf16)).toEqual({ text: 'text\tCafé ☕', encoding: 'utf-16le' });
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Café ☕', 'utf8')]);
    const decoded = decodeCsvBytes(utf8);
    expect(decoded.encoding).toBe('utf-8');
    expect(parseCsv(decoded.text).rows).toEqual([['Café ☕']]);
  });

  it('numbers columns the way a spreadsheet labels them', () => {
    expect([0, 1, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

describe('CSV import preview: files as spreadsheets export them', () => {
  it('given an Excel (French locale) export with BOM, CRLF, semicolons and a multi-line cell with emoji, then every row is read exactly', () => {
    const preview = previewCsvImport(fixture('excel-fr-semicolon.csv'), ctx());
    expect(preview.delimiter).toBe(';');
    expect(preview.warnings).toEqual([]);
    expect(preview.summary).toEqual({ total: 3, ok: 3, failed: 0 });
    expect(preview.rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(preview.columns).toEqual({ text: 'Text', accounts: 'Accounts', time: 'publish_at', media: 'Media', first_comment: 'First comment', hashtags: 'Hashtags' });
    expect(preview.rows.map((r) => r.post)).toEqual<ParsedPost[]>([
      {
        text: "Nouveau : notre café d'Éthiopie ☕🇪🇹\nTorréfié mardi, livré jeudi.\n\nLien en bio 👇",
        accountIds: ['acc-bsky', 'acc-x'],
        publishAt: at('2026-03-10T08:30:00Z'),
        mediaPaths: ['/Users/claire/Pictures/ethiopie.jpg'],
        firstComment: 'Commandez ici : https://acme.example/eth',
        hashtags: ['#café', '#Ethiopie'],
      },
      {
        text: 'Atelier latte art, samedi 14h, 8 places.',
        accountIds: ['acc-li'],
        publishAt: at('2026-03-12T17:00:00Z'),
        mediaPaths: [],
        firstComment: null,
        hashtags: ['#latteart'],
      },
      {
        text: 'Il a dit "le meilleur espresso du quartier" 😍 — merci Paul !',
        accountIds: ['acc-x'],
        publishAt: at('2026-03-14T11:00:00Z'),
        mediaPaths: ['/Users/claire/Pictures/avis.png', '/Users/claire/Pictures/paul.jpg'],
        firstComment: null,
        hashtags: [],
      },
    ]);
    expect(preview.rows.every((r) => r.errors.length === 0 && r.warnings.length === 0)).toBe(true);
  });

  it('given a Google Sheets export with an extra Notes column, accounts listed with commas inside a quoted cell and no final line end, then Notes is a warning and the rows are fine', () => {
    const preview = previewCsvImport(fixture('google-sheets.csv'), ctx());
    expect(preview.delimiter).toBe(',');
    expect(preview.warnings).toEqual(['Column E ("Notes") isn\'t one Postdesk reads, so it was ignored.']);
    expect(preview.summary).toEqual({ total: 3, ok: 3, failed: 0 });
    const [spring, learned, closed] = preview.rows;
    expect(spring!.post!.accountIds).toEqual(['acc-bsky', 'acc-x']);
    expect(spring!.post!.publishAt).toBe(at('2026-03-20T07:00:00Z'));
    expect(learned!.line).toBe(3);
    expect(learned!.post!.text).toBe('Three things we learned roasting 10,000 kg this year:\n1. Fresh beats fancy\n2. Water matters\n3. Ask your barista 👩🏽‍🍳');
    expect(learned!.post!.accountIds).toEqual(['acc-bsky', 'acc-li']);
    expect(learned!.post!.publishAt).toBe(at('2026-03-21T10:15:00Z'));
    // Mastodon stores the local acct; the full @user@instance form still finds it.
    expect(closed!.line).toBe(4);
    expect(closed!.post!.accountIds).toEqual(['acc-masto']);
    expect(closed!.post!.publishAt).toBe(at('2026-03-23T06:45:00Z'));
  });

  it('given a Numbers export with separate Date and Time columns, a row of empty cells and a trailing blank line, then date and time combine, blank rows are skipped and row numbers still match the sheet', () => {
    const preview = previewCsvImport(fixture('numbers-date-time.csv'), ctx());
    expect(preview.columns.time).toBe('Date + Time');
    expect(preview.summary).toEqual({ total: 2, ok: 2, failed: 0 });
    expect(preview.rows.map((r) => [r.line, r.post?.publishAt, r.post?.accountIds, r.post?.hashtags])).toEqual([
      [2, at('2026-03-27T15:00:00Z'), ['acc-bsky'], ['#tasting', '#coffee']],
      [4, at('2026-03-28T07:00:00Z'), ['acc-x'], []],
    ]);
  });
});

describe('CSV import preview: bad rows', () => {
  const preview = previewCsvImport(fixture('bad-rows.csv'), ctx());
  const row = (line: number) => preview.rows.find((r) => r.line === line)!;

  it('given a file where most rows have one mistake, then only the good row is ok and the count says so', () => {
    expect(preview.summary).toEqual({ total: 11, ok: 1, failed: 10 });
    expect(row(2)).toMatchObject({ ok: true, errors: [] });
    expect(preview.rows.filter((r) => !r.ok).every((r) => r.post === undefined && r.errors.length === 1)).toBe(true);
    expect(preview.warnings).toEqual(['Column G ("Owner") isn\'t one Postdesk reads, so it was ignored.']);
  });

  it('then each error says what is wrong in plain words and, where it can, what to write instead', () => {
    expect(row(3).errors[0]).toBe(
      'No connected account matches "@acme_coffee_official". Accounts in this workspace: bluesky:acme.bsky.social, x:acmecoffee, mastodon:acme, linkedin:Acme Coffee Company, instagram:acme.coffee.',
    );
    expect(row(4).errors[0]).toBe(
      '"10/03/2026 10:00" isn\'t a date and time Postdesk can read. Write it as 2026-03-29 09:30 (year-month-day, 24-hour clock), optionally with an offset like 2026-03-29T09:30+02:00.',
    );
    expect(row(5).errors[0]).toBe('The text is empty: every post needs text.');
    expect(row(6).errors[0]).toBe('This time has already passed (2026-02-14 09:00, Europe/Paris). Choose a later time.');
    expect(row(7).errors[0]).toBe('Media file not found: /Users/claire/Pictures/missing.jpg');
    expect(row(8).errors[0]).toBe(
      '"Acme Coffee Roasters" matches 2 accounts (Mastodon @acme, Instagram @acme.coffee). Write mastodon:acme or instagram:acme.coffee to pick one.',
    );
    expect(row(9).errors[0]).toBe('"summer-sale" isn\'t a hashtag a network accepts: use letters, numbers and _ only.');
    expect(row(10).errors[0]).toMatch(/^"2026-03-12" has a date but no time of day\./);
    expect(row(11).errors[0]).toBe('No account given: name at least one, like @yourhandle or bluesky:yourhandle.');
    expect(row(12).errors[0]).toMatch(/^"2026-02-31 10:00" isn't a real date\./);
  });

  it('when committed, then nothing is created and the error lists every failed row', () => {
    const create = vi.fn((posts: ParsedPost[]) => posts.length);
    const err = thrown(() => commitCsvImport(preview, create));
    expect(create).not.toHaveBeenCalled();
    expect(err.code).toBe('rows_failed');
    expect(err.failedLines).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(err.message).toBe('Nothing was imported: 10 rows 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 have problems. Fix them in the file and import it again.');
  });
});

describe('CSV import commit', () => {
  it('given a clean preview, when committed, then create is called once with every post in file order and its result is returned', () => {
    const preview = previewCsvImport(fixture('google-sheets.csv'), ctx());
    const create = vi.fn((posts: ParsedPost[]) => ({ created: posts.map((p) => p.text.slice(0, 12)) }));
    const result = commitCsvImport(preview, create);
    expect(create).toHaveBeenCalledTimes(1);
    expect(result).toEqual({ created: ['Spring menu ', 'Three things', 'Closed Monda'] });
  });

  it('given a preview left open until a row\'s time passed, when committed with the current time, then nothing is created', () => {
    const preview = previewCsvImport(fixture('google-sheets.csv'), ctx());
    const create = vi.fn(() => 0);
    const err = thrown(() => commitCsvImport(preview, create, { now: at('2026-03-20T07:30:00Z') }));
    expect(create).not.toHaveBeenCalled();
    expect(err.code).toBe('time_passed');
    expect(err.failedLines).toEqual([2]);
  });

  it('given a preview whose row was tampered to ok without a post, when committed, then it still refuses', () => {
    const preview = previewCsvImport(fixture('google-sheets.csv'), ctx());
    const forged = { ...preview, rows: [...preview.rows, { line: 9, ok: true, errors: [], warnings: [] }] };
    expect(thrown(() => commitCsvImport(forged, () => 0)).failedLines).toEqual([9]);
    expect(thrown(() => commitCsvImport({ ...preview, rows: [] }, () => 0)).code).toBe('empty');
  });
});

describe('CSV import times across DST (RFC 5545: a skipped time moves forward by the gap, a repeated one takes the first)', () => {
  it('given wall times on both Paris change nights, then the skipped 02:30 publishes at 03:30 CEST and the repeated 02:30 at its first (CEST) occurrence, each with a note', () => {
    const preview = previewCsvImport(fixture('dst-paris.csv'), ctx());
    expect(preview.rows.map((r) => r.post?.publishAt)).toEqual([
      at('2026-03-29T03:30:00+02:00'),
      at('2026-10-25T02:30:00+02:00'),
      at('2026-03-29T01:59:00+01:00'),
      at('2026-03-29T03:00:00+02:00'),
    ]);
    expect(preview.rows[0]!.warnings).toEqual([
      "2026-03-29 02:30 doesn't exist in Europe/Paris (the clocks go forward then), so it will publish at 2026-03-29 03:30.",
    ]);
    expect(preview.rows[1]!.warnings).toEqual(['2026-10-25 02:30 happens twice in Europe/Paris (the clocks go back then); the first one is used.']);
    expect(preview.rows[2]!.warnings).toEqual([]);
    expect(preview.rows[3]!.warnings).toEqual([]);
  });

  it('given wall times on both New York change nights, then 02:30 on 8 March becomes 03:30 EDT, 01:30 on 1 November is the EDT one, and an explicit -05:00 picks the EST one', () => {
    const preview = previewCsvImport(fixture('dst-new-york.csv'), ctx({ timezone: 'America/New_York' }));
    expect(preview.summary.ok).toBe(3);
    expect(preview.rows.map((r) => r.post?.publishAt)).toEqual([at('2026-03-08T07:30:00Z'), at('2026-11-01T05:30:00Z'), at('2026-11-01T06:30:00Z')]);
    expect(preview.rows[0]!.warnings[0]).toContain('it will publish at 2026-03-08 03:30');
    expect(preview.rows[1]!.warnings[0]).toContain('happens twice in America/New_York');
    expect(preview.rows[2]!.warnings).toEqual([]);
  });

  it('reads offsets, Z, fractional seconds and a space before the offset; refuses impossible times and offsets', () => {
    expect(parseCsvTime('2026-03-10T09:30:15.250+05:30', 'UTC')).toEqual({ at: at('2026-03-10T04:00:15.250Z') });
    expect(parseCsvTime('2026-03-10 9:30 -0800', 'Europe/Paris')).toEqual({ at: at('2026-03-10T17:30:00Z') });
    expect(parseCsvTime('2026-03-10t09:30z', 'Europe/Paris')).toEqual({ at: at('2026-03-10T09:30:00Z') });
    expect(parseCsvTime('2026-03-10 24:00', 'UTC')).toHaveProperty('error');
    expect(parseCsvTime('2026-13-01 10:00', 'UTC')).toHaveProperty('error');
    expect(parseCsvTime('2026-03-10 10:00+15:00', 'UTC')).toHaveProperty('error');
    expect(parseCsvTime('March 10, 2026 10:00', 'UTC')).toHaveProperty('error');
  });
});

describe('CSV import: file-level refusals', () => {
  it('given a quote never closed in row 3, then the file is refused naming that row instead of swallowing the rows after it', () => {
    const err = thrown(() => previewCsvImport(fixture('unterminated-quote.csv'), ctx()));
    expect(err.code).toBe('malformed');
    expect(err.failedLines).toEqual([3]);
    expect(err.message).toContain('opened in row 3 is never closed');
  });

  it('given a file over 5 MB, then it is refused before parsing with its size', () => {
    const big = `text,accounts,time\n${'x'.repeat(5 * 1024 * 1024)}`;
    const err = thrown(() => previewCsvImport(big, ctx()));
    expect(err.code).toBe('too_large');
    expect(err.message).toBe('This file is 5.0 MB; Postdesk imports files up to 5 MB. Split it into smaller files.');
  });

  it('given 2,000 posts, then all are previewed; given 2,001, then the file is refused with the count', () => {
    const rows = (n: number) =>
      `text,accounts,time\n${Array.from({ length: n }, (_, i) => `Post ${i},x:acmecoffee,2026-04-01T09:00:00Z`).join('\n')}\n\n`;
    const started = performance.now();
    const preview = previewCsvImport(rows(CSV_MAX_ROWS), ctx());
    // The preview runs on the main process: it must stay well under a frame budget's order of magnitude.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(preview.summary).toEqual({ total: 2000, ok: 2000, failed: 0 });
    const err = thrown(() => previewCsvImport(rows(CSV_MAX_ROWS + 1), ctx()));
    expect(err.code).toBe('too_many_rows');
    expect(err.message).toBe('This file has 2,001 posts; Postdesk imports up to 2,000 at a time. Split it into smaller files.');
  });

  it('given a header without an accounts column, or two columns that both mean the text, then it says what it found and what it needs', () => {
    const missing = thrown(() => previewCsvImport('Post content,Time\nHello,2026-04-01 09:00\n', ctx()));
    expect(missing.code).toBe('bad_header');
    expect(missing.message).toBe(
      'The first row must name the columns, but it has no text or accounts column. Columns found: "Post content", "Time". ' +
        'Needed: text (or content, post, message); accounts (or account, channels, channel, profiles, profile); time (or date, publish_at, scheduled_at). Optional: media, first_comment, hashtags.',
    );
    const twice = thrown(() => previewCsvImport('text,content,accounts,time\n', ctx()));
    expect(twice.message).toContain('columns A ("text") and B ("content") both mean text');
  });

  it('given an empty file or a header with only blank rows under it, then it says there is nothing to import', () => {
    expect(thrown(() => previewCsvImport('\uFEFF\r\n', ctx())).code).toBe('empty');
    expect(thrown(() => previewCsvImport('text,accounts,time\r\n , ,\r\n,,\r\n', ctx())).message).toBe('The file names its columns but has no posts under them.');
  });
});

describe('CSV import: rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'postdesk-csv-'));
  writeFileSync(join(dir, 'latte.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given relative media paths and the CSV\'s folder, then they resolve there and are checked on the real disk; without a folder, or as a web address, they are errors', () => {
    const csv = 'text,accounts,time,media\nLatte,x:acmecoffee,2026-04-01 09:00,latte.jpg\nGone,x:acmecoffee,2026-04-01 10:00,gone.jpg\nWeb,x:acmecoffee,2026-04-01 11:00,https://cdn.example/latte.jpg\n';
    const preview = previewCsvImport(csv, ctx({ baseDir: dir, fileExists: existsSync }));
    expect(preview.rows[0]!.post!.mediaPaths).toEqual([join(dir, 'latte.jpg')]);
    expect(preview.rows[1]!.errors).toEqual([`Media file not found: ${join(dir, 'gone.jpg')}`]);
    expect(preview.rows[2]!.errors[0]).toMatch(/is a web address; media must be a file on this computer/);
    const noBase = previewCsvImport(csv, ctx({ fileExists: existsSync }));
    expect(noBase.rows[0]!.errors[0]).toMatch(/^"latte.jpg" isn't a full path\./);
  });

  it('given an empty time, then the post is imported as a draft with a warning saying so', () => {
    const preview = previewCsvImport('text,accounts,time\nSomeday,x:acmecoffee,\n', ctx());
    expect(preview.rows[0]).toEqual({
      line: 2,
      ok: true,
      errors: [],
      warnings: ['No time given: this post will be imported as a draft.'],
      post: { text: 'Someday', accountIds: ['acc-x'], publishAt: null, mediaPaths: [], firstComment: null, hashtags: [] },
    });
  });

  it('given handles with @, any case, display names, platform aliases and the same account twice, then each resolves once', () => {
    const csv = 'text,accounts,time\nHi,"@ACMECOFFEE | twitter:AcmeCoffee, bsky:@acme.bsky.social , acme coffee company",2026-04-01 09:00\n';
    expect(previewCsvImport(csv, ctx()).rows[0]!.post!.accountIds).toEqual(['acc-x', 'acc-bsky', 'acc-li']);
  });

  it('given the same post pasted twice, then the second is flagged but still valid', () => {
    const csv = 'text,accounts,time\nHi,x:acmecoffee,2026-04-01 09:00\nHi,x:acmecoffee,2026-04-01 09:00\n';
    const preview = previewCsvImport(csv, ctx());
    expect(preview.summary.ok).toBe(2);
    expect(preview.rows[1]!.warnings).toEqual(['Same text, accounts and time as row 2.']);
  });

  it('given a per-platform check, then its verdict joins the row for rows that are otherwise fine, and it is not asked about broken rows', () => {
    const validate = vi.fn((post: ParsedPost) => ({
      errors: post.text.length > 20 ? [`Too long for X: ${post.text.length} of 20 characters.`] : [],
      warnings: ['Checked.'],
    }));
    const csv = 'text,accounts,time\nShort,x:acmecoffee,2026-04-01 09:00\nThis one is far too long for the limit,x:acmecoffee,2026-04-01 10:00\nBroken,nobody,2026-04-01 11:00\n';
    const preview = previewCsvImport(csv, ctx({ validate }));
    expect(validate).toHaveBeenCalledTimes(2);
    expect(preview.rows.map((r) => [r.ok, r.errors, r.warnings])).toEqual([
      [true, [], ['Checked.']],
      [false, ['Too long for X: 38 of 20 characters.'], ['Checked.']],
      [false, [expect.stringMatching(/^No connected account matches "nobody"/)], []],
    ]);
  });

  it('given cells to the right of the header, then they are ignored with a warning on that row', () => {
    const preview = previewCsvImport('text,accounts,time\nHi,x:acmecoffee,2026-04-01 09:00,stray note\n', ctx());
    expect(preview.rows[0]!.ok).toBe(true);
    expect(preview.rows[0]!.warnings).toEqual(['Cells to the right of the last named column were ignored.']);
  });
});
