// The Posts view's keys, in the Jobs view's model: j/k move between rows, x ticks the current row
// (Shift+X ticks everything from the last ticked row to it), Ctrl/Cmd+A ticks every row loaded,
// Escape clears the ticks, and m / p / c act on the ticked posts (c asks first). Like the app's
// other letter keys they are off while typing or while a dialog is open, and a letter right after
// `g` belongs to the "go to" shortcut (g c is Compose, not cancel).
import { useEffect, useRef } from 'react';
import { isTypingTarget } from '../../shell/useGlobalKeys';
import { useUi } from '../../stores/ui';

/** Same window as the shell's `g` sequence. */
const GO_SEQUENCE_MS = 1500;

export interface PostsKeyHandlers {
  move(delta: 1 | -1): void;
  toggle(): void;
  extend(): void;
  selectAll(): void;
  clear(): boolean;
  moveDialog(): void;
  pause(): void;
  cancel(): void;
}

/** Whether focus sits on a row's own checkbox (arrow keys move between rows there). */
function onRowCheck(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.matches('[data-posts-row-check]');
}

/** Inside a popover (the status filter): its own keys come first. */
function inPopover(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && t.closest('[data-posts-popover]') !== null;
}

export function usePostsKeys(handlers: PostsKeyHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;

  useEffect(() => {
    let goAt = 0;
    // On document, so it runs before the shell's window listener and can claim a key first.
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.isComposing) return;
      if (useUi.getState().overlay !== null || document.querySelector('dialog[open]') || isTypingTarget(e.target) || inPopover(e.target)) return;
      const h = ref.current;
      if (e.ctrlKey || e.metaKey) {
        // Select all rows, not all the page's text.
        if (e.key.toLowerCase() === 'a' && !e.shiftKey) {
          e.preventDefault();
          h.selectAll();
        }
        return;
      }
      const now = Date.now();
      if (e.key === 'g' && !e.shiftKey) {
        goAt = now;
        return;
      }
      if (now - goAt < GO_SEQUENCE_MS) {
        goAt = 0;
        return;
      }
      let handled = true;
      switch (e.key) {
        case 'j':
          h.move(1);
          break;
        case 'k':
          h.move(-1);
          break;
        case 'ArrowDown':
          if (onRowCheck(e.target)) h.move(1);
          else handled = false;
          break;
        case 'ArrowUp':
          if (onRowCheck(e.target)) h.move(-1);
          else handled = false;
          break;
        case 'x':
          h.toggle();
          break;
        case 'X':
          h.extend();
          break;
        case 'Escape':
          handled = h.clear();
          break;
        case 'm':
          h.moveDialog();
          break;
        case 'p':
          h.pause();
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

/** For the shortcuts sheet: the keys the Posts view answers to. */
export const POSTS_SHORTCUTS: readonly { keys: string[]; label: string }[] = [
  { keys: ['J'], label: 'Next post' },
  { keys: ['K'], label: 'Previous post' },
  { keys: ['X'], label: 'Tick or untick it' },
  { keys: ['Shift', 'X'], label: 'Tick every post up to it' },
  { keys: ['Ctrl', 'A'], label: 'Tick every post shown' },
  { keys: ['Esc'], label: 'Untick all' },
  { keys: ['M'], label: 'Move the ticked posts' },
  { keys: ['P'], label: 'Pause them (unschedule)' },
  { keys: ['C'], label: 'Cancel them (asks first)' },
];
