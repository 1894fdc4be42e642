// Knowledge: the documents and FAQ entries replies are grounded in. Import (button or drop),
// indexing progress as it happens, re-embedding when the embedding model changed, and a panel to
// test what a question finds.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { ApiCallError, call, messageOf, onEvent } from '../../api/client';
import { Page } from '../../components/Page';
import { useCurrentWorkspace } from '../../stores/workspaces';
import '../../styles/knowledge.css';
import { DocumentList, type LiveProgress } from './DocumentList';
import { FaqSection } from './FaqSection';
import { ACCEPT_ATTRIBUTE, importFile, refusalFor } from './knowledge-files';
import { faqImportSummary, type DocumentItem } from './knowledge-labels';
import { TestQuestion } from './TestQuestion';

type Documents = ApiOutput<'knowledge.documents'>;
type Faq = ApiOutput<'knowledge.faq'>;
interface Reembed {
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  model: string;
  error?: string | undefined;
}

function importNotice(name: string, r: ApiOutput<'knowledge.import'>): string {
  if (r.kind === 'faq') return faqImportSummary(name, r);
  return r.duplicate ? `${name} is already in the knowledge base.` : `${name} is being indexed.`;
}

export function KnowledgePage() {
  const ws = useCurrentWorkspace();
  const wsId = ws?.id ?? null;
  const [docs, setDocs] = useState<Documents | null>(null);
  const [faq, setFaq] = useState<Faq>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [live, setLive] = useState<LiveProgress>({});
  const [reembed, setReembed] = useState<Reembed | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [notices, setNotices] = useState<{ id: number; text: string; error: boolean }[]>([]);
  const [dragging, setDragging] = useState(false);
  /** The file being sent to the engine (before indexing progress takes over). */
  const [sending, setSending] = useState<{ name: string; fraction: number; abort: () => void } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const noticeId = useRef(0);

  const say = (text: string, error = false) => setNotices((n) => [...n.slice(-4), { id: ++noticeId.current, text, error }]);

  const refresh = useCallback(async () => {
    if (!wsId) return;
    try {
      const [d, f] = await Promise.all([call('knowledge.documents', { workspaceId: wsId }), call('knowledge.faq', { workspaceId: wsId })]);
      setDocs(d);
      setFaq(f);
      setLoadError(null);
    } catch (err) {
      setLoadError(messageOf(err));
    }
  }, [wsId]);

  useEffect(() => {
    setDocs(null);
    setLive({});
    void refresh();
    if (!wsId) return;
    const offs = [
      onEvent('knowledge.progress', (p) => {
        if (p.workspaceId !== wsId) return;
        setLive((l) => ({ ...l, [p.documentId]: { stage: p.stage, fraction: p.fraction, message: p.message } }));
        if (p.stage === 'indexed' || p.stage === 'failed') void refresh();
      }),
      onEvent('knowledge.changed', (p) => {
        if (p.workspaceId === wsId) void refresh();
      }),
      onEvent('knowledge.reembed', (p) => {
        if (p.workspaceId !== wsId) return;
        setReembed(p);
        if (p.status !== 'running') void refresh();
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [wsId, refresh]);

  // Without events (a missed one, a reconnect) a processing document would sit still: look again now and then.
  const processing = docs?.documents.some((d) => d.status === 'processing') ?? false;
  useEffect(() => {
    if (!processing) return;
    const t = setInterval(() => void refresh(), 2000);
    return () => clearInterval(t);
  }, [processing, refresh]);

  const importFiles = async (files: File[]) => {
    if (!wsId) return;
    for (const file of files) {
      const refusal = refusalFor(file.name, file.size);
      if (refusal) {
        say(refusal, true);
        continue;
      }
      const upload = importFile(wsId, file, (fraction) => setSending((s) => (s ? { ...s, fraction } : s)));
      setSending({ name: file.name, fraction: 0, abort: upload.abort });
      try {
        say(importNotice(file.name, await upload.promise));
      } catch (err) {
        if (err instanceof ApiCallError && err.code === 'cancelled') say(`Stopped sending ${file.name}; nothing was imported.`);
        else say(`Could not import ${file.name}: ${messageOf(err)}`, true);
      } finally {
        setSending(null);
      }
    }
    await refresh();
  };

  const withBusy = async (d: DocumentItem, fn: () => Promise<unknown>, failed: string) => {
    setBusyIds((s) => new Set(s).add(d.id));
    try {
      await fn();
    } catch (err) {
      say(`${failed}: ${messageOf(err)}`, true);
    } finally {
      setBusyIds((s) => {
        const n = new Set(s);
        n.delete(d.id);
        return n;
      });
      await refresh();
    }
  };

  const startReembed = async () => {
    if (!wsId) return;
    try {
      const r = await call('knowledge.reembed', { workspaceId: wsId, all: true });
      say(r.queued || r.jobId ? `Re-embedding everything with ${r.embedder.model}.` : 'Nothing needs re-embedding.');
    } catch (err) {
      say(`Could not start re-embedding: ${messageOf(err)}`, true);
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void importFiles(Array.from(e.dataTransfer.files));
  };

  if (!ws || !wsId) return null;
  const embedder = docs?.embedder ?? null;

  return (
    <Page
      title="Knowledge"
      subtitle={embedder ? `Search uses ${embedder.kind === 'local' ? 'the built-in embedder' : 'your endpoint'} (${embedder.model})` : undefined}
      actions={
        <>
          <button type="button" className="button" onClick={() => void startReembed()} disabled={reembed?.status === 'running'}>
            Re-embed all
          </button>
          <button type="button" className="button button--primary" onClick={() => fileInput.current?.click()}>
            Import…
          </button>
        </>
      }
    >
      <div className="knowledge">
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={ACCEPT_ATTRIBUTE}
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Choose files to import"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            void importFiles(files);
          }}
        />
        {reembed ? (
          <div className="kreembed" role="status">
            {reembed.status === 'running' ? (
              <>
                <span>
                  Re-embedding with {reembed.model}: {reembed.done.toLocaleString()} of {reembed.total.toLocaleString()} passages
                </span>
                <progress max={Math.max(1, reembed.total)} value={reembed.done} aria-label="Re-embedding progress" />
              </>
            ) : reembed.status === 'done' ? (
              <span>Re-embedded {reembed.total.toLocaleString()} passages with {reembed.model}.</span>
            ) : (
              <span className="inline-error">Re-embedding stopped: {reembed.error ?? 'an unknown error'}</span>
            )}
          </div>
        ) : embedder && embedder.staleChunks > 0 ? (
          <p className="kdoc__stale">{embedder.staleChunks.toLocaleString()} passages still use an older embedding model.</p>
        ) : null}
        {sending ? (
          <div className="kreembed" role="status">
            <span>Sending {sending.name}…</span>
            <progress max={1} value={sending.fraction} aria-label={`Sending ${sending.name}`} />
            <button type="button" className="link-button" onClick={sending.abort}>
              Stop
            </button>
          </div>
        ) : null}
        <div className="knotices" aria-live="polite">
          {notices.map((n) => (
            <p key={n.id} className={n.error ? 'inline-error' : 'kok'} role={n.error ? 'alert' : undefined}>
              {n.text}
            </p>
          ))}
        </div>
        {loadError ? (
          <p className="inline-error" role="alert">
            Could not load the knowledge base: {loadError}{' '}
            <button type="button" className="link-button" onClick={() => void refresh()}>
              Try again
            </button>
          </p>
        ) : null}
        <section
          className={`ksection kdrop${dragging ? ' is-dragging' : ''}`}
          aria-labelledby="kdocs-heading"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <h2 id="kdocs-heading" className="ksection__title">
            Documents <span className="muted">({docs?.documents.length ?? 0})</span>
          </h2>
          <p className="muted kdrop__hint">Drop .txt, .md, .html, .pdf, .docx or an FAQ .csv here, or use Import.</p>
          {docs ? (
            <DocumentList
              documents={docs.documents}
              live={live}
              embedder={embedder}
              busyIds={busyIds}
              onReindex={(d) => void withBusy(d, () => call('knowledge.reindex', { documentId: d.id }), `Could not re-index ${d.title}`)}
              onDelete={(d) => {
                if (window.confirm(`Delete “${d.title}” and its passages?`)) void withBusy(d, () => call('knowledge.delete', { documentId: d.id }), `Could not delete ${d.title}`);
              }}
            />
          ) : loadError ? null : (
            <p className="muted">Loading…</p>
          )}
        </section>
        <FaqSection workspaceId={wsId} entries={faq} onChanged={refresh} />
        <TestQuestion workspaceId={wsId} />
      </div>
    </Page>
  );
}
