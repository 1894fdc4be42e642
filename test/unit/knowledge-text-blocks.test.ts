// Extracted text and its blocks for every text format: offsets are exact, markup never survives,
// and PDF lines join into paragraphs and headings by font size and line gaps.
import { describe, expect, it } from 'vitest';
import { detectFormat, KnowledgeError } from '../../electron/core/knowledge/formats';
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
} from '../../electron/core/knowledge/text-blocks';

const blockTexts = (d: ExtractedText) => d.blocks.map((b) => [b.kind, b.level, d.text.slice(b.start, b.end)]);

describe('plain text', () => {
  it('given blank-line paragraphs and a capitalised line, then paragraphs collapse their line breaks and the line is a heading', () => {
    const d = plainTextBlocks('RETURNS\r\n\r\nBring it back\r\nwithin a week.\n   \nThanks:\n\n');
    expect(blockTexts(d)).toEqual([
      ['heading', 2, 'RETURNS'],
      ['paragraph', 0, 'Bring it back within a week.'],
      ['heading', 2, 'Thanks'],
    ]);
  });
});

describe('markdown', () => {
  it('given headings (ATX and setext), lists, quotes, emphasis, links, images and a code fence, then the visible text remains in its blocks', () => {
    const d = markdownBlocks(
      'Title\n=====\n\nSome **bold** and _soft_ words with `code` and [a link](http://x.y).\n\n## Sub ##\n\n* one\n* two\n\n> quoted line\n\n![a photo](p.png)\n\n```\nkeep  spacing\n  here\n```\n',
    );
    expect(blockTexts(d)).toEqual([
      ['heading', 1, 'Title'],
      ['paragraph', 0, 'Some bold and soft words with code and a link.'],
      ['heading', 2, 'Sub'],
      ['item', 0, 'one'],
      ['item', 0, 'two'],
      ['paragraph', 0, 'quoted line'],
      ['paragraph', 0, 'a photo'],
      ['paragraph', 0, 'keep  spacing\n  here'],
    ]);
  });
});

describe('HTML', () => {
  it('given hostile markup, then no tag, script, style, comment or attribute reaches the text', () => {
    const d = htmlBlocks(
      '<p onclick="evil()">Hi <b>there</b><!-- secret --></p><script>document.cookie</script><style>.x{}</style><svg><text>svg text</text></svg><iframe src="x">frame</iframe><p>&lt;script&gt;alert(1)&lt;/script&gt; is shown as text</p>',
    );
    expect(d.text).toBe('Hi there\n\n<script>alert(1)</script> is shown as text');
    expect(d.text).not.toMatch(/evil|cookie|secret|svg text|frame|\.x\{/);
  });

  it('given headings, lists, tables, pre and unclosed tags, then blocks follow the structure', () => {
    const d = htmlBlocks('<title>T</title><h2>Menu</h2><ul><li>Bread<li>Cake</ul><table><tr><td>a</td><td>b</td></tr></table><pre>x  y\nz</pre><div>unclosed <span>text');
    expect(d.title).toBe('T');
    expect(blockTexts(d)).toEqual([
      ['heading', 2, 'Menu'],
      ['item', 0, 'Bread'],
      ['item', 0, 'Cake'],
      ['paragraph', 0, 'a | b'],
      ['paragraph', 0, 'x  y\nz'],
      ['paragraph', 0, 'unclosed text'],
    ]);
  });
});

describe('PDF text layer', () => {
  const item = (str: string, y: number, fontSize = 11, hasEOL = true): PdfTextItem => ({ str, y, fontSize, hasEOL });

  it('given lines 15 pt apart, a 25 pt gap and a larger heading, then lines join into paragraphs and the heading stands alone', () => {
    const items = [
      item('Opening hours', 770, 16, false),
      item('', 741, 11),
      item('We open at seven on weekdays and at', 741),
      item('eight on Satur-', 726),
      item('days.', 711, 11, false),
      item('Second paragraph starts here.', 686),
    ];
    const body = bodyFontSize([items]);
    expect(body).toBe(11);
    const b = new TextBuilder();
    addPdfPage(b, items, 3, body, headingSizes([items], body));
    const d = b.build();
    expect(blockTexts(d)).toEqual([
      ['heading', 1, 'Opening hours'],
      ['paragraph', 0, 'We open at seven on weekdays and at eight on Saturdays.'],
      ['paragraph', 0, 'Second paragraph starts here.'],
    ]);
    expect(d.blocks.every((x) => x.page === 3)).toBe(true);
  });
});

describe('detectFormat', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('given names and first bytes, then the format follows the name, and contradictions are refused with what to do', () => {
    expect(detectFormat('a.MD', bytes('# x'))).toBe('md');
    expect(detectFormat('a.htm', bytes('<p>'))).toBe('html');
    expect(detectFormat('a.pdf', bytes('%PDF-1.7'))).toBe('pdf');
    expect(detectFormat('no-extension', bytes('%PDF-1.4'))).toBe('pdf');
    expect(detectFormat('a.docx', new Uint8Array([0x50, 0x4b, 0x03, 0x04]))).toBe('docx');
    expect(() => detectFormat('a.txt', bytes('%PDF-1.4'))).toThrow(/holds a PDF file, not text/);
    expect(() => detectFormat('a.docx', bytes('hello'))).toThrow(KnowledgeError);
    expect(() => detectFormat('a.xlsx', bytes('x'))).toThrow(/not a format the knowledge base reads/);
  });
});
