// FAQ entries (the seeds' faq_qa): one answer with several phrasings of its question. Each active
// entry is one chunk, "phrasing 1\nphrasing 2\n...\n\nanswer", so the same hybrid search that
// covers documents finds an entry by any of the ways customers ask.
//
// CSV import reads the columns by their headers: every column named like question, question 2,
// alternative question, phrasing, variant... holds phrasings (several in one cell may be separated
// by line breaks or "|"); the column named answer (or response, reply) holds the answer; title
// (or topic, category) is optional. Without a header row the last column is the answer and the
// others are phrasings. A row with phrasings and no answer adds them to the entry above it, and
// rows with the same answer are one entry, so both common spreadsheet layouts work. An entry whose
// answer is already in the knowledge base gets the new phrasings instead of a duplicate.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { newId } from '../../../db/schema/columns';
import { faqEntries } from '../../../db/schema/knowledge';
import { decodeCsvBytes, parseCsv } from '../posts/csv-parse';
import type { ApiContext } from '../context';
import { getWorkspace } from '../workspaces/workspaces';
import { currentEmbedder, embedTexts } from './embedders';
import { KnowledgeError } from './formats';
import { ensureFreshEmbeddings } from './reembed';
import { deleteChunksNow, insertChunksNow, writeVectors } from './store';

type FaqRow = typeof faqEntries.$inferSelect;

export const MAX_FAQ_QUESTIONS = 50;
export const MAX_FAQ_CSV_ROWS = 5000;

export interface FaqView {
  id: string;
  workspaceId: string;
  title: string | null;
  questions: string[];
  answer: string;
  isActive: boolean;
  /** Its chunk has a vector from the embedder now in force (false: waiting for re-embedding). */
  embedded: boolean;
  createdAt: number;
  updatedAt: number;
}

/** The text of an entry's chunk: every phrasing, then the answer. */
export function faqChunkText(questions: readonly string[], answer: string): string {
  return `${questions.join('\n')}\n\n${answer}`;
}

function cleanQuestions(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const q of list) {
    const t = q.replace(/\s+/g, ' ').trim();
    const key = t.toLowerCase();
    if (t && !seen.has(key)) {
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

function embeddedSet(db: Database, workspaceId: string, model: string): Set<string> {
  const rows = db.sqlite
    .prepare(
      `SELECT faq_id AS id FROM knowledge_chunks
        WHERE workspace_id = ? AND faq_id IS NOT NULL AND embedded_at IS NOT NULL AND json_extract(metadata, '$.embedder') = ?`,
    )
    .all(workspaceId, model) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

function toView(row: FaqRow, embedded: Set<string>): FaqView {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    title: row.title,
    questions: row.questions,
    answer: row.answer,
    isActive: row.isActive,
    embedded: embedded.has(row.id),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function listFaq(ctx: Pick<ApiContext, 'db'>, workspaceId: string): FaqView[] {
  getWorkspace(ctx.db, workspaceId);
  const embedded = embeddedSet(ctx.db, workspaceId, currentEmbedder(ctx.db, workspaceId).model);
  return ctx.db.orm
    .select()
    .from(faqEntries)
    .where(and(eq(faqEntries.workspaceId, workspaceId), isNull(faqEntries.deletedAt)))
    .orderBy(asc(faqEntries.createdAt))
    .all()
    .map((r) => toView(r, embedded));
}

function faqRow(db: Database, faqId: string): FaqRow {
  const row = db.orm
    .select()
    .from(faqEntries)
    .where(and(eq(faqEntries.id, faqId), isNull(faqEntries.deletedAt)))
    .get();
  if (!row) throw new KnowledgeError('not_found', 'not_found', 'That FAQ entry does not exist (it may have been deleted).');
  return row;
}

function viewOf(ctx: Pick<ApiContext, 'db'>, faqId: string): FaqView {
  const row = faqRow(ctx.db, faqId);
  return toView(row, embeddedSet(ctx.db, row.workspaceId, currentEmbedder(ctx.db, row.workspaceId).model));
}

/** Replace an entry's chunk (none while inactive). Synchronous: one small row. */
function writeChunk(db: Database, row: Pick<FaqRow, 'id' | 'workspaceId' | 'questions' | 'answer' | 'isActive'>): number | null {
  deleteChunksNow(db, { workspaceId: row.workspaceId, faqId: row.id });
  if (!row.isActive) return null;
  return insertChunksNow(db, { workspaceId: row.workspaceId, faqId: row.id }, [{ chunkIndex: 0, content: faqChunkText(row.questions, row.answer), startChar: null, endChar: null, heading: null, page: null }])[0] ?? null;
}

/**
 * Give a new or changed entry its vector now when the local embedder is in force (one chunk,
 * well under a millisecond); with an endpoint, the re-embed job does it in the background.
 */
async function embedEntry(ctx: ApiContext, workspaceId: string, seq: number | null, text: string): Promise<void> {
  if (seq === null) return;
  const choice = currentEmbedder(ctx.db, workspaceId);
  if (choice.kind === 'local') {
    const { vectors } = await embedTexts(ctx, workspaceId, choice, [text]);
    writeVectors(ctx.db, workspaceId, choice.model, [{ seq, vector: vectors[0]! }]);
  } else ensureFreshEmbeddings(ctx, workspaceId);
}

export interface FaqInput {
  workspaceId: string;
  questions: string[];
  answer: string;
  title?: string | null | undefined;
  isActive?: boolean | undefined;
}

function validate(questions: string[], answer: string): void {
  if (questions.length === 0) throw new KnowledgeError('invalid_input', 'invalid', 'Write at least one way a customer asks the question.');
  if (questions.length > MAX_FAQ_QUESTIONS) throw new KnowledgeError('invalid_input', 'invalid', `An entry takes up to ${MAX_FAQ_QUESTIONS} phrasings; split the rest into another entry.`);
  if (!answer.trim()) throw new KnowledgeError('invalid_input', 'invalid', 'Write the answer.');
}

export async function createFaq(ctx: ApiContext, input: FaqInput): Promise<FaqView> {
  getWorkspace(ctx.db, input.workspaceId);
  const questions = cleanQuestions(input.questions);
  const answer = input.answer.trim();
  validate(questions, answer);
  const id = newId();
  const isActive = input.isActive ?? true;
  const seq = ctx.db.sqlite.transaction(() => {
    ctx.db.orm
      .insert(faqEntries)
      .values({ id, workspaceId: input.workspaceId, title: input.title?.trim() || null, questions, answer, isActive, textSizeBytes: Buffer.byteLength(faqChunkText(questions, answer)) })
      .run();
    return writeChunk(ctx.db, { id, workspaceId: input.workspaceId, questions, answer, isActive });
  })();
  await embedEntry(ctx, input.workspaceId, seq, faqChunkText(questions, answer));
  ctx.events.emit('knowledge.changed', { workspaceId: input.workspaceId, documentId: null, faqId: id });
  return viewOf(ctx, id);
}

export interface FaqPatch {
  faqId: string;
  questions?: string[] | undefined;
  answer?: string | undefined;
  title?: string | null | undefined;
  isActive?: boolean | undefined;
}

export async function updateFaq(ctx: ApiContext, patch: FaqPatch): Promise<FaqView> {
  const row = faqRow(ctx.db, patch.faqId);
  const questions = patch.questions === undefined ? row.questions : cleanQuestions(patch.questions);
  const answer = patch.answer === undefined ? row.answer : patch.answer.trim();
  validate(questions, answer);
  const isActive = patch.isActive ?? row.isActive;
  const title = patch.title === undefined ? row.title : patch.title?.trim() || null;
  const now = Date.now();
  const seq = ctx.db.sqlite.transaction(() => {
    ctx.db.orm
      .update(faqEntries)
      .set({ questions, answer, isActive, title, textSizeBytes: Buffer.byteLength(faqChunkText(questions, answer)), updatedAt: now })
      .where(eq(faqEntries.id, row.id))
      .run();
    return writeChunk(ctx.db, { id: row.id, workspaceId: row.workspaceId, questions, answer, isActive });
  })();
  await embedEntry(ctx, row.workspaceId, seq, faqChunkText(questions, answer));
  ctx.events.emit('knowledge.changed', { workspaceId: row.workspaceId, documentId: null, faqId: row.id });
  return viewOf(ctx, row.id);
}

export function deleteFaq(ctx: ApiContext, faqId: string): { deleted: true } {
  const row = faqRow(ctx.db, faqId);
  const now = Date.now();
  ctx.db.sqlite.transaction(() => {
    ctx.db.orm.update(faqEntries).set({ deletedAt: now, updatedAt: now }).where(eq(faqEntries.id, faqId)).run();
    deleteChunksNow(ctx.db, { workspaceId: row.workspaceId, faqId });
  })();
  ctx.events.emit('knowledge.changed', { workspaceId: row.workspaceId, documentId: null, faqId });
  return { deleted: true };
}

// ---- CSV ---------------------------------------------------------------------------------------

const QUESTION_HEADER = /^(q|questions?|question\s*\d+|\d+|faq|alt(ernat(e|ive))?[\s_-]*(question|phrasing)s?|(other|alternat(e|ive))?[\s_-]*phrasings?|variants?|variations?|also[\s_-]*asked|synonyms?|ask(ed)?)$/;
const QUESTION_HEADER_LOOSE = /question|phrasing|variant|variation/;
const ANSWER_HEADER = /^(a|answers?|response|reply|replies)$/;
const TITLE_HEADER = /^(title|topic|category|name|subject)$/;
const ACTIVE_HEADER = /^(active|enabled|is[\s_-]*active|published)$/;

export interface FaqImportResult {
  created: number;
  /** Existing entries (same answer) that got new phrasings. */
  updated: number;
  /** Rows left out, with why (row numbers as the spreadsheet shows them). */
  skipped: { row: number; reason: string }[];
  entries: FaqView[];
}

interface Draft {
  title: string | null;
  questions: string[];
  answer: string;
  isActive: boolean;
}

function norm(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

function splitPhrasings(cell: string): string[] {
  return cell.split(/\r?\n|\r|\s\|\s|\|/).map((s) => s.trim()).filter(Boolean);
}

export function parseFaqCsv(bytes: Uint8Array): { drafts: Draft[]; skipped: { row: number; reason: string }[] } {
  const { text } = decodeCsvBytes(bytes);
  const table = parseCsv(text.replace(/^\uFEFF/, ''));
  const rows = table.rows;
  const firstIdx = rows.findIndex((r) => r.some((c) => c.trim()));
  if (firstIdx < 0) throw new KnowledgeError('invalid_input', 'empty', 'The CSV file has no rows.');
  const header = rows[firstIdx]!.map((h) => norm(h).replace(/[?:]$/, ''));
  let qCols = header.flatMap((h, i) => (QUESTION_HEADER.test(h) || (QUESTION_HEADER_LOOSE.test(h) && !ANSWER_HEADER.test(h)) ? [i] : []));
  let aCol = header.findIndex((h) => ANSWER_HEADER.test(h));
  const tCol = header.findIndex((h) => TITLE_HEADER.test(h));
  const actCol = header.findIndex((h) => ACTIVE_HEADER.test(h));
  let start = firstIdx + 1;
  if (aCol < 0 || qCols.length === 0) {
    if (aCol >= 0 || qCols.length > 0 || tCol >= 0) {
      throw new KnowledgeError(
        'invalid_input',
        'invalid',
        'The CSV needs a "question" column and an "answer" column (more question columns, e.g. "question 2", hold other phrasings).',
      );
    }
    // No header: last column is the answer, the ones before it are phrasings.
    const width = rows[firstIdx]!.length;
    if (width < 2) throw new KnowledgeError('invalid_input', 'invalid', 'The CSV needs at least two columns: the question and the answer.');
    aCol = width - 1;
    qCols = Array.from({ length: width - 1 }, (_, i) => i);
    start = firstIdx;
  }
  if (rows.length - start > MAX_FAQ_CSV_ROWS) {
    throw new KnowledgeError('invalid_input', 'too_large', `The CSV has ${rows.length - start} rows; import up to ${MAX_FAQ_CSV_ROWS} at a time.`);
  }
  const drafts: Draft[] = [];
  const byAnswer = new Map<string, Draft>();
  const skipped: { row: number; reason: string }[] = [];
  let last: Draft | null = null;
  for (let i = start; i < rows.length; i++) {
    const r = rows[i]!;
    const cell = (c: number) => (c >= 0 ? (r[c] ?? '') : '');
    const questions = cleanQuestions(qCols.flatMap((c) => splitPhrasings(cell(c))));
    const answer = cell(aCol).trim();
    if (questions.length === 0 && !answer) {
      last = null;
      continue;
    }
    if (!answer) {
      if (last) last.questions = cleanQuestions([...last.questions, ...questions]);
      else skipped.push({ row: i + 1, reason: 'no answer, and no entry above it to add these phrasings to' });
      continue;
    }
    if (questions.length === 0) {
      skipped.push({ row: i + 1, reason: 'an answer without a question' });
      continue;
    }
    const activeCell = norm(cell(actCol));
    const isActive = !['no', 'false', '0', 'n', 'inactive', 'off'].includes(activeCell);
    const same = byAnswer.get(norm(answer));
    if (same) {
      same.questions = cleanQuestions([...same.questions, ...questions]);
      last = same;
      continue;
    }
    const d: Draft = { title: cell(tCol).trim() || null, questions, answer, isActive };
    drafts.push(d);
    byAnswer.set(norm(answer), d);
    last = d;
  }
  for (const d of drafts) if (d.questions.length > MAX_FAQ_QUESTIONS) d.questions = d.questions.slice(0, MAX_FAQ_QUESTIONS);
  return { drafts, skipped };
}

/** Import an FAQ CSV into a workspace (one transaction); vectors follow in the background. */
export function importFaqCsv(ctx: ApiContext, workspaceId: string, bytes: Uint8Array, fileName: string): FaqImportResult {
  let parsed: ReturnType<typeof parseFaqCsv>;
  try {
    parsed = parseFaqCsv(bytes);
  } catch (err) {
    if (err instanceof KnowledgeError) throw new KnowledgeError(err.code, err.reason, `"${fileName}": ${err.message}`);
    throw new KnowledgeError('invalid_input', 'corrupt', `"${fileName}" could not be read as CSV (${err instanceof Error ? err.message : String(err)}).`);
  }
  if (parsed.drafts.length === 0) throw new KnowledgeError('invalid_input', 'empty', `"${fileName}" has no rows with both a question and an answer.`);
  const existing = new Map(
    ctx.db.orm
      .select()
      .from(faqEntries)
      .where(and(eq(faqEntries.workspaceId, workspaceId), isNull(faqEntries.deletedAt)))
      .all()
      .map((r) => [norm(r.answer), r] as const),
  );
  const ids: string[] = [];
  let created = 0;
  let updated = 0;
  const now = Date.now();
  ctx.db.sqlite.transaction(() => {
    for (const d of parsed.drafts) {
      const old = existing.get(norm(d.answer));
      if (old) {
        const questions = cleanQuestions([...old.questions, ...d.questions]).slice(0, MAX_FAQ_QUESTIONS);
        if (questions.length !== old.questions.length) {
          ctx.db.orm.update(faqEntries).set({ questions, updatedAt: now }).where(eq(faqEntries.id, old.id)).run();
          writeChunk(ctx.db, { ...old, questions });
          updated++;
        }
        ids.push(old.id);
        continue;
      }
      const id = newId();
      ctx.db.orm
        .insert(faqEntries)
        .values({ id, workspaceId, title: d.title, questions: d.questions, answer: d.answer, isActive: d.isActive, textSizeBytes: Buffer.byteLength(faqChunkText(d.questions, d.answer)) })
        .run();
      writeChunk(ctx.db, { id, workspaceId, questions: d.questions, answer: d.answer, isActive: d.isActive });
      ids.push(id);
      created++;
    }
  })();
  ensureFreshEmbeddings(ctx, workspaceId);
  ctx.events.emit('knowledge.changed', { workspaceId, documentId: null, faqId: null });
  const embedded = embeddedSet(ctx.db, workspaceId, currentEmbedder(ctx.db, workspaceId).model);
  const rows = new Map(
    ctx.db.orm
      .select()
      .from(faqEntries)
      .where(and(eq(faqEntries.workspaceId, workspaceId), isNull(faqEntries.deletedAt)))
      .all()
      .map((r) => [r.id, r] as const),
  );
  const entries = [...new Set(ids)].flatMap((id) => {
    const r = rows.get(id);
    return r ? [toView(r, embedded)] : [];
  });
  return { created, updated, skipped: parsed.skipped, entries };
}
