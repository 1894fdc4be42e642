// Text out of a document file, with its structure, then chunked: the CPU-heavy half of indexing.
// Runs inside the extraction worker (extract-worker.ts), or on the main thread, yielding between
// pages, where no worker can start. PDF through pdf.js (unpdf's build, no canvas), DOCX through
// mammoth (Word styles to HTML headings and paragraphs), HTML through htmlparser2.
import { readFile } from 'node:fs/promises';
import { chunkText, type TextChunk } from './chunk';
import type { KnowledgeFormat } from './formats';
import {
  addPdfPage,
  bodyFontSize,
  headingSizes,
  htmlBlocks,
  markdownBlocks,
  plainTextBlocks,
  TextBuilder,
  type ExtractedText,
  type PdfTextItem,
} from './text-blocks';

export type ExtractFailure = 'corrupt' | 'encrypted' | 'empty' | 'too_large' | 'unreadable';

/** Why a file's text could not be read, in words for the document's error line. */
export class ExtractError extends Error {
  constructor(
    readonly reason: ExtractFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ExtractError';
  }
}

export interface ExtractRequest {
  format: Exclude<KnowledgeFormat, 'csv'>;
  path: string;
  fileName: string;
  maxChars: number;
}

export interface ExtractResult extends ExtractedText {
  chunks: TextChunk[];
}

export type ProgressFn = (fraction: number, message: string) => void;

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

function decode(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

interface PdfJsTextItem {
  str?: string;
  transform?: number[];
  hasEOL?: boolean;
}

async function extractPdf(bytes: Uint8Array, req: ExtractRequest, progress: ProgressFn): Promise<ExtractedText> {
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // pdf.js refuses a Buffer and may detach what it is given: a copy of its own.
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (err) {
    const name = (err as { name?: string })?.name ?? '';
    const detail = err instanceof Error ? err.message : String(err);
    if (name === 'PasswordException') {
      throw new ExtractError('encrypted', `"${req.fileName}" is protected by a password. Save a copy without the password (Print → Save as PDF works) and import that.`);
    }
    throw new ExtractError('corrupt', `"${req.fileName}" could not be read as a PDF (${detail.replace(/\.$/, '')}). The file is damaged or not a PDF: export it again from the app that made it, or import the text as .txt.`);
  }
  try {
    const pages: PdfTextItem[][] = [];
    let chars = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items: PdfTextItem[] = [];
      for (const raw of content.items as PdfJsTextItem[]) {
        if (typeof raw.str !== 'string') continue;
        const t = raw.transform ?? [1, 0, 0, 1, 0, 0];
        // The font size is the scale of the text matrix (rotation-proof: the length of its y column).
        const size = Math.hypot(t[2] ?? 0, t[3] ?? 1) || 1;
        items.push({ str: raw.str, y: t[5] ?? 0, fontSize: size, hasEOL: raw.hasEOL === true });
        chars += raw.str.length;
      }
      pages.push(items);
      page.cleanup();
      if (chars > req.maxChars) throw new ExtractError('too_large', `"${req.fileName}" has more text than the knowledge base indexes in one document (${req.maxChars.toLocaleString('en')} characters). Split it into parts and import those.`);
      progress(n / pdf.numPages, `Reading page ${n} of ${pdf.numPages}`);
    }
    const body = bodyFontSize(pages);
    const sizes = headingSizes(pages, body);
    const b = new TextBuilder();
    pages.forEach((items, i) => addPdfPage(b, items, i + 1, body, sizes));
    let title: string | null = null;
    try {
      const meta = await pdf.getMetadata();
      const info = meta.info as { Title?: unknown } | undefined;
      if (typeof info?.Title === 'string' && info.Title.trim()) title = info.Title;
    } catch {
      // Metadata is a nicety; a document without it is still indexed.
    }
    const out = b.build(title, pdf.numPages);
    if (!out.text) {
      throw new ExtractError('empty', `"${req.fileName}" has no text layer (it is probably scanned pages). Run it through OCR (e.g. "Recognize text" in your PDF app) and import it again.`);
    }
    return out;
  } finally {
    await pdf.cleanup();
  }
}

async function extractDocx(bytes: Uint8Array, req: ExtractRequest): Promise<ExtractedText> {
  const mammoth = (await import('mammoth')).default;
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) }, { ignoreEmptyParagraphs: true });
    html = result.value;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ExtractError('corrupt', `"${req.fileName}" could not be read as a Word document (${detail.replace(/\.$/, '')}). Open it in Word, save it as .docx again, and import that.`);
  }
  return htmlBlocks(html);
}

/** Extract the text of one file and chunk it. `progress` gets 0..1 while pages are read. */
export async function extractDocument(req: ExtractRequest, progress: ProgressFn = () => {}): Promise<ExtractResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(req.path);
  } catch (err) {
    throw new ExtractError('unreadable', `The stored copy of "${req.fileName}" could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'}). Import the file again.`);
  }
  let doc: ExtractedText;
  switch (req.format) {
    case 'pdf':
      doc = await extractPdf(bytes, req, progress);
      break;
    case 'docx':
      doc = await extractDocx(bytes, req);
      break;
    case 'html':
      doc = htmlBlocks(decode(bytes));
      break;
    case 'md':
      doc = markdownBlocks(decode(bytes));
      break;
    case 'txt':
      doc = plainTextBlocks(decode(bytes));
      break;
  }
  if (doc.text.length > req.maxChars) {
    throw new ExtractError('too_large', `"${req.fileName}" has more text than the knowledge base indexes in one document (${req.maxChars.toLocaleString('en')} characters). Split it into parts and import those.`);
  }
  if (!doc.text.trim()) throw new ExtractError('empty', `"${req.fileName}" has no text to index.`);
  progress(1, 'Splitting into passages');
  await yieldNow();
  return { ...doc, chunks: chunkText(doc) };
}
