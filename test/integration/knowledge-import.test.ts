// Importing into the knowledge base through the real API and scheduler: every format is extracted
// (PDF and DOCX by real parsers, from files built by pdf-lib and docx), chunked with offsets that
// point at exactly the stored text, embedded with the built-in embedder and found by full-text and
// vector search; progress arrives in order; damaged files fail with a reason a person can act on.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/api/errors';
import { closeExtractWorker } from '../../electron/core/knowledge/extract-client';
import { LOCAL_EMBEDDER_ID } from '../../electron/core/knowledge/local-embedder';
import { makeDocx, makePdf, SMALL_DOC } from '../fixtures/knowledge/make-fixtures';
import { watchKnowledge } from '../fixtures/knowledge/watch';
import { startTestCore, type TestCore } from '../helpers/core';

let core: TestCore;
let watch: ReturnType<typeof watchKnowledge>;
let ws: string;
let files: string;

beforeAll(async () => {
  core = await startTestCore();
  watch = watchKnowledge(core);
  ws = (await core.call('workspaces.create', { name: 'Crumb Bakery', timezone: 'Europe/London' })).id;
  files = join(core.dir, 'incoming');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(files);
});
afterAll(async () => {
  watch.stop();
  await closeExtractWorker();
  await core.cleanup();
});

async function importFile(name: string, bytes: Uint8Array | string) {
  const path = join(files, name);
  writeFileSync(path, bytes);
  const r = await core.call('knowledge.import', { workspaceId: ws, path });
  if (r.kind !== 'document') throw new Error('expected a document');
  return r;
}

/** Import, wait for the job, and read back the document with its extracted text. */
async function indexed(name: string, bytes: Uint8Array | string) {
  const r = await importFile(name, bytes);
  const end = await watch.done(r.document.id);
  const detail = await core.call('knowledge.document', { documentId: r.document.id, includeText: true });
  return { ...detail, end, importResult: r };
}

/** The job's row once the runner has recorded how it ended. */
async function settledJob(jobId: string): Promise<{ status: string; attempts: number }> {
  for (let i = 0; i < 200; i++) {
    const job = core.ctx.db.sqlite.prepare(`SELECT status, attempts FROM jobs WHERE id = ?`).get(jobId) as { status: string; attempts: number };
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} still running`);
}

function expectOffsetsExact(detail: Awaited<ReturnType<typeof indexed>>) {
  expect(detail.text).not.toBeNull();
  expect(detail.chunks.length).toBeGreaterThan(0);
  for (const c of detail.chunks) {
    expect(c.startChar).not.toBeNull();
    expect(detail.text!.slice(c.startChar!, c.endChar!)).toBe(c.content);
    expect(c.embedder).toBe(LOCAL_EMBEDDER_ID);
    expect(c.dims).toBe(384);
  }
}

describe('each format', () => {
  it('given a plain text file, when imported, then it is indexed with paragraphs as chunks and exact offsets', async () => {
    const text = 'OPENING HOURS\n\nWe open at 7am on weekdays.\nWe close at 6pm.\n\nPARKING\n\nThere is free parking behind the shop.';
    const d = await indexed('hours.txt', text);
    expect(d.end.stage).toBe('indexed');
    expect(d.document.status).toBe('indexed');
    expect(d.document.format).toBe('txt');
    expect(d.document.title).toBe('hours');
    expectOffsetsExact(d);
    expect(d.text).toBe('OPENING HOURS\n\nWe open at 7am on weekdays. We close at 6pm.\n\nPARKING\n\nThere is free parking behind the shop.');
    expect(d.document.chunkCount).toBe(d.chunks.length);
    expect(d.document.embedModel).toBe(LOCAL_EMBEDDER_ID);
  });

  it('given Markdown, when imported, then headings lose their marks, links keep their text, and each chunk knows its heading', async () => {
    const md = '# Wedding cakes\n\nWe make **tiered** cakes. See [our gallery](https://example.com/g).\n\n## Tastings\n\n- Book a tasting\n- Bring your ideas\n';
    const d = await indexed('weddings.md', md);
    expectOffsetsExact(d);
    expect(d.text).toBe('Wedding cakes\n\nWe make tiered cakes. See our gallery.\n\nTastings\n\nBook a tasting\n\nBring your ideas');
    expect(d.chunks[0]!.heading).toBe('Wedding cakes');
  });

  it('given HTML with script, style and entities, when imported, then only the visible text is kept, in its blocks', async () => {
    const html = `<!doctype html><html><head><title>Allergens &amp; you</title><style>p{color:red}</style><script>alert("x")</script></head>
      <body><h1>Allergen policy</h1><p>We bake with nuts&nbsp;&amp; sesame.<br>Ask us before ordering.</p>
      <ul><li>Gluten-free loaves on Fridays</li><li>Vegan brownies daily</li></ul>
      <table><tr><th>Item</th><th>Contains</th></tr><tr><td>Croissant</td><td>milk, egg</td></tr></table>
      <img src="x" onerror="alert(1)"><noscript>enable JS</noscript></body></html>`;
    const d = await indexed('allergens.html', html);
    expectOffsetsExact(d);
    expect(d.text).toBe(
      'Allergen policy\n\nWe bake with nuts\u00a0& sesame. Ask us before ordering.\n\nGluten-free loaves on Fridays\n\nVegan brownies daily\n\nItem | Contains\n\nCroissant | milk, egg'.replace('\u00a0', ' '),
    );
    expect(d.text).not.toMatch(/alert|color:red|enable JS|</);
    expect(d.document.title).toBe('allergens');
  });

  it('given a PDF made by pdf-lib, when imported, then its headings and paragraphs come back as text with the page of each chunk', async () => {
    const d = await indexed('hours.pdf', await makePdf(1, { sections: SMALL_DOC }));
    expect(d.document.status).toBe('indexed');
    expectOffsetsExact(d);
    const expected = SMALL_DOC.flatMap((s) => [s.heading, ...s.paragraphs]).join('\n\n');
    expect(d.text).toBe(expected);
    expect(d.chunks[0]!.page).toBe(1);
    expect(d.chunks[0]!.heading).toBe('Opening hours');
  });

  it('given a DOCX made by docx, when imported, then Word headings and paragraphs come back as text', async () => {
    const d = await indexed('hours.docx', await makeDocx(1, { sections: SMALL_DOC, sectionsPerPage: 10 }));
    expect(d.document.status).toBe('indexed');
    expectOffsetsExact(d);
    expect(d.text).toBe(SMALL_DOC.flatMap((s) => [s.heading, ...s.paragraphs]).join('\n\n'));
  });

  it('given a long document, when indexed, then chunks stay within 1200 characters, overlap a little inside a section, and cover all of its text', async () => {
    const sections = Array.from({ length: 6 }, (_, s) => ({
      heading: `Section ${s + 1}`,
      paragraphs: Array.from({ length: 5 }, (_, p) => `Paragraph ${p + 1} of section ${s + 1} explains one more rule of the kitchen in some detail. `.repeat(4).trim()),
    }));
    const md = sections.map((s) => `# ${s.heading}\n\n${s.paragraphs.join('\n\n')}`).join('\n\n');
    const d = await indexed('rules.md', md);
    expectOffsetsExact(d);
    expect(d.chunks.length).toBeGreaterThan(6);
    for (const c of d.chunks) expect(c.content.length).toBeLessThanOrEqual(1200);
    // Every character of the text is in some chunk, except the blank lines between blocks.
    const covered = new Uint8Array(d.text!.length);
    for (const c of d.chunks) covered.fill(1, c.startChar!, c.endChar!);
    const uncovered = [...d.text!].filter((ch, i) => !covered[i] && ch !== '\n').length;
    expect(uncovered).toBe(0);
    const overlaps = d.chunks.slice(1).filter((c, i) => c.startChar! < d.chunks[i]!.endChar!);
    expect(overlaps.length).toBeGreaterThan(0);
    for (const c of d.chunks) if (c.content.startsWith('Section')) expect(c.heading).toBe(c.content.split('\n')[0]);
  });
});

describe('progress and failures', () => {
  it('given an import, then progress events go queued → extracting → chunking → embedding → indexed with fractions that never go back', async () => {
    const r = await importFile('sizes.md', '# Sizes\n\nSix inch cakes serve eight people.\n\n# Prices\n\nA six inch cake costs thirty pounds.');
    expect(r.document.status).toBe('processing');
    expect(r.document.progress).toEqual({ stage: 'queued', fraction: 0, message: 'Waiting to be indexed' });
    await watch.done(r.document.id);
    const seen = watch.of(r.document.id);
    const stages = [...new Set(seen.map((e) => e.stage))];
    expect(stages).toEqual(['queued', 'extracting', 'chunking', 'embedding', 'indexed']);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    expect(seen.at(-1)).toMatchObject({ stage: 'indexed', fraction: 1, workspaceId: ws });
    const list = await core.call('knowledge.documents', { workspaceId: ws });
    const row = list.documents.find((x) => x.id === r.document.id)!;
    expect(row).toMatchObject({ status: 'indexed', progress: null, error: null, chunkCount: 1, stale: false });
  });

  it('given a damaged PDF, when imported, then it fails with a reason that says what to do, and its job does not retry', async () => {
    const good = await makePdf(1, { sections: SMALL_DOC });
    const broken = Buffer.concat([Buffer.from(good.subarray(0, 40)), Buffer.from('garbage '.repeat(50))]);
    const r = await importFile('broken.pdf', broken);
    const end = await watch.done(r.document.id);
    expect(end.stage).toBe('failed');
    expect(end.error).toMatch(/"broken\.pdf" could not be read as a PDF \(.+\)\. The file is damaged or not a PDF: export it again/);
    const doc = (await core.call('knowledge.documents', { workspaceId: ws })).documents.find((x) => x.id === r.document.id)!;
    expect(doc).toMatchObject({ status: 'failed', chunkCount: 0 });
    expect(doc.error).toBe(end.error);
    expect(await settledJob(r.jobId!)).toEqual({ status: 'failed', attempts: 1 });
  });

  it('given a .docx that is not a Word file, or a .doc, or an unknown type, then the import itself is refused with what to do', async () => {
    const refuse = async (name: string, body: string) => {
      writeFileSync(join(files, name), body);
      try {
        await core.call('knowledge.import', { workspaceId: ws, path: join(files, name) });
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        return (err as ApiError).message;
      }
      throw new Error('expected a refusal');
    };
    expect(await refuse('fake.docx', 'just text')).toMatch(/not a valid \.docx file.*save it as \.docx again/);
    expect(await refuse('old.doc', 'x')).toMatch(/old Word document \(\.doc\)\. Save it as \.docx or PDF/);
    expect(await refuse('photo.png', 'x')).toMatch(/Import a \.txt, \.md, \.html, \.pdf, \.docx or an FAQ \.csv file/);
  });

  it('given an image-only PDF, then it fails saying it has no text layer', async () => {
    const { PDFDocument } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    doc.addPage([200, 200]).drawRectangle({ x: 10, y: 10, width: 50, height: 50 });
    const r = await importFile('scan.pdf', await doc.save());
    const end = await watch.done(r.document.id);
    expect(end).toMatchObject({ stage: 'failed' });
    expect(end.error).toMatch(/no text layer .* OCR/);
  });

  it('given the same bytes twice, then the second import returns the first document as a duplicate; sent as text with a file name it is the same', async () => {
    const text = 'Gift cards can be used in the shop and online.';
    const a = await importFile('gift.txt', text);
    const b = await importFile('gift-copy.txt', text);
    expect(b).toMatchObject({ duplicate: true, jobId: null });
    expect(b.document.id).toBe(a.document.id);
    const c = await core.call('knowledge.import', { workspaceId: ws, fileName: 'gift.txt', text });
    expect(c).toMatchObject({ kind: 'document', duplicate: true });
    await watch.done(a.document.id);
  });

  it('given a PDF uploaded as base64 (web mode), then it is indexed like a file', async () => {
    const bytes = await makePdf(1, { sections: [{ heading: 'Bread club', paragraphs: ['Members get a loaf every Friday for ten pounds a month.'] }] });
    const r = await core.call('knowledge.import', { workspaceId: ws, fileName: 'club.pdf', contentBase64: Buffer.from(bytes).toString('base64') });
    if (r.kind !== 'document') throw new Error('expected a document');
    expect((await watch.done(r.document.id)).stage).toBe('indexed');
  });

  it('given a deleted document, then its chunks are gone from search and the list', async () => {
    const d = await indexed('delete-me.txt', 'Our sourdough bagels are boiled in honey water.');
    const before = await core.call('knowledge.search', { workspaceId: ws, query: 'honey bagels', mode: 'fts' });
    expect(before.hits.some((h) => h.documentId === d.document.id)).toBe(true);
    expect(await core.call('knowledge.delete', { documentId: d.document.id })).toEqual({ deleted: true, chunksRemoved: d.chunks.length });
    const after = await core.call('knowledge.search', { workspaceId: ws, query: 'honey bagels', mode: 'hybrid' });
    expect(after.hits.some((h) => h.documentId === d.document.id)).toBe(false);
    expect((await core.call('knowledge.documents', { workspaceId: ws })).documents.some((x) => x.id === d.document.id)).toBe(false);
    const vec = core.ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_vec_384 v JOIN knowledge_chunks c ON c.seq = v.chunk_seq WHERE c.document_id = ?`).get(d.document.id) as { n: number };
    expect(vec.n).toBe(0);
    await expect(core.call('knowledge.document', { documentId: d.document.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('given a document deleted while it is being indexed, then the job stops and leaves no chunk behind', async () => {
    const bytes = await makePdf(30);
    const path = join(files, 'big-deleted.pdf');
    writeFileSync(path, bytes);
    const r = await core.call('knowledge.import', { workspaceId: ws, path });
    if (r.kind !== 'document') throw new Error('expected a document');
    const id = r.document.id;
    await new Promise<void>((resolve) => {
      const poll = () => (watch.of(id).some((e) => e.stage !== 'queued') ? resolve() : setTimeout(poll, 5));
      poll();
    });
    await core.call('knowledge.delete', { documentId: id });
    expect((await settledJob(r.jobId!)).status).toBe('completed');
    const left = core.ctx.db.sqlite.prepare(`SELECT count(*) AS n FROM knowledge_chunks WHERE document_id = ?`).get(id) as { n: number };
    expect(left.n).toBe(0);
    expect(watch.of(id).some((e) => e.stage === 'indexed')).toBe(false);
  });

  it('given a failed document, when re-indexed after the file is fixed, then it is indexed', async () => {
    const r = await importFile('retry.pdf', Buffer.from('%PDF-1.7 not really'));
    expect((await watch.done(r.document.id)).stage).toBe('failed');
    const row = core.ctx.db.sqlite.prepare(`SELECT file_path AS p FROM knowledge_documents WHERE id = ?`).get(r.document.id) as { p: string };
    writeFileSync(row.p, await makePdf(1, { sections: SMALL_DOC }));
    watch.events.length = 0;
    const again = await core.call('knowledge.reindex', { documentId: r.document.id });
    expect(again.document.status).toBe('processing');
    expect((await watch.done(r.document.id)).stage).toBe('indexed');
  });
});

describe('search modes', () => {
  it('given indexed documents and FAQ entries, then fts, vector and hybrid each return hits with their own scores and the source title', async () => {
    await indexed('delivery.md', '# Delivery\n\nWe deliver cakes within five miles of the shop for a fee of six pounds.');
    const faq = await core.call('knowledge.faqCreate', {
      workspaceId: ws,
      questions: ['Do you have parking?', 'Where can I park?'],
      answer: 'Yes, free parking behind the shop for thirty minutes.',
    });
    expect(faq.embedded).toBe(true);

    const fts = await core.call('knowledge.search', { workspaceId: ws, query: 'do you deliver cakes?', mode: 'fts' });
    expect(fts.hits[0]).toMatchObject({ title: 'delivery', source: 'document', scores: { vector: null, hybrid: null } });
    expect(fts.hits[0]!.scores.fts!.rank).toBe(1);
    expect(fts.hits[0]!.score).toBe(fts.hits[0]!.scores.fts!.bm25);
    expect(fts.hits[0]!.score).toBeGreaterThan(0);
    expect(fts.hits[0]!.snippet).toContain('\u0002');

    const vec = await core.call('knowledge.search', { workspaceId: ws, query: 'where do I park my car', mode: 'vector' });
    expect(vec.embedder).toEqual({ kind: 'local', model: LOCAL_EMBEDDER_ID });
    expect(vec.hits[0]).toMatchObject({ source: 'faq', faqId: faq.id, title: 'Do you have parking?', scores: { fts: null, hybrid: null } });
    expect(vec.hits[0]!.scores.vector!.similarity).toBeCloseTo(1 - vec.hits[0]!.scores.vector!.distance, 6);
    for (let i = 1; i < vec.hits.length; i++) expect(vec.hits[i]!.score).toBeLessThanOrEqual(vec.hits[i - 1]!.score);

    const hyb = await core.call('knowledge.search', { workspaceId: ws, query: 'cake delivery fee', mode: 'hybrid' });
    const top = hyb.hits[0]!;
    expect(top.title).toBe('delivery');
    expect(top.scores.fts).not.toBeNull();
    expect(top.scores.vector).not.toBeNull();
    expect(top.score).toBeCloseTo(1 / (60 + top.scores.fts!.rank) + 1 / (60 + top.scores.vector!.rank), 10);
    expect(hyb.vectorError).toBeNull();
  });

  it('given a question with FTS5 syntax in it, then search treats it as words and does not fail', async () => {
    const r = await core.call('knowledge.search', { workspaceId: ws, query: 'cakes" OR NEAR(* "', mode: 'hybrid' });
    expect(Array.isArray(r.hits)).toBe(true);
  });
});
