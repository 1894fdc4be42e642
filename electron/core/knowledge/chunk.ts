// Splitting extracted text into the passages that are searched and quoted.
//
// How: blocks (headings, paragraphs, list items) are packed in order into chunks of at most
// CHUNK_MAX_CHARS. A heading starts a new chunk once the current one holds CHUNK_MIN_CHARS, so a
// passage rarely straddles two sections. A block longer than a chunk is cut at sentence ends
// (else at a space). Each chunk that continues the previous one's section begins up to
// CHUNK_OVERLAP_CHARS earlier, at a sentence or word start, so a fact cut at a boundary is whole
// in one of the two. Chunks are character ranges of the extracted text: content is always
// `text.slice(start, end)`; the heading in force is kept beside it for context.
//
// Sizes: most chunks end up 800-1200 characters (~150-250 words, ~200-300 tokens): small enough
// that a hit points at the passage that answers, large enough to carry a whole answer. Pure module
// (runs in the extraction worker and in tests).
import type { ExtractedText, TextBlock } from './text-blocks';

export const CHUNK_MAX_CHARS = 1200;
export const CHUNK_TARGET_CHARS = 1000;
export const CHUNK_MIN_CHARS = 800;
export const CHUNK_OVERLAP_CHARS = 150;
/** A heading closes the chunk before it only when that chunk has this much text already. */
const SECTION_BREAK_MIN_CHARS = 300;

export interface TextChunk {
  index: number;
  start: number;
  end: number;
  /** The nearest heading above the chunk's start (or at it), for context in results and prompts. */
  heading: string | null;
  /** PDF: the page the chunk starts on. */
  page: number | null;
}

interface Piece {
  start: number;
  end: number;
  heading: boolean;
  page: number | null;
}

/** Cut [start, end) into pieces of at most `max` characters, at sentence ends where possible. */
function splitLong(text: string, start: number, end: number, max: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let s = start;
  while (end - s > max) {
    const window = text.slice(s, s + max);
    let cut = -1;
    const sentence = /[.!?…](?:["'”’)\]]*)\s+/g;
    for (let m = sentence.exec(window); m; m = sentence.exec(window)) if (m.index + m[0].length >= max * 0.5) cut = m.index + m[0].length;
    if (cut < 0) {
      const space = window.lastIndexOf(' ');
      cut = space > max * 0.5 ? space + 1 : max;
    }
    let e = s + cut;
    // Trailing whitespace belongs to no piece.
    while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
    out.push({ start: s, end: e });
    s += cut;
    while (s < end && /\s/.test(text[s] ?? '')) s++;
  }
  if (end > s) out.push({ start: s, end });
  return out;
}

/** Where the overlap of a chunk that ends at `end` begins: a sentence start in the last
 *  CHUNK_OVERLAP_CHARS if there is one, else a word start; never before `floor`. */
function overlapStart(text: string, end: number, floor: number): number {
  const from = Math.max(floor, end - CHUNK_OVERLAP_CHARS);
  if (from >= end) return end;
  const tail = text.slice(from, end);
  const sentence = /[.!?…](?:["'”’)\]]*)\s+(?=\S)/g;
  let best = -1;
  for (let m = sentence.exec(tail); m; m = sentence.exec(tail)) {
    best = m.index + m[0].length;
    break;
  }
  if (best < 0 || best >= tail.length - 20) {
    const space = tail.indexOf(' ');
    if (space < 0 || space >= tail.length - 20) return end;
    best = space + 1;
  }
  return from + best;
}

function headingAt(text: string, blocks: readonly TextBlock[], offset: number): string | null {
  let found: TextBlock | null = null;
  for (const b of blocks) {
    if (b.start > offset) break;
    if (b.kind === 'heading') found = b;
  }
  return found ? text.slice(found.start, found.end) : null;
}

export function chunkText(doc: ExtractedText, opts: { max?: number } = {}): TextChunk[] {
  const max = opts.max ?? CHUNK_MAX_CHARS;
  const { text, blocks } = doc;
  const pieces: Piece[] = [];
  for (const b of blocks) {
    for (const p of splitLong(text, b.start, b.end, max - CHUNK_OVERLAP_CHARS)) {
      pieces.push({ ...p, heading: b.kind === 'heading', page: b.page ?? null });
    }
  }
  interface Range {
    start: number;
    end: number;
    page: number | null;
  }
  const ranges: Range[] = [];
  let cur: Range | null = null;
  let curNew = 0;
  for (const p of pieces) {
    if (cur) {
      const fits = p.end - cur.start <= max;
      const sectionBreak = p.heading && curNew >= SECTION_BREAK_MIN_CHARS;
      if (fits && !sectionBreak) {
        curNew += p.end - cur.end;
        cur.end = p.end;
        continue;
      }
      ranges.push(cur);
      // Continue a section with some overlap; a new section starts clean at its heading.
      const prevEnd: number = cur.end;
      const start: number = p.heading ? p.start : overlapStart(text, prevEnd, cur.start + 1);
      cur = { start: start < p.start && p.end - start <= max ? start : p.start, end: p.end, page: p.page };
      curNew = p.end - p.start;
      continue;
    }
    cur = { start: p.start, end: p.end, page: p.page };
    curNew = p.end - p.start;
  }
  if (cur) ranges.push(cur);
  return ranges.map((r, index) => ({ index, start: r.start, end: r.end, heading: headingAt(text, blocks, r.start), page: r.page }));
}

/** What is embedded for a chunk: the document title and heading give a short passage its topic. */
export function embeddingText(title: string | null, heading: string | null, content: string): string {
  const context = [title, heading && heading !== title && !content.startsWith(heading) ? heading : null].filter(Boolean).join(' — ');
  return context ? `${context}\n${content}` : content;
}
