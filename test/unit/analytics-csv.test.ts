// CSV export cells: RFC 4180 quoting and formula neutralising.
import { describe, expect, it } from 'vitest';
import { csvCell, csvRecord } from '../../electron/core/analytics/csv';

describe('CSV cells', () => {
  it('given plain text and numbers, then they are written as they are', () => {
    expect(csvCell('Fresh sourdough')).toBe('Fresh sourdough');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(4.5)).toBe('4.5');
    expect(csvCell(null)).toBe('');
  });

  it('given commas, quotes and line breaks, then the field is quoted and its quotes doubled (RFC 4180)', () => {
    expect(csvCell('Bread, butter')).toBe('"Bread, butter"');
    expect(csvCell('She said "wow"')).toBe('"She said ""wow"""');
    expect(csvCell('line one\r\nline two')).toBe('"line one\r\nline two"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
  });

  it('given text starting with = + - @ (or a tab), then an apostrophe is put in front so a spreadsheet shows it instead of running it', () => {
    expect(csvCell('=HYPERLINK("http://evil","click")')).toBe(`"'=HYPERLINK(""http://evil"",""click"")"`);
    expect(csvCell('+1 for croissants')).toBe("'+1 for croissants");
    expect(csvCell('-10% today')).toBe("'-10% today");
    expect(csvCell('@alice thanks')).toBe("'@alice thanks");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    // Only the first character matters; numbers are numbers.
    expect(csvCell('Call us = happy')).toBe('Call us = happy');
    expect(csvCell(-3)).toBe('-3');
  });

  it('given a record, then its cells are joined by commas and it ends with CRLF', () => {
    expect(csvRecord(['2026-03-01 09:00', 'alice', 'a, b', 12, null])).toBe('2026-03-01 09:00,alice,"a, b",12,\r\n');
  });
});
