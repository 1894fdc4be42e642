// The inbox's keys (issue 7): j/k move the selection in the list, Enter opens it, r goes to the
// reply box, e closes the open thread and opens the next, s opens the snooze menu, and `/` —
// outside a text field — goes to the search box (inside the reply box, `/` at the start opens the
// saved replies; the reply box handles that itself, and Esc leaves it). Like the app's other letter
// keys they are off while typing or while a dialog is open, and a letter right after `g` belongs
// to the "go to" shortcut (g i is the Inbox, not a key here).
import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../shell/useGlobalKeys';
import { useUi } from '../../stores/ui';

/** Same window as the shell's `g` sequence. */
const GO_SEQUENCE_MS = 1500;
/** Letters typed just after the text field under them disappeared were meant for that field. */
const DROPPED_TYPING_MS = 1000;

export interface InboxKeyHandlers {
  move(delta: 1 | -1): void;
  open(): void;
  reply(): void;
  close(): void;
  snooze(): void;
  search(): void;
}

function isControl(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.closest('button, a[href], input, select, textarea, summary, [role="tab"], [role="menuitem"], [role="radio"]') !== null;
}

/** Inside a popup menu (snooze, filters): its own keys come first. */
function inMenu(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.closest('[data-inbox-menu]') !== null;
}

export function useInboxKeys(handlers: InboxKeyHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    let goAt = 0;
    let typedAt = 0;
    let droppedAt = 0;
    // A text field that loses focus to nothing (it was removed, say, as its thread reloaded) while
    // someone is typing: the next letters must not become commands (an "e" closing the thread).
    const onFocusOut = (e: FocusEvent) => {
      if (isTypingTarget(e.target) && e.relatedTarget === null) droppedAt = Date.now();
    };
    // On document, so it runs before the shell's window listener and can claim a key first.
    const onKey = (e: KeyboardEvent) => {
      const now = Date.now();
      if (isTypingTarget(e.target)) {
        typedAt = now;
        return;
      }
      const onNothing = e.target === document.body || e.target === document.documentElement;
      if (onNothing && now - droppedAt < DROPPED_TYPING_MS && droppedAt - typedAt < DROPPED_TYPING_MS) return;
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (useUi.getState().overlay !== null || document.querySelector('dialog[open]') || inMenu(e.target)) return;
      if (e.key === 'g' && !e.shiftKey) {
        goAt = now;
        return;
      }
      if (now - goAt < GO_SEQUENCE_MS) {
        goAt = 0;
        return;
      }
      const h = ref.current;
      let handled = true;
      switch (e.key) {
        case 'j':
          h.move(1);
          break;
        case 'k':
          h.move(-1);
          break;
        case 'ArrowDown':
        case 'ArrowUp':
          // On the list itself the arrows move too (a listbox's own keys); elsewhere they scroll.
          if (e.target instanceof HTMLElement && e.target.matches('[data-inbox-list]')) h.move(e.key === 'ArrowDown' ? 1 : -1);
          else handled = false;
          break;
        case 'Enter':
          // A focused button or link does its own thing on Enter.
          if (!isControl(e.target)) h.open();
          else handled = false;
          break;
        case 'r':
          h.reply();
          break;
        case 'e':
          h.close();
          break;
        case 's':
          h.snooze();
          break;
        case '/':
          h.search();
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusout', onFocusOut);
    };
  }, []);
}

/** For the shortcuts sheet: the keys the Inbox answers to. */
export const INBOX_SHORTCUTS: readonly { keys: string[]; label: string }[] = [
  { keys: ['J'], label: 'Next conversation' },
  { keys: ['K'], label: 'Previous conversation' },
  { keys: ['Enter'], label: 'Open it' },
  { keys: ['R'], label: 'Reply (go to the reply box)' },
  { keys: ['E'], label: 'Close it and open the next' },
  { keys: ['S'], label: 'Snooze…' },
  { keys: ['/'], label: 'Search messages' },
  { keys: ['/'], label: 'Saved replies (at the start of a reply)' },
  { keys: ['Ctrl', 'Enter'], label: 'Send the reply (Enter is a new line)' },
  { keys: ['Esc'], label: 'Leave the reply box' },
];
