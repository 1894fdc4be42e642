// Global keys: Ctrl/Cmd+K opens the palette anywhere; `g` then a letter goes to a page and `?`
// shows the keys — but only when the user is not typing in a field.
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router-dom';
import { areaByKey } from '../pages/areas';
import { useUi } from '../stores/ui';

const SEQUENCE_MS = 1500;

export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  if (t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return true;
  if (t instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(t.type);
  return false;
}

export function useGlobalKeys(onPendingChange?: (pending: boolean) => void): void {
  const navigate = useNavigate();
  // The listener is installed once: `navigate` changes with every location, and re-installing it
  // between `g` and the letter (a page re-rendering after the last jump) lost the sequence.
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const onPendingRef = useRef(onPendingChange);
  onPendingRef.current = onPendingChange;

  useEffect(() => {
    let pendingUntil = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const setPending = (on: boolean) => {
      pendingUntil = on ? Date.now() + SEQUENCE_MS : 0;
      clearTimeout(timer);
      if (on) timer = setTimeout(() => onPendingRef.current?.(false), SEQUENCE_MS);
      onPendingRef.current?.(on);
    };

    const onKey = (e: KeyboardEvent) => {
      const ui = useUi.getState();
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        if (ui.overlay === 'palette') ui.close();
        else ui.open('palette');
        return;
      }
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (ui.overlay !== null || isTypingTarget(e.target)) return;

      if (pendingUntil > Date.now()) {
        setPending(false);
        const area = areaByKey(e.key.toLowerCase());
        if (area) {
          e.preventDefault();
          navigateRef.current(area.path);
        }
        return;
      }
      if (e.key === 'g' && !e.shiftKey) {
        setPending(true);
      } else if (e.key === '?') {
        e.preventDefault();
        ui.open('help');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      clearTimeout(timer);
    };
  }, []);
}
