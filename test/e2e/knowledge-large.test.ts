// The "done when": ingesting a 200-page PDF and a 50-page DOCX shows progress and indexes
// them while the main event loop's lag stays under 50 ms throughout, measured with
// monitorEventLoopDelay from the import call to the last 'indexed' event. Both documents are built
// in beforeAll (pdf-lib, docx) so the repository carries no megabytes of binaries.
// It runs with the e2e files, one file at a time: beside the Node suite's parallel files on two
// cores, other processes' CPU showed up as 50-90 ms spikes in this process's loop lag.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeExtractWorker } from '../../electron/core/knowledge/extract-client';
import { makeDocx, makePdf } from '../fixtures/knowledge/make-fixtures';
import { watchKnowledge } from '../fixtures/knowledge/watch';
import { startTestCore, type TestCore } from '../helpers/core';

const LAG_LIMIT_MS = 50;

let core: TestCore;
let watch: ReturnType<typeof watchKnowledge>;
let ws: string;
let pdfPath: string;
let docxPath: string;

beforeAll(async () => {
  core = await startTestCore();
  watch = watchKnowledge(core);
  ws = (await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/London' })).id;
  const dir = join(core.dir, 'fixtures');
  mkdirSync(dir);
  pdfPath = join(dir, 'manual-200-pages.pdf');
  docxPath = join(dir, 'handbook-50-pages.docx');
  writeFileSync(pdfPath, await makePdf(200));
  writeFileSync(docxPath, await makeDocx(50));
  // Start the extraction worker with a one-page PDF and DOCX first. Under vitest the worker runs
  // its TypeScript through tsx, which compiles pdf.js and mammoth on first load and competes with
  // the main thread for this machine's two cores (~30 ms of lag, an artefact of the test setup:
  // the bundled worker of the app starts with ~4 ms). The measurement is of indexing itself.
  const warm = await Promise.all([
    core.call('knowledge.import', { workspaceId: ws, fileName: 'warm.pdf', contentBase64: Buffer.from(await makePdf(1)).toString('base64') }),
    core.call('knowledge.import', { workspaceId: ws, fileName: 'warm.docx', contentBase64: (await makeDocx(1)).toString('base64') }),
  ]);
  for (const w of warm) if (w.kind === 'document') await watch.done(w.document.id);
  await core.call('knowledge.search', { workspaceId: ws, query: 'warm up', mode: 'hybrid' });
});
afterAll(async () => {
  watch.stop();
  await closeExtractWorker();
  await core.cleanup();
});

describe('a 200-page PDF and a 50-page DOCX', () => {
  it('given both imported at once, then both are indexed with progress while the event loop lag stays under 50 ms', async () => {
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    // A second, independent measure: the worst lateness of a 5 ms timer.
    let worstTimerLate = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worstTimerLate = Math.max(worstTimerLate, now - last - 5);
      last = now;
    }, 5);
    histogram.enable();
    const started = performance.now();
    const [pdf, docx] = await Promise.all([
      core.call('knowledge.import', { workspaceId: ws, path: pdfPath }),
      core.call('knowledge.import', { workspaceId: ws, path: docxPath }),
    ]);
    if (pdf.kind !== 'document' || docx.kind !== 'document') throw new Error('expected documents');
    const [pdfEnd, docxEnd] = await Promise.all([watch.done(pdf.document.id, 300_000), watch.done(docx.document.id, 300_000)]);
    const elapsed = performance.now() - started;
    histogram.disable();
    clearInterval(ticker);

    const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
    const figures = {
      elapsed_s: Math.round(elapsed / 100) / 10,
      lag_max_ms: ms(histogram.max),
      lag_p99_ms: ms(histogram.percentile(99)),
      lag_mean_ms: ms(histogram.mean),
      timer_late_max_ms: Math.round(worstTimerLate * 10) / 10,
    };
    console.log(`[knowledge] indexing a 200-page PDF and a 50-page DOCX together: ${JSON.stringify(figures)}`);

    expect(pdfEnd.stage).toBe('indexed');
    expect(docxEnd.stage).toBe('indexed');
    // monitorEventLoopDelay reports delay beyond its resolution; both measures must stay under the bar.
    expect(figures.lag_max_ms).toBeLessThan(LAG_LIMIT_MS);
    expect(figures.timer_late_max_ms).toBeLessThan(LAG_LIMIT_MS);

    const pdfDoc = await core.call('knowledge.document', { documentId: pdf.document.id, includeText: true });
    expect(pdfDoc.document.chunkCount).toBe(pdfDoc.chunks.length);
    expect(pdfDoc.chunks.length).toBeGreaterThan(200);
    expect(Math.max(...pdfDoc.chunks.map((c) => c.page ?? 0))).toBe(200);
    for (const c of pdfDoc.chunks) expect(pdfDoc.text!.slice(c.startChar!, c.endChar!)).toBe(c.content);
    const docxDoc = await core.call('knowledge.document', { documentId: docx.document.id });
    expect(docxDoc.chunks.length).toBeGreaterThan(50);

    // Progress: page by page while reading the PDF, then storing and embedding, never backwards.
    const pdfEvents = watch.of(pdf.document.id);
    expect(pdfEvents.some((e) => e.message === 'Reading page 200 of 200')).toBe(true);
    expect(pdfEvents.filter((e) => e.stage === 'extracting').length).toBeGreaterThan(20);
    expect(pdfEvents.filter((e) => e.stage === 'embedding').length).toBeGreaterThan(2);
    for (const events of [pdfEvents, watch.of(docx.document.id)]) {
      for (let i = 1; i < events.length; i++) expect(events[i]!.fraction).toBeGreaterThanOrEqual(events[i - 1]!.fraction);
    }

    const hits = await core.call('knowledge.search', { workspaceId: ws, query: 'how humid should the proofing cabinet be', mode: 'hybrid', limit: 5 });
    expect(hits.hits.length).toBe(5);
    expect(hits.hits[0]!.content.toLowerCase()).toContain('proofing cabinet humidity');
  });
});
