// Which files the knowledge base takes, told by name and checked against the bytes, and the
// errors an import or an extraction reports to the user.
import { ApiError, type ApiErrorCode } from '../../api/errors';

export const KNOWLEDGE_FORMATS = ['txt', 'md', 'html', 'pdf', 'docx', 'csv'] as const;
export type KnowledgeFormat = (typeof KNOWLEDGE_FORMATS)[number];

export const FORMAT_MIME: Record<KnowledgeFormat, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv',
};

const EXTENSIONS: Record<string, KnowledgeFormat> = {
  txt: 'txt',
  text: 'txt',
  md: 'md',
  markdown: 'md',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  pdf: 'pdf',
  docx: 'docx',
  csv: 'csv',
};

/** A 200-page manual is ~1-5 MB; 50 MB leaves room for image-heavy PDFs whose text is small. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Extracted text beyond this (~3,000 pages) is not indexed: say so rather than stall. */
export const MAX_EXTRACTED_CHARS = 5_000_000;

export type KnowledgeErrorReason =
  | 'unsupported'
  | 'corrupt'
  | 'encrypted'
  | 'empty'
  | 'too_large'
  | 'unreadable'
  | 'not_found'
  | 'duplicate'
  | 'invalid';

/** An ApiError (every transport answers it as usual) that also says why, in code. */
export class KnowledgeError extends ApiError {
  constructor(
    code: ApiErrorCode,
    readonly reason: KnowledgeErrorReason,
    message: string,
  ) {
    super(code, message);
    this.name = 'KnowledgeError';
  }
}

function extensionOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName.trim());
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * The format of a file, by its name, confirmed by its first bytes where the format has a
 * signature (a PDF starts with %PDF-, a DOCX is a ZIP). A .doc (Word 97) or a PDF renamed .txt is
 * refused with what to do instead, never read as garbage text.
 */
export function detectFormat(fileName: string, head: Uint8Array): KnowledgeFormat {
  const ext = extensionOf(fileName);
  const format = EXTENSIONS[ext];
  const isPdf = head.length >= 5 && String.fromCharCode(...head.subarray(0, 5)) === '%PDF-';
  const isZip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const isOle = head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (!format) {
    if (isPdf) return 'pdf';
    if (ext === 'doc' || isOle) {
      throw new KnowledgeError('invalid_input', 'unsupported', `"${fileName}" is an old Word document (.doc). Save it as .docx or PDF in Word, then import that.`);
    }
    throw new KnowledgeError(
      'invalid_input',
      'unsupported',
      `"${fileName}" is not a format the knowledge base reads. Import a .txt, .md, .html, .pdf, .docx or an FAQ .csv file.`,
    );
  }
  // A PDF is checked by pdf.js itself, so a damaged one gets its own clear message later.
  if (format === 'docx' && head.length > 0 && !isZip) {
    throw new KnowledgeError('invalid_input', 'corrupt', `"${fileName}" is not a valid .docx file (it is not a Word document inside). Open it in Word and save it as .docx again.`);
  }
  if ((format === 'txt' || format === 'md' || format === 'html' || format === 'csv') && (isPdf || isZip)) {
    throw new KnowledgeError('invalid_input', 'unsupported', `"${fileName}" holds a ${isPdf ? 'PDF' : 'ZIP or Office'} file, not text. Rename it with its real extension and import it again.`);
  }
  return format;
}

/** Text files in UTF-8 (with or without BOM) or UTF-16 with a BOM; invalid bytes become U+FFFD. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** A title from a file name: "opening-hours_2024.md" -> "opening hours 2024". */
export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]+$/, '');
  const t = base.replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t || fileName;
}
