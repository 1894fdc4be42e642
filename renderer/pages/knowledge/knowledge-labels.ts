// Words for a document's state and a hit's scores (kept apart from the components so they are tested).
import type { ApiOutput } from '../../../electron/api';

export type DocumentItem = ApiOutput<'knowledge.documents'>['documents'][number];
export type Hit = ApiOutput<'knowledge.search'>['hits'][number];
export type ProgressStage = 'queued' | 'extracting' | 'chunking' | 'embedding' | 'indexed' | 'failed';

const STAGE_WORDS: Record<ProgressStage, string> = {
  queued: 'Waiting to start',
  extracting: 'Reading the file',
  chunking: 'Splitting into passages',
  embedding: 'Embedding passages',
  indexed: 'Indexed',
  failed: 'Failed',
};

export function stageLabel(stage: string): string {
  return stage in STAGE_WORDS ? STAGE_WORDS[stage as ProgressStage] : stage;
}

export function statusLabel(status: DocumentItem['status']): string {
  return status === 'processing' ? 'Processing' : status === 'indexed' ? 'Indexed' : 'Failed';
}

export function percent(fraction: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * 100);
}

/** Per-method scores as short phrases; a method that did not find the passage says so. */
export function scoreParts(hit: Hit): { fts: string; vector: string; fused: string } {
  const s = hit.scores;
  return {
    fts: s.fts ? `#${s.fts.rank} · bm25 ${s.fts.bm25.toFixed(2)}` : 'no match',
    vector: s.vector ? `#${s.vector.rank} · ${s.vector.similarity.toFixed(3)}` : 'no match',
    fused: s.hybrid === null ? '—' : s.hybrid.toFixed(4),
  };
}

/** Phrasings typed one per line into a single box. */
export function splitPhrasings(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const q = line.trim();
    if (q === '' || seen.has(q.toLowerCase())) continue;
    seen.add(q.toLowerCase());
    out.push(q);
  }
  return out;
}

/** What an FAQ .csv import did, with the rows it skipped and why (the first three). */
export function faqImportSummary(fileName: string, r: { created: number; updated: number; skipped: { row: number; reason: string }[] }): string {
  const parts = [`${r.created} FAQ ${r.created === 1 ? 'entry' : 'entries'} added`, `${r.updated} updated`];
  if (r.skipped.length === 0) return `${fileName}: ${parts.join(', ')}.`;
  const why = r.skipped
    .slice(0, 3)
    .map((s) => `row ${s.row}: ${s.reason}`)
    .join('; ');
  const more = r.skipped.length > 3 ? `; and ${r.skipped.length - 3} more` : '';
  return `${fileName}: ${parts.join(', ')}, ${r.skipped.length} ${r.skipped.length === 1 ? 'row' : 'rows'} skipped (${why}${more}).`;
}
