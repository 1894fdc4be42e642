// "Triage with AI" in a thread's details: asks the model for respond / ignore / escalate on the
// newest customer message. The decision itself appears above it once the thread reloads (it is
// logged like any other); this says only what happened when no decision was made, and with no
// endpoint, how to set one up.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ApiOutput } from '../../../electron/api';
import { ApiCallError, call, messageOf } from '../../api/client';
import type { Conversation } from './inbox-types';

type Result = ApiOutput<'inboxAi.triage'>;
type Skip = Extract<Result, { status: 'skipped' }>['skipped'];

const SKIPPED: Record<Skip, string> = {
  ai_mode_off: 'AI is off for this thread; turn it on above to triage with AI.',
  ai_disabled_for_kind: 'AI is turned off for this kind of thread (DMs or comments) in Settings → AI.',
  automation_disabled: 'AI triage is turned off for this workspace in Settings → AI.',
  already_decided: 'The newest message has a decision already.',
  no_inbound_message: 'There is no message from the customer to triage yet.',
  not_configured: 'No AI endpoint is set up yet.',
};

export function TriageWithAi({ conversation, onDecided }: { conversation: Conversation; onDecided(): void }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; kind: 'info' | 'error' | 'setup' } | null>(null);

  const triage = async () => {
    setBusy(true);
    setNote(null);
    try {
      const r = await call('inboxAi.triage', { conversationId: conversation.id });
      if (r.status === 'decided') onDecided();
      else if (r.status === 'skipped') setNote({ text: SKIPPED[r.skipped], kind: 'info' });
      else setNote({ text: r.error, kind: 'error' });
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 'ai_not_configured') setNote({ text: messageOf(err), kind: 'setup' });
      else setNote({ text: messageOf(err), kind: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="ib-details__row ib-ai-triage" data-testid="ai-triage">
      <button type="button" className="link-button" onClick={() => void triage()} disabled={busy}>
        {busy ? 'Triaging…' : 'Triage with AI'}
      </button>
      {note ? (
        <p className={note.kind === 'error' ? 'inline-error' : 'muted'} role={note.kind === 'error' ? 'alert' : 'note'} data-testid={note.kind === 'setup' ? 'ai-setup' : undefined}>
          {note.kind === 'error' ? `No decision: ${note.text}` : note.text}
          {note.kind === 'setup' ? (
            <>
              {' '}
              <Link to="/settings?section=ai">Open Settings</Link>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}
