// A small RFC 4180 reader for the CSV files spreadsheets export. Hand-written rather than a
// library because the import needs two things generic parsers don't give together: row numbers
// exactly as the spreadsheet shows them (a quoted multi-line cell is one row, a blank line is a
// row), and the leniency of Excel itself (stray quotes inside a field are text, CR-only line ends
// from old Mac exports), so a file that opens fine in Excel doesn't fail here.

export type CsvDelimiter = ',' | ';' | '\t';

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** The row as a spreadsheet numbers it (1 = first row of the file). */
    readonly row: number,
    /** The physical line in the file, for someone looking at it in a text editor. */
    readonly fileLine: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvTable {
  delimiter: CsvDelimiter;
  /** rows[i] is spreadsheet row i + 1; a blank line is `['']`. */
  rows: string[][];
}

const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * Which delimiter the file uses, judged from its first non-blank line (the header): Excel in
 * locales whose decimal mark is a comma (fr, de, es, it, pt-BR...) writes ';', "Unicode text"
 * exports use tabs. Header names rarely contain a delimiter, so the most frequent one wins; a tie
 * or none found means ','.
 */
export function sniffDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CANDIDATES.map((d) => [d, 0]));
  let inQuotes = false;
  let seenContent = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      inQuotes = !inQuotes;
      seenContent = true;
    } else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (seenContent) break;
    } else if (!inQuotes && counts.has(c as CsvDelimiter)) {
      counts.set(c as CsvDelimiter, counts.get(c as CsvDelimiter)! + 1);
      seenContent = true;
    } else if (c.trim() !== '') {
      seenContent = true;
    }
  }
  let best: CsvDelimiter = ',';
  for (const d of CANDIDATES) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Parses the whole text; throws CsvSyntaxError only for a quote that is never closed. */
export function parseCsv(text: string, delimiter: CsvDelimiter = sniffDelimiter(text)): CsvTable {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  // 'start': nothing of this field read yet; 'plain': unquoted; 'quoted': inside quotes;
  // 'closed': just after a closing quote.
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  let fileLine = 1;
  let quoteOpenedAt = { row: 1, fileLine: 1 };
  const endField = () => {
    row.push(field);
    field = '';
    state = 'start';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };

  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (state === 'quoted') {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          state = 'closed';
        }
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) fileLine++;
        field += c;
      }
      continue;
    }
    if (c === delimiter) {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      fileLine++;
    } else if (c === '"' && state === 'start') {
      state = 'quoted';
      quoteOpenedAt = { row: rows.length + 1, fileLine };
    } else {
      // Text after a closing quote, or a quote inside an unquoted field: Excel keeps it as text.
      field += c;
      state = state === 'closed' ? 'closed' : 'plain';
    }
  }
  if (state === 'quoted') {
    throw new CsvSyntaxError(
      `A quote (") opened in row ${quoteOpenedAt.row} is never closed, so the rest of the file can't be read. ` +
        'Check that cell: a quote inside a cell must be written twice ("").',
      quoteOpenedAt.row,
      quoteOpenedAt.fileLine,
    );
  }
  // A final line end closes the last row rather than starting an empty one.
  if (state !== 'start' || field !== '' || row.length > 0) endRow();
  return { delimiter, rows };
}

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * File bytes to text. Excel's "CSV UTF-8" and Sheets/Numbers write UTF-8 (often with a BOM);
 * Excel's "Unicode text" writes UTF-16 with a BOM; Excel's plain "CSV" on Windows writes the
 * ANSI code page, which for the Western locales is windows-1252. Bytes that are not valid UTF-8
 * are read as windows-1252 so "Café" survives instead of turning into replacement marks.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    // ignoreBOM: keep a UTF-8 BOM in the text; the parser skips it, and the byte count stays honest.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}
