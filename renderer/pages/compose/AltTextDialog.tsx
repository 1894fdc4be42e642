// Describing a picture for people who cannot see it: the picture large, a text box with the
// strictest limit among the chosen networks, and a reminder of what good alt text says.
import { useEffect, useId, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import type { MediaDraft } from './draft';

export function AltTextDialog({
  item,
  limit,
  onClose,
  onSave,
}: {
  item: MediaDraft | null;
  /** The smallest alt text limit among the chosen networks, and whose it is. */
  limit: { max: number; network: string } | null;
  onClose: () => void;
  onSave: (altText: string) => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!item) return;
    setText(item.altText);
    requestAnimationFrame(() => field.current?.focus());
  }, [item]);

  const length = [...text].length;
  const over = limit !== null && length > limit.max;

  return (
    <Dialog open={item !== null} onClose={onClose} title="Alt text" description="Say what the picture shows and why it is in the post, in a sentence or two." className="dialog--form cmp-alt">
      {item ? (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (over) return;
            onSave(text.trim());
          }}
        >
          {item.kind === 'video' ? <p className="cmp-alt__file">{item.filename}</p> : <img className="cmp-alt__image" src={item.url} alt="" />}
          <div className="field">
            <label className="field__label" htmlFor={id}>
              Description
            </label>
            <textarea
              ref={field}
              id={id}
              className="input textarea"
              rows={4}
              value={text}
              aria-invalid={over || undefined}
              aria-describedby={`${id}-count`}
              placeholder="e.g. A baker pulls a tray of golden croissants from a wood-fired oven."
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                // Enter saves (alt text is one paragraph); Shift+Enter still breaks a line.
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <p id={`${id}-count`} className={`field__hint cmp-alt__count${over ? ' is-over' : ''}`} aria-live="polite">
              {limit ? `${length.toLocaleString()} / ${limit.max.toLocaleString()} (${limit.network}'s limit)` : `${length.toLocaleString()} characters`}
            </p>
          </div>
          <div className="form__actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={over}>
              Save alt text
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
