// An editable combobox (WAI-ARIA 1.2 pattern) with fuzzy filtering: type to search, arrows to move,
// Enter to pick, Escape to close. Used for timezones (a long list) and business types (suggestions).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { fuzzyFilter } from '../lib/fuzzy';
import type { FieldControlProps } from './Field';

export interface ComboOption {
  value: string;
  /** Extra text shown at the right (an offset, a count). Searchable too. */
  detail?: string;
}

const MAX_SHOWN = 80;

export function Combobox({
  control,
  value,
  onChange,
  options,
  placeholder,
  name,
}: {
  control: FieldControlProps;
  value: string;
  onChange: (value: string) => void;
  options: readonly ComboOption[];
  placeholder?: string;
  name?: string;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  // null: the user has not typed since opening, so show every option.
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const shown = useMemo(() => {
    if (query === null || query.trim() === '') return options.slice(0, query === null ? options.length : MAX_SHOWN);
    const q = query.replace(/[/_]/g, ' ');
    return fuzzyFilter(options, q, (o) => `${o.value.replace(/[/_]/g, ' ')} ${o.detail ?? ''}`)
      .slice(0, MAX_SHOWN)
      .map((r) => r.item);
  }, [options, query]);

  useEffect(() => {
    if (!open) return;
    const el = listRef.current?.children[active] as HTMLElement | undefined;
    el?.scrollIntoView({ block: 'nearest' });
  }, [active, open]);

  const openList = () => {
    setQuery(null);
    const at = options.findIndex((o) => o.value === value);
    setActive(at >= 0 ? at : 0);
    setOpen(true);
  };

  const pick = (o: ComboOption) => {
    onChange(o.value);
    setOpen(false);
    setQuery(null);
  };

  const activeOption = open ? shown[active] : undefined;

  return (
    <div className="combobox">
      <input
        {...control}
        name={name}
        className="input combobox__input"
        role="combobox"
        type="text"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={activeOption ? `${listId}-${active}` : undefined}
        placeholder={placeholder}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onClick={() => (open ? setOpen(false) : openList())}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (!open) return openList();
            const n = shown.length;
            if (n === 0) return;
            setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
          } else if (e.key === 'Enter' && open) {
            if (activeOption) {
              e.preventDefault();
              pick(activeOption);
            } else setOpen(false);
          } else if (e.key === 'Escape' && open) {
            // Close the list, not the dialog around it.
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          } else if (e.key === 'Tab') {
            setOpen(false);
          }
        }}
      />
      <span className="combobox__chevron" aria-hidden="true">
        <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round">
          <path d="M8 9.5l4-4 4 4M8 14.5l4 4 4-4" />
        </svg>
      </span>
      <ul ref={listRef} id={listId} role="listbox" className="combobox__list" hidden={!open || shown.length === 0}>
        {open
          ? shown.map((o, i) => (
              <li
                key={o.value}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={o.value === value}
                className={i === active ? 'combobox__option is-active' : 'combobox__option'}
                // mousedown, not click: keep focus in the input so blur does not close the list first.
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(o);
                }}
                onMouseMove={() => setActive(i)}
              >
                <span className="combobox__value">{o.value}</span>
                {o.detail ? <span className="combobox__detail">{o.detail}</span> : null}
              </li>
            ))
          : null}
      </ul>
    </div>
  );
}
