// A list of short sentences edited one per row: type one and press Enter (or Add), paste several
// lines to add each, remove any with its own button. For phrases and examples, which hold spaces
// and so cannot be chips that a space would split (TagInput).
import { useRef, useState, type ClipboardEvent } from 'react';
import type { FieldControlProps } from '../../components/Field';
import { Icon } from '../../components/Icon';
import { splitLines } from './inbox-settings';

export function ListEditor({
  control,
  values,
  onChange,
  add,
  placeholder,
  name,
  itemLabel,
  emptyText,
}: {
  control: FieldControlProps;
  values: readonly string[];
  onChange: (values: string[]) => void;
  /** Merge new values into the list (skipping duplicates). */
  add: (existing: readonly string[], added: readonly string[]) => string[];
  placeholder?: string;
  name?: string;
  /** For buttons' labels: "Add phrase", "Remove phrase …". */
  itemLabel: string;
  emptyText: string;
}) {
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLInputElement>(null);

  const commit = (text: string) => {
    const added = splitLines(text);
    setDraft('');
    if (added.length > 0) onChange(add(values, added));
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const text = e.clipboardData.getData('text');
    if (!/\r?\n/.test(text.trim())) return;
    e.preventDefault();
    commit(`${draft}${text}`);
  };

  return (
    <div className="list-editor">
      {values.length > 0 ? (
        <ul className="list-editor__list" aria-label={`${values.length} ${values.length === 1 ? itemLabel : `${itemLabel}s`}`}>
          {values.map((v, i) => (
            <li key={`${v}-${i}`} className="list-editor__item">
              <span className="list-editor__text">{v}</span>
              <button
                type="button"
                className="icon-button list-editor__remove"
                aria-label={`Remove ${itemLabel} ${v}`}
                title="Remove"
                onClick={() => {
                  onChange(values.filter((_, j) => j !== i));
                  input.current?.focus();
                }}
              >
                <Icon name="x" size={13} />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="list-editor__empty">{emptyText}</p>
      )}
      <div className="list-editor__add">
        <input
          {...control}
          ref={input}
          name={name}
          className="input"
          type="text"
          autoComplete="off"
          maxLength={400}
          placeholder={placeholder}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onPaste={onPaste}
          onKeyDown={(e) => {
            // With text, Enter adds it; in the empty field it submits the form as usual.
            if (e.key === 'Enter' && draft.trim() !== '') {
              e.preventDefault();
              commit(draft);
            }
          }}
          // Leaving the field keeps what was typed, so Save never silently drops it.
          onBlur={() => draft.trim() !== '' && commit(draft)}
        />
        <button type="button" className="button" disabled={draft.trim() === ''} onClick={() => commit(draft)}>
          Add<span className="visually-hidden"> {itemLabel}</span>
        </button>
      </div>
    </div>
  );
}
