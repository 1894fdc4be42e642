// Ctrl/Cmd+K: one place to go anywhere and do anything, by typing a few letters.
import { Fragment, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Dialog } from '../components/Dialog';
import { Icon } from '../components/Icon';
import { Kbd } from '../components/Page';
import { fuzzyFilter } from '../lib/fuzzy';
import { useUi } from '../stores/ui';
import { useCommands, type Command } from './commands';

function highlight(text: string, indices: readonly number[]): ReactNode {
  if (indices.length === 0) return text;
  const marks = new Set(indices);
  const out: ReactNode[] = [];
  let run = '';
  let inMark = false;
  const flush = (key: number) => {
    if (!run) return;
    out.push(inMark ? <mark key={key}>{run}</mark> : <Fragment key={key}>{run}</Fragment>);
    run = '';
  };
  for (let i = 0; i < text.length; i++) {
    const m = marks.has(i);
    if (m !== inMark) {
      flush(i);
      inMark = m;
    }
    run += text[i];
  }
  flush(text.length);
  return out;
}

export function CommandPalette() {
  const open = useUi((s) => s.overlay === 'palette');
  const close = useUi((s) => s.close);
  const commands = useCommands();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const restoreFocus = useRef(true);

  // Cleared as it closes, not as it opens: a reset on opening lands one render late, so a quick
  // Ctrl+K, ↓, Enter acted on the last search's results (e2e caught it running the wrong command).
  useEffect(() => {
    if (open) {
      restoreFocus.current = true;
    } else {
      setQuery('');
      setActive(0);
    }
  }, [open]);

  const results = useMemo(() => fuzzyFilter(commands, query, (c) => `${c.title} ${c.keywords ?? ''}`), [commands, query]);

  useEffect(() => {
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [active, results]);

  const run = (c: Command) => {
    // Going to a page focuses that page's heading; don't pull focus back to where the palette opened.
    restoreFocus.current = c.group !== 'Go to';
    close();
    c.run();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const n = results.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (n) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Home' && e.ctrlKey) {
      setActive(0);
    } else if (e.key === 'End' && e.ctrlKey) {
      setActive(Math.max(0, n - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const c = results[active]?.item;
      if (c) run(c);
    }
  };

  let lastGroup = '';
  return (
    <Dialog open={open} onClose={close} className="palette" labelledBy={`${listId}-label`} restoreFocus={restoreFocus}>
      <div className="palette__search">
        <Icon name="search" size={16} />
        <label id={`${listId}-label`} htmlFor={`${listId}-input`} className="visually-hidden">
          Command palette: type a page, a workspace or an action
        </label>
        <input
          id={`${listId}-input`}
          className="palette__input"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={results[active] ? `${listId}-${active}` : undefined}
          placeholder="Go to a page, switch workspace, change theme…"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <Kbd>Esc</Kbd>
      </div>
      <ul ref={listRef} id={listId} role="listbox" aria-label="Commands" className="palette__list">
        {results.length === 0 ? (
          <li className="palette__empty" role="presentation">
            Nothing matches “{query}”. Try a page name like “inbox”, or “theme”.
          </li>
        ) : (
          results.map(({ item, match }, i) => {
            const showGroup = query.trim() === '' && item.group !== lastGroup;
            lastGroup = item.group;
            const titleIndices = match.indices.filter((x) => x < item.title.length);
            return (
              <Fragment key={item.id}>
                {showGroup ? (
                  <li role="presentation" className="palette__group">
                    {item.group}
                  </li>
                ) : null}
                <li
                  id={`${listId}-${i}`}
                  data-index={i}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'palette__item is-active' : 'palette__item'}
                  onMouseMove={() => setActive(i)}
                  onClick={() => run(item)}
                >
                  <Icon name={item.icon} size={16} className="palette__icon" />
                  <span className="palette__title">{highlight(item.title, titleIndices)}</span>
                  {query.trim() !== '' ? <span className="palette__meta">{item.group}</span> : null}
                  {item.keys ? (
                    <span className="palette__keys" aria-label={`Shortcut: ${item.keys.join(' then ')}`}>
                      {item.keys.map((k) => (
                        <Kbd key={k}>{k}</Kbd>
                      ))}
                    </span>
                  ) : null}
                </li>
              </Fragment>
            );
          })
        )}
      </ul>
      <footer className="palette__footer" aria-hidden="true">
        <span>
          <Kbd>↑</Kbd>
          <Kbd>↓</Kbd> move
        </span>
        <span>
          <Kbd>Enter</Kbd> run
        </span>
        <span>
          <Kbd>Esc</Kbd> close
        </span>
      </footer>
    </Dialog>
  );
}
