// The extracted text of a knowledge document and its structure: headings, paragraphs and list
// items as character ranges of one string. Every extractor (txt, md, html, pdf, docx) produces
// this, so chunking and the offsets stored with each chunk work the same for every format:
// a chunk's content is always exactly `text.slice(startChar, endChar)`.
//
// This module is pure (no Node APIs): it runs in the extraction worker and on the main thread.
import { Parser } from 'htmlparser2';

export type BlockKind = 'heading' | 'paragraph' | 'item';

export interface TextBlock {
  kind: BlockKind;
  /** Heading level 1-6; 0 for paragraphs and items. */
  level: number;
  start: number;
  end: number;
  /** 1-based page (PDF only). */
  page?: number;
}

export interface ExtractedText {
  text: string;
  blocks: TextBlock[];
  /** The document's own title (HTML <title>, a PDF's metadata), when it has one. */
  title: string | null;
  pages: number | null;
}

/** Blocks are separated by a blank line in the extracted text. */
const BLOCK_SEPARATOR = '\n\n';

/**
 * Collects blocks into one string. Whitespace inside a block is collapsed (line breaks too), except
 * in blocks that keep their lines as typed (a <pre>, a code fence), so offsets never point into
 * runs of layout whitespace.
 */
export class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  readonly blocks: TextBlock[] = [];

  add(kind: BlockKind, raw: string, opts: { level?: number; page?: number; keepLines?: boolean } = {}): void {
    const clean = opts.keepLines ? collapseKeepingLines(raw) : collapse(raw);
    if (!clean) return;
    if (this.parts.length > 0) {
      this.parts.push(BLOCK_SEPARATOR);
      this.length += BLOCK_SEPARATOR.length;
    }
    const start = this.length;
    this.parts.push(clean);
    this.length += clean.length;
    const block: TextBlock = { kind, level: kind === 'heading' ? Math.min(6, Math.max(1, opts.level ?? 1)) : 0, start, end: this.length };
    if (opts.page !== undefined) block.page = opts.page;
    this.blocks.push(block);
  }

  build(title: string | null = null, pages: number | null = null): ExtractedText {
    return { text: this.parts.join(''), blocks: this.blocks, title: title ? collapse(title) || null : null, pages };
  }
}

// Control characters other than tab and newline never belong in text a person reads; a NUL or
// an escape sequence in a PDF's text layer would only confuse the search tokenizer and the UI.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const ZERO_WIDTH = /[\u200B\u00AD\uFEFF]/g;

export function collapse(s: string): string {
  return s.replace(CONTROL, ' ').replace(ZERO_WIDTH, '').replace(/\s+/gu, ' ').trim();
}

function collapseKeepingLines(s: string): string {
  return s
    .replace(CONTROL, ' ')
    .replace(ZERO_WIDTH, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '')
    .replace(/\n{3,}/g, '\n\n');
}

// ---- plain text --------------------------------------------------------------------------------

/** Paragraphs are separated by blank lines; a short line in capitals or ending in a colon, alone
 *  in its paragraph, is taken for a heading. */
export function plainTextBlocks(input: string): ExtractedText {
  const b = new TextBuilder();
  for (const para of input.replace(/\r\n?/g, '\n').split(/\n[^\S\n]*\n/)) {
    const line = para.trim();
    if (!line) continue;
    const single = !line.includes('\n');
    const heading = single && line.length <= 80 && (/:$/.test(line) || (/\p{Lu}/u.test(line) && line === line.toUpperCase()));
    b.add(heading ? 'heading' : 'paragraph', heading ? line.replace(/:$/, '') : line, { level: 2 });
  }
  return b.build();
}

// ---- markdown ----------------------------------------------------------------------------------

/** Inline Markdown to its visible text: links and images keep their text, emphasis and code marks go. */
export function markdownInline(s: string): string {
  return s
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:[^>\s]+)>/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[^\w*])([*_])(?=\S)(.+?)(?<=\S)\2(?![\w*])/g, '$1$3')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!>])/g, '$1');
}

export function markdownBlocks(input: string): ExtractedText {
  const b = new TextBuilder();
  const lines = input.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let paraKind: BlockKind = 'paragraph';
  const flush = () => {
    if (para.length > 0) b.add(paraKind, markdownInline(para.join(' ')));
    para = [];
    paraKind = 'paragraph';
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence[1]!); i++) code.push(lines[i]!);
      b.add('paragraph', code.join('\n'), { keepLines: true });
      continue;
    }
    const atx = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (atx) {
      flush();
      b.add('heading', markdownInline(atx[2]!), { level: atx[1]!.length });
      continue;
    }
    const next = lines[i + 1];
    if (para.length === 0 && line.trim() && next !== undefined && /^\s{0,3}(=+|-+)\s*$/.test(next) && !/^\s*[-*+]\s/.test(line)) {
      b.add('heading', markdownInline(line), { level: next.trim().startsWith('=') ? 1 : 2 });
      i++;
      continue;
    }
    if (!line.trim() || /^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      flush();
      continue;
    }
    const item = /^\s*(?:[-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      para = [item[1]!];
      paraKind = 'item';
      continue;
    }
    para.push(line.replace(/^\s{0,3}>\s?/, '').trim());
  }
  flush();
  return b.build();
}

// ---- HTML (also what DOCX becomes through mammoth) ---------------------------------------------

/** Elements whose content is never text a reader sees. */
const SKIP = new Set(['title', 'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'canvas', 'select', 'head', 'button', 'audio', 'video']);
/** Elements that end the text before them and start a new block. */
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'header', 'footer', 'main', 'aside', 'nav', 'blockquote', 'pre', 'table', 'thead',
  'tbody', 'tfoot', 'tr', 'ul', 'ol', 'dl', 'dt', 'dd', 'figure', 'figcaption', 'form', 'fieldset', 'address', 'hr',
  'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'body', 'html', 'caption', 'details', 'summary',
]);
const VOID = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'source', 'track', 'wbr']);

/**
 * HTML to blocks: only text nodes ever reach the output (entities decoded by the parser), so no
 * markup, script or attribute can survive into a chunk or, later, into a prompt or a view.
 */
export function htmlBlocks(html: string): ExtractedText {
  const b = new TextBuilder();
  let buf = '';
  let kind: BlockKind = 'paragraph';
  let level = 0;
  let skipDepth = 0;
  let preDepth = 0;
  let inTitle = false;
  let title = '';
  const stack: string[] = [];
  const flush = () => {
    if (buf.trim()) b.add(kind, buf, { level, keepLines: preDepth > 0 });
    buf = '';
    kind = 'paragraph';
    level = 0;
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (!VOID.has(name)) stack.push(name);
        if (name === 'title') inTitle = true;
        if (SKIP.has(name)) {
          if (!VOID.has(name)) skipDepth++;
          return;
        }
        if (skipDepth > 0) return;
        if (name === 'br') {
          buf += preDepth > 0 ? '\n' : ' ';
          return;
        }
        if (name === 'img') return;
        if (name === 'td' || name === 'th') {
          if (buf.trim()) buf += ' | ';
          return;
        }
        if (BLOCKS.has(name)) {
          flush();
          const h = /^h([1-6])$/.exec(name);
          if (h) {
            kind = 'heading';
            level = Number(h[1]);
          } else if (name === 'li' || name === 'dt') kind = 'item';
          if (name === 'pre') preDepth++;
        }
      },
      ontext(text) {
        if (inTitle) title += text;
        if (skipDepth > 0) return;
        buf += text;
      },
      onclosetag(name, implied) {
        // A void element never pushed; an unmatched close tag must not pop someone else's.
        if (VOID.has(name)) return;
        const at = stack.lastIndexOf(name);
        if (at < 0 && !implied) return;
        if (at >= 0) stack.length = at;
        if (name === 'title') inTitle = false;
        if (SKIP.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth > 0) return;
        if (BLOCKS.has(name)) {
          flush();
          if (name === 'pre') preDepth = Math.max(0, preDepth - 1);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return b.build(title.trim() || null);
}

// ---- PDF text layer ----------------------------------------------------------------------------

/** A run of text as pdf.js reports it (getTextContent items). */
export interface PdfTextItem {
  str: string;
  /** Baseline y in PDF space (grows upwards). */
  y: number;
  fontSize: number;
  hasEOL: boolean;
}

interface PdfLine {
  text: string;
  y: number;
  size: number;
}

function pdfLines(items: readonly PdfTextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let cur: PdfLine | null = null;
  for (const it of items) {
    if (it.str) {
      // A run on another baseline is a new line even without an EOL mark (columns, headers).
      if (cur && Math.abs(cur.y - it.y) > Math.max(2, 0.5 * Math.max(cur.size, it.fontSize))) {
        lines.push(cur);
        cur = null;
      }
      if (!cur) cur = { text: it.str, y: it.y, size: it.fontSize };
      else {
        cur.text += it.str;
        cur.size = Math.max(cur.size, it.fontSize);
      }
    }
    if (it.hasEOL && cur) {
      lines.push(cur);
      cur = null;
    }
  }
  if (cur) lines.push(cur);
  return lines.filter((l) => l.text.trim());
}

/** The font size most of the document's characters are set in: the body text. */
export function bodyFontSize(pages: readonly (readonly PdfTextItem[])[]): number {
  const bySize = new Map<number, number>();
  for (const items of pages) for (const it of items) {
    const size = Math.round(it.fontSize * 2) / 2;
    bySize.set(size, (bySize.get(size) ?? 0) + it.str.length);
  }
  let best = 0;
  let most = -1;
  for (const [size, chars] of bySize) if (chars > most) [best, most] = [size, chars];
  return best || 12;
}

/**
 * Adds one page's text layer as blocks: lines joined into paragraphs while the gap to the next
 * baseline stays a line's height; a line set clearly larger than the body text is a heading.
 */
export function addPdfPage(b: TextBuilder, items: readonly PdfTextItem[], page: number, bodySize: number, headingSizes: readonly number[]): void {
  const lines = pdfLines(items);
  let para: PdfLine[] = [];
  const flush = () => {
    if (para.length === 0) return;
    let text = '';
    for (const l of para) {
      const t = l.text.trim();
      // A word hyphenated across lines is joined again ("ingre-" + "dients").
      if (/\p{L}-$/u.test(text) && /^\p{Ll}/u.test(t)) text = text.slice(0, -1) + t;
      else text = text ? `${text} ${t}` : t;
    }
    const size = para[0]!.size;
    const heading = size >= bodySize * 1.15 && text.length <= 200;
    const level = heading ? Math.min(6, 1 + headingSizes.findIndex((s) => size >= s - 0.25)) : 0;
    b.add(heading ? 'heading' : 'paragraph', text, { level: Math.max(1, level), page });
    para = [];
  };
  for (const line of lines) {
    const prev = para[para.length - 1];
    if (prev) {
      const gap = prev.y - line.y;
      const sizeChanged = Math.abs(prev.size - line.size) > 0.75;
      if (sizeChanged || gap > 1.6 * Math.max(prev.size, line.size) || gap < -prev.size) flush();
    }
    para.push(line);
  }
  flush();
}

/** Sizes above the body text, largest first: heading levels 1, 2, 3... */
export function headingSizes(pages: readonly (readonly PdfTextItem[])[], bodySize: number): number[] {
  const sizes = new Set<number>();
  for (const items of pages) for (const it of items) if (it.str.trim() && it.fontSize >= bodySize * 1.15) sizes.add(Math.round(it.fontSize * 2) / 2);
  return [...sizes].sort((a, b) => b - a).slice(0, 6);
}
