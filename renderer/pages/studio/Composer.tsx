// The message box: Enter sends, Shift+Enter starts a new line (and Enter while an input method is
// composing a character is the IME's, not a send). Stop replaces Send while an answer is written.
import { useId, type FormEvent, type KeyboardEvent } from 'react';

export function Composer({
  text,
  onText,
  onSend,
  onStop,
  running,
  disabled,
  useKnowledge,
  onUseKnowledge,
  note,
  maxChars,
}: {
  text: string;
  onText(t: string): void;
  onSend(): void;
  onStop(): void;
  running: boolean;
  disabled: boolean;
  useKnowledge: boolean;
  onUseKnowledge(v: boolean): void;
  note: string;
  maxChars: number;
}) {
  const noteId = useId();
  const over = text.length > maxChars;
  const canSend = !disabled && !running && text.trim() !== '' && !over;

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing) return;
    e.preventDefault();
    if (canSend) onSend();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canSend) onSend();
  };

  return (
    <form className="studio-composer" onSubmit={submit} aria-label="New message">
      <textarea
        className="input studio-composer__text"
        aria-label="Message"
        aria-describedby={noteId}
        placeholder="Ask anything… (Enter sends, Shift+Enter for a new line)"
        rows={3}
        value={text}
        disabled={disabled}
        onChange={(e) => onText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="studio-composer__bar">
        <label className="studio-composer__toggle">
          <input type="checkbox" checked={useKnowledge} disabled={disabled} onChange={(e) => onUseKnowledge(e.target.checked)} /> Use my knowledge base
        </label>
        {over ? (
          <span className="inline-error">
            {text.length.toLocaleString()} of {maxChars.toLocaleString()} characters: shorten it, or add long texts to the knowledge base.
          </span>
        ) : null}
        {running ? (
          <button type="button" className="button" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button button--primary" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
      <p id={noteId} className="muted studio-composer__note">
        {note}
      </p>
    </form>
  );
}
