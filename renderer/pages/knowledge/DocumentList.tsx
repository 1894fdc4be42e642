// The workspace's documents: status in words (with the failure's reason), live progress, chunk
// count, embedding model and whether its vectors are stale, with re-index and delete.
import type { ApiOutput } from '../../../electron/api';
import { formatBytes } from './knowledge-files';
import { percent, stageLabel, statusLabel, type DocumentItem } from './knowledge-labels';

export type LiveProgress = Record<string, { stage: string; fraction: number; message: string | null }>;
type Embedder = ApiOutput<'knowledge.documents'>['embedder'];

export function DocumentList({
  documents,
  live,
  embedder,
  busyIds,
  onReindex,
  onDelete,
}: {
  documents: DocumentItem[];
  live: LiveProgress;
  embedder: Embedder | null;
  busyIds: ReadonlySet<string>;
  onReindex: (d: DocumentItem) => void;
  onDelete: (d: DocumentItem) => void;
}) {
  if (documents.length === 0)
    return (
      <div className="empty kdocs-empty">
        <p className="empty__title">No documents yet</p>
        <p className="empty__text">Import your help pages, price lists or policies; replies can then quote them.</p>
      </div>
    );
  return (
    <ul className="kdocs" aria-label="Documents">
      {documents.map((d) => {
        const p = live[d.id] ?? d.progress;
        const busy = busyIds.has(d.id);
        return (
          <li key={d.id} className="kdoc" data-document-id={d.id} data-status={d.status}>
            <div className="kdoc__main">
              <p className="kdoc__title">{d.title}</p>
              <p className="kdoc__meta muted">
                {(d.format ?? 'file').toUpperCase()} · {formatBytes(d.sizeBytes)}
                {d.status === 'indexed' ? ` · ${d.chunkCount.toLocaleString()} ${d.chunkCount === 1 ? 'passage' : 'passages'}` : ''}
                {d.embedModel ? ` · ${d.embedModel}` : ''}
              </p>
              {d.status === 'processing' && p ? (
                <div className="kdoc__progress">
                  <progress max={100} value={percent(p.fraction)} aria-label={`${d.title}: indexing progress`} />
                  <span className="muted">
                    {stageLabel(p.stage)}
                    {p.message ? ` — ${p.message}` : ''} ({percent(p.fraction)}%)
                  </span>
                </div>
              ) : null}
              {d.status === 'failed' && d.error ? (
                <p className="inline-error kdoc__error" role="note">
                  {d.error}
                </p>
              ) : null}
              {d.stale && embedder ? <p className="kdoc__stale">Made with an older embedding model; re-embedding moves it to {embedder.model}.</p> : null}
            </div>
            <span className={`kchip kchip--${d.status}`} data-testid="document-status">
              {statusLabel(d.status)}
            </span>
            <div className="kdoc__actions">
              <button type="button" className="button button--small" disabled={busy || d.status === 'processing'} onClick={() => onReindex(d)} aria-label={`Re-index ${d.title}`}>
                Re-index
              </button>
              <button type="button" className="button button--small button--danger" disabled={busy} onClick={() => onDelete(d)} aria-label={`Delete ${d.title}`}>
                Delete
              </button>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
