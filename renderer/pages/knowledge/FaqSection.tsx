// FAQ entries: one answer and the several ways customers ask for it (one phrasing per line).
import { useState, type FormEvent } from 'react';
import type { ApiOutput } from '../../../electron/api';
import { call, messageOf } from '../../api/client';
import { splitPhrasings } from './knowledge-labels';

type Faq = ApiOutput<'knowledge.faq'>[number];

function FaqForm({ initial, onSave, onCancel }: { initial: Faq | null; onSave: (questions: string[], answer: string) => Promise<void>; onCancel?: () => void }) {
  const [phrasings, setPhrasings] = useState(initial ? initial.questions.join('\n') : '');
  const [answer, setAnswer] = useState(initial?.answer ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const idBase = initial ? `faq-${initial.id}` : 'faq-new';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const questions = splitPhrasings(phrasings);
    if (questions.length === 0) return setError('Write at least one way the question is asked.');
    if (answer.trim() === '') return setError('Write the answer.');
    setBusy(true);
    setError(null);
    try {
      await onSave(questions, answer.trim());
      if (!initial) {
        setPhrasings('');
        setAnswer('');
      }
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="kfaq-form" onSubmit={(e) => void submit(e)} aria-label={initial ? 'Edit FAQ entry' : 'Add an FAQ entry'}>
      <label className="field" htmlFor={`${idBase}-q`}>
        <span className="field__label">Questions</span>
        <textarea id={`${idBase}-q`} className="textarea" rows={3} value={phrasings} onChange={(e) => setPhrasings(e.target.value)} />
        <span className="field__hint">One way of asking per line.</span>
      </label>
      <label className="field" htmlFor={`${idBase}-a`}>
        <span className="field__label">Answer</span>
        <textarea id={`${idBase}-a`} className="textarea" rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} />
      </label>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form__actions">
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {initial ? 'Save entry' : 'Add entry'}
        </button>
      </div>
    </form>
  );
}

export function FaqSection({ workspaceId, entries, onChanged }: { workspaceId: string; entries: Faq[]; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = async (f: Faq) => {
    if (!window.confirm(`Delete the FAQ entry “${f.title ?? f.questions[0] ?? ''}”?`)) return;
    try {
      await call('knowledge.faqDelete', { faqId: f.id });
      setError(null);
    } catch (err) {
      setError(`Could not delete it: ${messageOf(err)}`);
    }
    await onChanged();
  };

  return (
    <section className="ksection" aria-labelledby="kfaq-heading">
      <h2 id="kfaq-heading" className="ksection__title">
        FAQ <span className="muted">({entries.length})</span>
      </h2>
      {error ? (
        <p className="inline-error" role="alert">
          {error}
        </p>
      ) : null}
      {entries.length === 0 ? <p className="muted">No FAQ entries yet. Add one below or import a .csv with question and answer columns.</p> : null}
      <ul className="kfaqs" aria-label="FAQ entries">
        {entries.map((f) => (
          <li key={f.id} className="kfaq" data-faq-id={f.id}>
            {editing === f.id ? (
              <FaqForm
                initial={f}
                onCancel={() => setEditing(null)}
                onSave={async (questions, answer) => {
                  await call('knowledge.faqUpdate', { faqId: f.id, questions, answer });
                  setEditing(null);
                  await onChanged();
                }}
              />
            ) : (
              <>
                <ul className="kfaq__questions">
                  {f.questions.map((q) => (
                    <li key={q}>{q}</li>
                  ))}
                </ul>
                <p className="kfaq__answer">{f.answer}</p>
                {!f.isActive ? <p className="muted">Not used in replies.</p> : null}
                <div className="kdoc__actions">
                  <button type="button" className="button button--small" onClick={() => setEditing(f.id)} aria-label={`Edit ${f.questions[0] ?? 'entry'}`}>
                    Edit
                  </button>
                  <button type="button" className="button button--small button--danger" onClick={() => void remove(f)} aria-label={`Delete ${f.questions[0] ?? 'entry'}`}>
                    Delete
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <FaqForm
        initial={null}
        onSave={async (questions, answer) => {
          await call('knowledge.faqCreate', { workspaceId, questions, answer });
          await onChanged();
        }}
      />
    </section>
  );
}
