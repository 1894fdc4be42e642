// Where each document's indexing stands: announced as 'knowledge.progress' events and kept in
// memory, so knowledge.documents can show a bar for a document that is being indexed when the page
// opens. Not stored: after a restart the job starts its stages again and reports afresh.
import type { EventPayload } from '../../api/events';
import type { ApiContext } from '../context';

export type IndexStage = EventPayload<'knowledge.progress'>['stage'];

export interface DocumentProgress {
  stage: IndexStage;
  /** 0..1 over the whole indexing (extraction ~0-0.45, storing ~0.5, embedding ~0.5-1). */
  fraction: number;
  message: string | null;
}

const byDb = new WeakMap<object, Map<string, DocumentProgress>>();

function mapFor(ctx: Pick<ApiContext, 'db'>): Map<string, DocumentProgress> {
  let m = byDb.get(ctx.db);
  if (!m) byDb.set(ctx.db, (m = new Map()));
  return m;
}

export function reportProgress(
  ctx: Pick<ApiContext, 'db' | 'events'>,
  workspaceId: string,
  documentId: string,
  stage: IndexStage,
  fraction: number,
  message: string | null,
  error?: string,
): void {
  const f = Math.min(1, Math.max(0, fraction));
  const m = mapFor(ctx);
  if (stage === 'indexed' || stage === 'failed') m.delete(documentId);
  else m.set(documentId, { stage, fraction: f, message });
  ctx.events.emit('knowledge.progress', { workspaceId, documentId, stage, fraction: f, message, ...(error === undefined ? {} : { error }) });
}

export function progressOf(ctx: Pick<ApiContext, 'db'>, documentId: string): DocumentProgress | null {
  return mapFor(ctx).get(documentId) ?? null;
}

export function forgetProgress(ctx: Pick<ApiContext, 'db'>, documentId: string): void {
  mapFor(ctx).delete(documentId);
}
