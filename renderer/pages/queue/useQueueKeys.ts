// The Queue page's keys: j/k move between rows, Enter opens a row's details, r retries, c cancels.
// Like the app's other letter keys they are off while typing or while a dialog is open, and a
// letter right after `g` belongs to the "go to" shortcut (g c is Compose, not cancel).
import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../shell/useGlobalKeys';
import { useUi } from '../../stores/ui';

/** Same window as the shell's `g` sequence. */
const GO_SEQUENCE_MS = 1500;

export interface QueueKeyHandlers {
  move(delta: 1 | -1): void;
  toggle(): void;
  retry(): void;
  cancel(): void;
}

function isControl(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.closest('button, a[href], input, select, textarea, summary, [role="tab"], [role="radio"]') !== null;
}

/** Whether focus sits on a row's own toggle (arrow keys move between rows there). */
function onRowToggle(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.matches('[data-queue-row-toggle]');
}

export function useQueueKeys(handlers: QueueKeyHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    let goAt = 0;
    // On document, so it runs before the shell's window listener and can claim a key first.
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (useUi.getState().overlay !== null || document.querySelector('dialog[open]') || isTypingTarget(e.target)) return;
      const now = Date.now();
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
          if (onRowToggle(e.target)) h.move(1);
          else handled = false;
          break;
        case 'ArrowUp':
          if (onRowToggle(e.target)) h.move(-1);
          else handled = false;
          break;
        case 'Enter':
          // A focused button or link does its own thing on Enter.
          if (!isControl(e.target)) h.toggle();
          else handled = false;
          break;
        case 'r':
          h.retry();
          break;
        case 'c':
          h.cancel();
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

/** For the shortcuts sheet: the keys this page answers to. */
export const QUEUE_SHORTCUTS: readonly { keys: string[]; label: string }[] = [
  { keys: ['J'], label: 'Next job' },
  { keys: ['K'], label: 'Previous job' },
  { keys: ['Enter'], label: 'Show or hide its attempts' },
  { keys: ['R'], label: 'Retry (or run now)' },
  { keys: ['C'], label: 'Cancel (asks first)' },
];
