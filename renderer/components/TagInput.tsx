// A list of short values edited as chips: type and press Enter, comma or space to add (pasting a
// list adds each), Backspace in the empty field removes the last, each chip has its own remove
// button. What counts as a value and how it is written is the caller's (`split`).
import { useRef, useState, type KeyboardEvent } from 'react';
import type { FieldControlProps } from './Field';
import { Icon } from './Icon';

export function TagInput({
  control,
  values,
  onChange,
  split,
  add,
  placeholder,
  name,
  itemLabel = 'item',
}: {
  control: FieldControlProps;
  values: readonly string[];
  onChange: (values: string[]) => void;
  /** Typed text to values in their saved form (drop what is not a value). */
  split: (text: string) => string[];
  /** Merge new values into the list (e.g. skip duplicates); default appends. */
  add?: (existing: readonly string[], added: readonly string[]) => string[];
  placeholder?: string;
  name?: string;
  /** For the remove buttons' labels: "Remove hashtag #bread". */
  itemLabel?: string;
}) {
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const merge = add ?? ((existing, added) => [...existing, ...added]);

  const commit = (text: string): boolean => {
    const added = split(text);
    setDraft('');
    if (added.length === 0) return false;
    onChange(merge(values, added));
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      // With text, Enter adds it; in the empty field it submits the form as usual.
      if (draft.trim() !== '') {
        e.preventDefault();
        commit(draft);
      }
    } else if (e.key === ',' || e.key === ' ' || e.key === ';') {
      if (draft.trim() !== '') {
        e.preventDefault();
        commit(draft);
      } else if (e.key !== ' ') e.preventDefault();
    } else if (e.key === 'Backspace' && draft === '' && values.length > 0) {
      e.preventDefault();
      onChange(values.slice(0, -1));
    }
  };

  const remove = (i: number) => {
    onChange(values.filter((_, j) => j !== i));
    input.current?.focus();
  };

  return (
    <div className="tag-input" onClick={(e) => e.target === e.currentTarget && input.current?.focus()}>
      {values.length > 0 ? (
        <ul className="tag-input__list" aria-label={`${values.length} added`}>
          {values.map((v, i) => (
            <li key={`${v}-${i}`} className="tag-input__tag">
              <span className="tag-input__text">{v}</span>
              <button type="button" className="tag-input__remove" aria-label={`Remove ${itemLabel} ${v}`} onClick={() => remove(i)}>
                <Icon name="x" size={12} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <input
        {...control}
        ref={input}
        name={name}
        className="tag-input__field"
        type="text"
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="enter"
        placeholder={values.length === 0 ? placeholder : undefined}
        value={draft}
        onChange={(e) => {
          const v = e.target.value;
          // A pasted list ("#a, #b #c") becomes chips at once; a single word waits for a separator.
          if (/[\s,;]/.test(v.trim())) commit(v);
          else setDraft(v);
        }}
        onKeyDown={onKeyDown}
        // Leaving the field keeps what was typed, as a chip, so Save never silently drops it.
        onBlur={() => draft.trim() !== '' && commit(draft)}
      />
    </div>
  );
}
