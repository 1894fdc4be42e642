// Step 6: the knowledge base that grounds AI replies: the brand's core documents (menu, hours,
// policies), its FAQ, and enough blog posts, newsletters, recipes and handbooks to reach the
// scale's chunk count. Chunks get vectors from the built-in local embedder, written through
// db/search's putChunkEmbeddings like the app's own ingest does; FTS triggers index their text.
import { createHash } from 'node:crypto';
import { LOCAL_EMBEDDER_ID, localEmbedder } from '../../electron/core/knowledge/local-embedder';
import * as schema from '../schema';
import { putChunkEmbeddings } from '../search';
import type { DocKind } from './brand';
import { DAY, HOUR, growingTime, writer, type SeedContext } from './context';
import { TextMaker } from './text';

interface DocPlan {
  id: string;
  title: string;
  fileName: string;
  mime: string;
  sourceUrl: string | null;
  chunks: string[];
  at: number;
}

/** Vectors per putChunkEmbeddings call (one transaction each). */
const EMBED_BATCH = 2000;

function slug(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

const EXT: Record<string, string> = { 'text/markdown': 'md', 'text/html': 'html', 'text/plain': 'txt', 'application/pdf': 'pdf' };

export function seedKnowledge(ctx: SeedContext): void {
  const rng = ctx.rng.fork('knowledge');
  const ids = ctx.rng.fork('knowledge.ids');
  const text = new TextMaker(ctx.brand, ctx.rng.fork('knowledge.text'));
  const { brand } = ctx;
  let budget = ctx.scale.chunks;

  const faqs = brand.faq.slice(0, Math.max(0, Math.min(brand.faq.length, Math.floor(budget / 4))));
  budget -= faqs.length;

  const docs: DocPlan[] = [];
  brand.coreDocs.forEach((d, i) => {
    if (budget <= 0) return;
    const chunks = d.paragraphs.slice(0, budget);
    budget -= chunks.length;
    const at = ctx.start - DAY + i * HOUR;
    const ext = d.fileName.split('.').pop() ?? 'md';
    docs.push({ id: ids.uuidv7(at), title: d.title, fileName: d.fileName, mime: ext === 'pdf' ? 'application/pdf' : 'text/markdown', sourceUrl: null, chunks, at });
  });
  const kinds = brand.docKinds.map((k) => [k, k.weight] as const);
  const generated: { kind: DocKind; n: number; at: number }[] = [];
  while (budget > 0) {
    const kind = rng.weighted(kinds);
    const n = Math.min(budget, rng.int(kind.chunks[0], kind.chunks[1]));
    budget -= n;
    generated.push({ kind, n, at: Math.round(growingTime(rng, ctx.start, ctx.now - HOUR)) });
  }
  generated.sort((a, b) => a.at - b.at);
  for (const g of generated) {
    const title = text.fill(rng.pick(g.kind.titles));
    const chunks = Array.from({ length: g.n }, () => text.paragraph(g.kind.sentences));
    const file = `${slug(title)}.${EXT[g.kind.mime] ?? 'txt'}`;
    docs.push({
      id: ids.uuidv7(g.at),
      title,
      fileName: file,
      mime: g.kind.mime,
      sourceUrl: g.kind.key === 'blog' ? `${brand.website}/blog/${slug(title)}` : null,
      chunks,
      at: g.at,
    });
  }

  const dw = writer(ctx, schema.knowledgeDocuments, [
    'id', 'workspaceId', 'title', 'filePath', 'fileName', 'sourceUrl', 'mimeType', 'fileSizeBytes', 'contentSha256', 'status',
    'embedModel', 'embedDims', 'langCode', 'chunkCount', 'lastIngestedAt', 'lastEmbeddedAt', 'createdAt', 'updatedAt',
  ], docs.length);
  const seen = new Set<string>();
  for (const d of docs) {
    const body = d.chunks.join('\n\n');
    const sha = createHash('sha256').update(`${d.title}\n${body}`).digest('hex');
    // Re-uploading the same bytes is refused by a UNIQUE index; generated text never repeats a
    // whole document in practice, but keep the invariant rather than trust the odds.
    const unique = !seen.has(sha);
    seen.add(sha);
    const bytes = Buffer.byteLength(body) * (d.mime === 'application/pdf' ? 3 : 1);
    dw.add({
      id: d.id,
      workspaceId: ctx.workspaceId,
      title: d.title,
      filePath: `knowledge/${d.id}/${d.fileName}`,
      fileName: d.fileName,
      sourceUrl: d.sourceUrl,
      mimeType: d.mime,
      fileSizeBytes: bytes,
      contentSha256: unique ? sha : null,
      status: 'indexed',
      embedModel: LOCAL_EMBEDDER_ID,
      embedDims: localEmbedder.dims,
      langCode: 'en',
      chunkCount: d.chunks.length,
      lastIngestedAt: d.at,
      lastEmbeddedAt: d.at,
      createdAt: d.at,
      updatedAt: d.at,
    });
  }
  dw.close();

  const fw = writer(ctx, schema.faqEntries, ['id', 'workspaceId', 'title', 'questions', 'answer', 'textSizeBytes', 'langCode', 'isActive', 'metadata', 'createdAt', 'updatedAt']);
  const faqIds: string[] = [];
  faqs.forEach((f, i) => {
    const at = ctx.start - DAY + (i + 1) * 60_000;
    const id = ids.uuidv7(at);
    faqIds.push(id);
    fw.add({ id, workspaceId: ctx.workspaceId, title: f.title, questions: f.questions, answer: f.answer, textSizeBytes: Buffer.byteLength(f.answer), langCode: 'en', isActive: true, metadata: {}, createdAt: at, updatedAt: at });
  });
  fw.close();

  // Chunks with explicit seq (the rowid FTS and vec0 key on), continuing after any existing rows.
  const maxSeq = (ctx.sqlite.prepare(`SELECT coalesce(max(seq), 0) AS s FROM knowledge_chunks`).get() as { s: number }).s;
  let seq = maxSeq;
  const cw = writer(ctx, schema.knowledgeChunks, [
    'seq', 'id', 'workspaceId', 'documentId', 'faqId', 'chunkIndex', 'content', 'tokenCount', 'startChar', 'endChar', 'langCode', 'metadata', 'createdAt', 'updatedAt',
  ], ctx.scale.chunks);
  const all: { seq: number; content: string }[] = [];
  const add = (documentId: string | null, faqId: string | null, index: number, content: string, start: number, at: number) => {
    seq++;
    all.push({ seq, content });
    cw.add({
      seq,
      id: ids.uuidv7(at),
      workspaceId: ctx.workspaceId,
      documentId,
      faqId,
      chunkIndex: index,
      content,
      tokenCount: Math.ceil(content.split(/\s+/).length * 1.33),
      startChar: start,
      endChar: start + content.length,
      langCode: 'en',
      metadata: {},
      createdAt: at,
      updatedAt: at,
    });
  };
  for (const d of docs) {
    let start = 0;
    d.chunks.forEach((c, i) => {
      add(d.id, null, i, c, start, d.at);
      start += c.length + 2;
    });
  }
  faqs.forEach((f, i) => add(null, faqIds[i] as string, 0, `${f.questions.join(' ')}\n${f.answer}`, 0, ctx.start - DAY));
  cw.close();

  const started = performance.now();
  for (let i = 0; i < all.length; i += EMBED_BATCH) {
    const batch = all.slice(i, i + EMBED_BATCH);
    const vectors = localEmbedder.embed(batch.map((c) => c.content));
    putChunkEmbeddings(
      { sqlite: ctx.sqlite },
      batch.map((c, j) => ({ chunkSeq: c.seq, workspaceId: ctx.workspaceId, vector: vectors[j] as Float32Array })),
    );
    const done = Math.min(all.length, i + EMBED_BATCH);
    ctx.onProgress?.({ table: 'knowledge_vec_384', done, total: all.length, elapsedMs: performance.now() - started, finished: done === all.length });
  }
  ctx.counts['knowledge_vec_384'] = (ctx.counts['knowledge_vec_384'] ?? 0) + all.length;

  // Each upload was ingested by a background job.
  const jw = writer(ctx, schema.jobs, ['id', 'workspaceId', 'type', 'payload', 'status', 'runAt', 'dueAt', 'attempts', 'startedAt', 'completedAt', 'result', 'createdAt', 'updatedAt']);
  for (const d of docs) {
    const took = 200 + d.chunks.length * rng.int(8, 20);
    jw.add({
      id: ids.uuidv7(d.at),
      workspaceId: ctx.workspaceId,
      type: 'knowledge.ingest',
      payload: { documentId: d.id },
      status: 'completed',
      runAt: d.at,
      dueAt: d.at,
      attempts: 1,
      startedAt: d.at,
      completedAt: d.at + took,
      result: { chunks: d.chunks.length, embedder: LOCAL_EMBEDDER_ID },
      createdAt: d.at,
      updatedAt: d.at + took,
    });
  }
  jw.close();
}
