// The PDF report of a range: totals with their change, engagement over time drawn as vector lines,
// the top posts and the day × hour heatmap. Built with pdf-lib in the core, so every host makes the
// same file. The standard Helvetica font carries only WinAnsi characters: anything else in a post's
// text (emoji, non-Latin scripts) is shown as '?' rather than failing the whole report.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { Database } from '../../../db/client';
import { getWorkspace } from '../workspaces/workspaces';
import { dashboard, type AnalyticsFilter, type Dashboard, type RangeInput, type Totals } from './dashboard';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const INK = rgb(0.12, 0.13, 0.16);
const MUTED = rgb(0.42, 0.45, 0.5);
const ACCENT = rgb(0.16, 0.38, 0.85);
const GRID = rgb(0.88, 0.89, 0.92);
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

class Writer {
  readonly doc: PDFDocument;
  page!: PDFPage;
  y = 0;
  private readonly chars: Set<number>;

  constructor(doc: PDFDocument, readonly font: PDFFont, readonly bold: PDFFont) {
    this.doc = doc;
    this.chars = new Set(font.getCharacterSet());
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Room for `h` points more on this page, or a new page. */
  need(h: number): void {
    if (this.y - h < MARGIN) this.newPage();
  }

  clean(text: string): string {
    let out = '';
    for (const ch of text.replace(/\s+/g, ' ')) out += this.chars.has(ch.codePointAt(0)!) ? ch : '?';
    return out;
  }

  fit(text: string, width: number, size: number, font = this.font): string {
    let t = this.clean(text);
    if (font.widthOfTextAtSize(t, size) <= width) return t;
    while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
    return `${t}…`;
  }

  text(text: string, x: number, y: number, size: number, opts: { font?: PDFFont; color?: ReturnType<typeof rgb>; width?: number } = {}): void {
    const font = opts.font ?? this.font;
    const t = opts.width === undefined ? this.clean(text) : this.fit(text, opts.width, size, font);
    this.page.drawText(t, { x, y, size, font, color: opts.color ?? INK });
  }
}

const fmt = (n: number | null): string => (n === null ? '—' : n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}k` : String(Math.round(n * 100) / 100));
const pct = (n: number | null | undefined): string => (n === null || n === undefined ? '' : `${n > 0 ? '+' : ''}${n}%`);

function totalsBlock(w: Writer, d: Dashboard): void {
  const items: [string, keyof Totals, string?][] = [
    ['Posts', 'posts'], ['Impressions', 'impressions'], ['Reach', 'reach'], ['Engagements', 'engagements'], ['Engagement rate', 'engagementRate', '%'], ['Clicks', 'clicks'],
  ];
  const colW = (A4[0] - 2 * MARGIN) / 3;
  w.need(110);
  items.forEach(([label, key, unit], i) => {
    const x = MARGIN + (i % 3) * colW;
    const y = w.y - Math.floor(i / 3) * 52;
    w.text(label, x, y, 9, { color: MUTED });
    w.text(`${fmt(d.totals[key])}${unit && d.totals[key] !== null ? unit : ''}`, x, y - 18, 16, { font: w.bold });
    const ch = d.change[key];
    if (ch !== null && ch !== undefined) w.text(`${pct(ch)} vs previous ${d.range.days} days`, x, y - 32, 8, { color: ch >= 0 ? rgb(0.1, 0.5, 0.25) : rgb(0.7, 0.15, 0.15) });
  });
  w.y -= 110;
}

function chart(w: Writer, d: Dashboard): void {
  const width = A4[0] - 2 * MARGIN;
  const height = 150;
  w.need(height + 40);
  w.text('Engagements per day', MARGIN, w.y, 11, { font: w.bold });
  const top = w.y - 14;
  const bottom = top - height;
  const values = d.series.map((p) => p.engagements);
  const max = Math.max(1, ...values);
  for (let g = 0; g <= 4; g++) {
    const y = bottom + (height * g) / 4;
    w.page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.5, color: GRID });
    w.text(fmt((max * g) / 4), MARGIN + width + 4, y - 3, 7, { color: MUTED });
  }
  const n = values.length;
  const xAt = (i: number) => MARGIN + (n <= 1 ? width / 2 : (width * i) / (n - 1));
  const yAt = (v: number) => bottom + (height * v) / max;
  for (let i = 1; i < n; i++) {
    w.page.drawLine({ start: { x: xAt(i - 1), y: yAt(values[i - 1]!) }, end: { x: xAt(i), y: yAt(values[i]!) }, thickness: 1.5, color: ACCENT });
  }
  if (n === 1) w.page.drawCircle({ x: xAt(0), y: yAt(values[0]!), size: 2, color: ACCENT });
  w.text(d.range.from, MARGIN, bottom - 12, 7, { color: MUTED });
  const endLabel = w.clean(d.range.to);
  w.text(endLabel, MARGIN + width - w.font.widthOfTextAtSize(endLabel, 7), bottom - 12, 7, { color: MUTED });
  w.y = bottom - 32;
}

function topPosts(w: Writer, d: Dashboard, timezone: string): void {
  w.need(40);
  w.text('Top posts', MARGIN, w.y, 11, { font: w.bold });
  w.y -= 16;
  if (d.topPosts.length === 0) {
    w.text('No post in this range has figures yet.', MARGIN, w.y, 9, { color: MUTED });
    w.y -= 20;
    return;
  }
  const cols = [
    { label: 'Post', x: MARGIN, w: 250 },
    { label: 'Account', x: MARGIN + 256, w: 90 },
    { label: 'Date', x: MARGIN + 350, w: 60 },
    { label: 'Engagements', x: MARGIN + 414, w: 50 },
    { label: 'Rate', x: MARGIN + 470, w: 30 },
  ];
  for (const c of cols) w.text(c.label, c.x, w.y, 8, { color: MUTED });
  w.y -= 14;
  const date = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, day: '2-digit', month: 'short', year: '2-digit' });
  for (const p of d.topPosts) {
    w.need(16);
    const cells = [p.text, `${p.accountLabel} (${p.platform})`, date.format(p.publishedAt), fmt(p.engagements), p.engagementRate === null ? '—' : `${p.engagementRate}%`];
    cells.forEach((c, i) => w.text(c, cols[i]!.x, w.y, 8, { width: cols[i]!.w }));
    w.y -= 14;
  }
  w.y -= 12;
}

function heatmap(w: Writer, d: Dashboard): void {
  const cell = (A4[0] - 2 * MARGIN - 30) / 24;
  w.need(7 * cell + 60);
  w.text('Best posting times (average engagements per post, your last 365 days)', MARGIN, w.y, 11, { font: w.bold });
  const top = w.y - 16;
  const max = Math.max(0, ...d.heatmap.cells.map((c) => c.avgEngagements));
  const at = new Map(d.heatmap.cells.map((c) => [`${c.day}:${c.hour}`, c]));
  for (let day = 0; day < 7; day++) {
    const y = top - (day + 1) * cell;
    w.text(DAYS[day]!, MARGIN, y + cell / 3, 7, { color: MUTED });
    for (let hour = 0; hour < 24; hour++) {
      const c = at.get(`${day}:${hour}`);
      const t = c && max > 0 ? c.avgEngagements / max : 0;
      const color = c ? rgb(1 - 0.84 * t, 1 - 0.62 * t, 1 - 0.15 * t) : rgb(0.97, 0.97, 0.98);
      w.page.drawRectangle({ x: MARGIN + 30 + hour * cell, y, width: cell - 1, height: cell - 1, color });
    }
  }
  for (let hour = 0; hour < 24; hour += 3) w.text(String(hour).padStart(2, '0'), MARGIN + 30 + hour * cell, top - 7 * cell - 10, 6, { color: MUTED });
  w.y = top - 7 * cell - 28;
}

export async function exportPdf(db: Database, workspaceId: string, input: { range: RangeInput } & AnalyticsFilter, now = Date.now()): Promise<{ fileName: string; bytes: Buffer; pages: number }> {
  // A turn of the event loop between the stages (figures, fonts, each section, writing), so the
  // report's ~100 ms of work never holds the app in one piece.
  const ws = getWorkspace(db, workspaceId);
  const d = dashboard(db, workspaceId, input, now);
  await nextTurn();
  const doc = await PDFDocument.create();
  doc.setTitle(`${ws.name}: analytics ${d.range.from} to ${d.range.to}`);
  doc.setProducer('Postdesk');
  doc.setCreationDate(new Date(now));
  const w = new Writer(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  w.text(`${ws.name}: analytics`, MARGIN, w.y, 18, { font: w.bold });
  w.y -= 18;
  const scope = input.accountIds || input.platforms ? ' · filtered' : '';
  w.text(`${d.range.from} to ${d.range.to} (${d.range.days} days, ${ws.timezone})${scope}`, MARGIN, w.y, 9, { color: MUTED });
  w.y -= 30;
  await nextTurn();
  totalsBlock(w, d);
  chart(w, d);
  await nextTurn();
  topPosts(w, d, ws.timezone);
  await nextTurn();
  heatmap(w, d);
  await nextTurn();
  // Written a few objects per tick, so a report never holds the event loop for long.
  const bytes = Buffer.from(await doc.save({ objectsPerTick: 20 }));
  const slug = ws.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'workspace';
  return { fileName: `${slug}-analytics-${d.range.from}-to-${d.range.to}.pdf`, bytes, pages: doc.getPageCount() };
}
