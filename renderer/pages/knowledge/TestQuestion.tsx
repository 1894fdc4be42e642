// "Test a question": what search finds for a question, with each method's score, so the user can
// see why a passage is (or is not) what replies will lean on.
import { useState, type FormEvent } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { scoreParts } from './knowledge-labels';

type Mode = 'hybrid' | 'fts' | 'vector';
const MODES: { mode: Mode; label: string }[] = [
  { mode: 'hybrid', label: 'Hybrid' },
  { mode: 'fts', label: 'Words' },
  { mode: 'vector', label: 'Meaning' },
];

export function TestQuestion({ workspaceId }: { workspaceId: string }) {
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<Mode>('hybrid');
  const [result, setResult] = useState<ApiOutput<'knowledge.search'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (q: string, m: Mode) => {
    if (q.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      setResult(await call('knowledge.search', { workspaceId, query: q, mode: m, limit: 10 }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(query, mode);
  };

  return (
    <section className="ksection" aria-labelledby="ktest-heading">
      <h2 id="ktest-heading" className="ksection__title">
        Test a question
      </h2>
      <form className="ktest__form" onSubmit={submit} role="search" aria-label="Test a question">
        <input className="input ktest__input" type="search" aria-label="Question" placeholder="What would a customer ask?" value={query} onChange={(e) => setQuery(e.target.value)} />
        <div className="segmented segmented--labels" role="radiogroup" aria-label="Search by">
          {MODES.map((m) => (
            <label key={m.mode} className={`segmented__option${mode === m.mode ? ' is-checked' : ''}`}>
              <input
                type="radio"
                name="ktest-mode"
                value={m.mode}
                checked={mode === m.mode}
                onChange={() => {
                  setMode(m.mode);
                  if (result) void run(query, m.mode);
                }}
              />
              {m.label}
            </label>
          ))}
        </div>
        <button type="submit" className="button button--primary" disabled={busy || query.trim() === ''}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      {error ? (
        <p className="inline-error" role="alert">
          Could not search: {error}
        </p>
      ) : null}
      {result ? (
        <div aria-live="polite" aria-busy={busy}>
          {result.vectorError ? <p className="kdoc__stale">Meaning search was left out: {result.vectorError}</p> : null}
          <p className="muted ktest__summary">
            {result.hits.length === 0 ? 'Nothing found.' : `${result.hits.length} ${result.hits.length === 1 ? 'passage' : 'passages'}`}
            {result.embedder ? ` · compared with ${result.embedder.model}` : ''} · {Math.round(result.tookMs)} ms
          </p>
          <ol className="khits" aria-label="Search results">
            {result.hits.map((h) => {
              const s = scoreParts(h);
              return (
                <li key={h.chunkId} className="khit" data-testid="knowledge-hit">
                  <p className="khit__title">
                    <span className="badge badge--soft">{h.source === 'faq' ? 'FAQ' : 'Document'}</span> <span className="khit__name">{h.title}</span>
                    {h.heading ? <span className="muted"> › {h.heading}</span> : null}
                    {h.page !== null ? <span className="muted"> · page {h.page}</span> : null}
                  </p>
                  <dl className="khit__scores">
                    <dt>Words</dt>
                    <dd>{s.fts}</dd>
                    <dt>Meaning</dt>
                    <dd>{s.vector}</dd>
                    <dt>Fused</dt>
                    <dd>{s.fused}</dd>
                  </dl>
                  <p className="khit__text">{h.content}</p>
                </li>
              );
            })}
          </ol>
        </div>
      ) : null}
    </section>
  );
}
