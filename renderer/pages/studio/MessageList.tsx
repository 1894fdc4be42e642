// A chat's messages: the user's and the AI's, each answer with how it ended, the knowledge passages
// it was grounded on, and on the last one Regenerate and the answers it replaced. The answer being
// written streams in below the message it answers. Model text is shown as plain text, never markup.
import { useEffect, useRef } from 'react';
import { endNote, type StudioMessage, type ThreadView } from './studio-view';

function Sources({ m }: { m: StudioMessage }) {
  if (!m.useKnowledge || m.sources === undefined) return null;
  if (m.sources.length === 0) return <p className="muted studio-msg__sources">Nothing in your knowledge base matched this message.</p>;
  return (
    <details className="studio-msg__sources">
      <summary>
        Based on {m.sources.length === 1 ? '1 passage' : `${m.sources.length} passages`} from your knowledge base
      </summary>
      <ol>
        {m.sources.map((s) => (
          <li key={s.chunkId}>
            <strong>
              <bdi>{s.title}</bdi>
            </strong>
            : <bdi>{s.excerpt.length > 240 ? `${s.excerpt.slice(0, 240)}…` : s.excerpt}</bdi>
          </li>
        ))}
      </ol>
    </details>
  );
}

export function MessageList({
  view,
  live,
  onRegenerate,
  canRegenerate,
}: {
  view: ThreadView;
  /** The answer being written: the message it answers (null: regenerating) and the text so far. */
  live: { userMessage: string | null; text: string } | null;
  onRegenerate(): void;
  canRegenerate: boolean;
}) {
  const end = useRef<HTMLDivElement>(null);
  const lastIndex = view.messages.length - 1;
  // While regenerating, the answer being replaced is hidden: the new one streams in its place.
  const shown = live && live.userMessage === null && view.messages.at(-1)?.role === 'assistant' ? view.messages.slice(0, -1) : view.messages;

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [shown.length, live?.text]);

  if (shown.length === 0 && !live) {
    return (
      <div className="studio-messages studio-messages--empty">
        <p className="muted">Ask for post ideas, a reply to a tricky customer, a campaign plan… Turn on “Use my knowledge base” to ground answers in your documents and FAQ.</p>
      </div>
    );
  }
  return (
    <div className="studio-messages" role="log" aria-label="Messages" aria-live="polite">
      {shown.map((m, i) => {
        const note = m.role === 'assistant' ? endNote(m) : null;
        return (
          <article key={m.id} className={`studio-msg studio-msg--${m.role}${m.status === 'failed' || m.status === 'interrupted' ? ' studio-msg--problem' : ''}`} aria-label={m.role === 'user' ? 'You' : 'AI'}>
            <div className="studio-msg__text" dir="auto">
              {m.content}
            </div>
            {note ? <p className={m.status === 'cancelled' ? 'muted studio-msg__note' : 'inline-error studio-msg__note'}>{note}</p> : null}
            {m.role === 'assistant' ? <Sources m={m} /> : null}
            {m.role === 'assistant' && i === lastIndex && !live ? (
              <div className="studio-msg__actions">
                {m.model ? <span className="muted">{m.model}</span> : null}
                <button type="button" className="link-button" onClick={onRegenerate} disabled={!canRegenerate}>
                  Regenerate
                </button>
              </div>
            ) : null}
            {m.role === 'assistant' && i === lastIndex && view.earlierAnswers.length > 0 ? (
              <details className="studio-msg__earlier">
                <summary>Earlier answers ({view.earlierAnswers.length})</summary>
                <ol>
                  {view.earlierAnswers.map((a) => (
                    <li key={a.checkpointId} dir="auto">
                      {a.content || <span className="muted">(no text)</span>}
                    </li>
                  ))}
                </ol>
              </details>
            ) : null}
          </article>
        );
      })}
      {live ? (
        <>
          {live.userMessage !== null && view.messages.at(-1)?.content !== live.userMessage ? (
            <article className="studio-msg studio-msg--user" aria-label="You">
              <div className="studio-msg__text" dir="auto">
                {live.userMessage}
              </div>
            </article>
          ) : null}
          <article className="studio-msg studio-msg--assistant" aria-label="AI" aria-busy="true" data-testid="studio-streaming">
            <div className="studio-msg__text" dir="auto">
              {live.text || <span className="muted">Thinking…</span>}
            </div>
          </article>
        </>
      ) : null}
      <div ref={end} />
    </div>
  );
}
