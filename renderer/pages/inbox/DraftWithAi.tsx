// "Draft with AI" under the reply box: the draft streams into a preview beside the passages of the
// knowledge base and FAQ it was grounded in, and goes into the reply box only when the user takes
// it (a model's words never reach a customer unread). With no AI endpoint it says how to set one
// up; on a thread with AI off it says so instead of calling.
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import type { ApiOutput } from '../../../electron/api';
import { ApiCallError, call, messageOf } from '../../api/client';
import { useAiStream } from '../compose/useAiStream';
import type { Conversation } from './inbox-types';
import { oneLine } from './safe-text';
import '../../styles/inbox-ai.css';

type Draft = ApiOutput<'inboxAi.draftReply'>;

export function DraftWithAi({ conversation, onAccept }: { conversation: Conversation; onAccept(text: string): void }) {
  const stream = useAiStream();
  const [result, setResult] = useState<Draft | null>(null);
  const [setup, setSetup] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const id = useId();
  const aiOff = conversation.aiMode === 'OFF';

  const start = async () => {
    setOpen(true);
    setResult(null);
    setError(null);
    setSetup(null);
    try {
      const status = await call('writing.status', { workspaceId: conversation.workspaceId });
      if (!status.configured) {
        setSetup(status.setup ?? 'AI is not set up yet.');
        return;
      }
      setResult(await stream.run((requestId) => call('inboxAi.draftReply', { conversationId: conversation.id, requestId })));
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'ai_not_configured') setSetup(messageOf(err));
      else if (!stream.stopped()) setError(messageOf(err));
    }
  };

  const close = () => {
    if (stream.running) stream.stop();
    setOpen(false);
    setResult(null);
  };

  const text = result?.text ?? stream.state.text;
  return (
    <div className="ib-ai-draft" data-testid="ai-draft">
      <button
        type="button"
        className="link-button"
        onClick={() => void start()}
        disabled={stream.running || aiOff}
        title={aiOff ? 'AI is off for this thread (turn it on in the thread details to draft with AI).' : undefined}
        aria-controls={open ? id : undefined}
      >
        {stream.running ? 'Drafting…' : 'Draft with AI'}
      </button>
      {open ? (
        <section id={id} className="ib-ai-draft__panel" aria-label="AI draft" aria-live="polite">
          {setup ? (
            <p role="note" data-testid="ai-setup">
              {setup} <Link to="/settings?section=ai">Open Settings</Link>
            </p>
          ) : error ? (
            <p className="inline-error" role="alert">
              No draft: {error}
            </p>
          ) : (
            <>
              <div className="ib-ai-draft__text" dir="auto">
                {text || <span className="muted">Reading the thread and your knowledge base…</span>}
              </div>
              {result ? (
                result.sources.length > 0 ? (
                  <details className="ib-ai-draft__sources">
                    <summary>Based on {result.sources.length === 1 ? '1 passage' : `${result.sources.length} passages`} from your knowledge base</summary>
                    <ul>
                      {result.sources.map((s) => (
                        <li key={s.chunkId}>
                          <strong>
                            <bdi>{s.documentTitle}</bdi>
                          </strong>
                          : <bdi>{oneLine(s.excerpt, 200)}</bdi>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : (
                  <p className="muted">Nothing in your knowledge base matched this message: check the facts before sending.</p>
                )
              ) : null}
            </>
          )}
          <div className="ib-ai-draft__actions">
            {stream.running ? (
              <button type="button" className="button button--small" onClick={stream.stop}>
                Stop
              </button>
            ) : null}
            {result && result.text.trim() !== '' ? (
              <button
                type="button"
                className="button button--primary button--small"
                onClick={() => {
                  onAccept(result.text);
                  close();
                }}
              >
                Use this draft
              </button>
            ) : null}
            <button type="button" className="button button--small" onClick={close}>
              {result ? 'Discard' : 'Close'}
            </button>
          </div>
        </section>
      ) : null}
    </div>
  );
}
