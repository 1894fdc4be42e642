// The Calendar's keys: ←/→ move a period, t goes to today, m and w switch views. Like the app's
// other letter keys they are off while typing or while a dialog is open, and a letter right after
// `g` belongs to the "go to" shortcut. Arrows are left alone on controls that use them (radio
// groups, selects, tabs) and while something is being dragged.
import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../shell/useGlobalKeys';
import { useUi } from '../../stores/ui';

/** Same window as the shell's `g` sequence. */
const GO_SEQUENCE_MS = 1500;

export interface CalendarKeyHandlers {
  step(delta: 1 | -1): void;
  today(): void;
  mode(mode: 'month' | 'week'): void;
  /** Esc with nothing else to close. */
  escape(): boolean;
}

function usesArrows(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.closest('input, select, textarea, [role="radio"], [role="tab"], [role="slider"]') !== null;
}

export function useCalendarKeys(handlers: CalendarKeyHandlers, enabled = true): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    if (!enabled) return;
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
        case 'ArrowLeft':
          if (usesArrows(e.target)) handled = false;
          else h.step(-1);
          break;
        case 'ArrowRight':
          if (usesArrows(e.target)) handled = false;
          else h.step(1);
          break;
        case 't':
          h.today();
          break;
        case 'm':
          h.mode('month');
          break;
        case 'w':
          h.mode('week');
          break;
        case 'Escape':
          handled = h.escape();
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}

/** For the shortcuts sheet: the keys this page answers to. */
export const CALENDAR_SHORTCUTS: readonly { keys: string[]; label: string }[] = [
  { keys: ['←'], label: 'Previous month or week' },
  { keys: ['→'], label: 'Next month or week' },
  { keys: ['T'], label: 'Today' },
  { keys: ['M'], label: 'Month view' },
  { keys: ['W'], label: 'Week view' },
];
