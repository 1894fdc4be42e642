// Dragging a post with pointer events (mouse, pen, touch alike): a press that moves a few pixels
// becomes a drag, the day or slot under the pointer is the target, release drops, Esc calls it
// off. A press that does not move stays a click. Drop targets are marked in the DOM:
// `data-drop-day="yyyy-mm-dd"` on a month cell or week column, plus `data-drop-slots` on a week
// column, whose height spans the day's 24 hours.
import { useCallback, useEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { parseIsoDay } from './grid';
import { minutesAt } from './placement';
import type { PostView } from './post-info';
import type { DayNumber } from './zoned';

/** How far a press moves before it is a drag rather than a click. */
const DRAG_THRESHOLD_PX = 4;

export interface DropTarget {
  day: DayNumber;
  /** A week-view slot (minutes after midnight); null for a whole day (month view). */
  minutes: number | null;
}

export interface DragState {
  post: PostView;
  x: number;
  y: number;
  target: DropTarget | null;
}

export function dropTargetAt(x: number, y: number): DropTarget | null {
  const el = document.elementFromPoint(x, y)?.closest<HTMLElement>('[data-drop-day]');
  const day = el?.dataset.dropDay ? parseIsoDay(el.dataset.dropDay) : null;
  if (!el || day === null) return null;
  if (el.dataset.dropSlots === undefined) return { day, minutes: null };
  const rect = el.getBoundingClientRect();
  return { day, minutes: minutesAt(y - rect.top, rect.height) };
}

/** The click that ends a drag is not a click on whatever is under the pointer. */
function swallowNextClick(): void {
  const stop = (e: MouseEvent) => {
    e.stopPropagation();
    e.preventDefault();
  };
  window.addEventListener('click', stop, { capture: true, once: true });
  setTimeout(() => window.removeEventListener('click', stop, { capture: true }), 0);
}

export function usePostDrag(opts: { canDrag: (post: PostView) => boolean; onDrop: (post: PostView, target: DropTarget) => void }) {
  const [drag, setDrag] = useState<DragState | null>(null);
  const optsRef = useRef(opts);
  optsRef.current = opts;
  const stopRef = useRef<(() => void) | null>(null);

  useEffect(() => () => stopRef.current?.(), []);

  const onPointerDown = useCallback((post: PostView, e: ReactPointerEvent<HTMLElement>) => {
    if (e.button !== 0 || !e.isPrimary || !optsRef.current.canDrag(post)) return;
    stopRef.current?.();
    const startX = e.clientX;
    const startY = e.clientY;
    let active = false;

    const stop = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      window.removeEventListener('pointercancel', cancel);
      window.removeEventListener('keydown', key, { capture: true });
      document.documentElement.classList.remove('is-dragging-post');
      stopRef.current = null;
    };
    const move = (ev: PointerEvent) => {
      if (!active) {
        if (Math.hypot(ev.clientX - startX, ev.clientY - startY) < DRAG_THRESHOLD_PX) return;
        active = true;
        document.documentElement.classList.add('is-dragging-post');
        window.getSelection()?.removeAllRanges();
      }
      setDrag({ post, x: ev.clientX, y: ev.clientY, target: dropTargetAt(ev.clientX, ev.clientY) });
    };
    const up = (ev: PointerEvent) => {
      stop();
      if (!active) return;
      swallowNextClick();
      setDrag(null);
      const target = dropTargetAt(ev.clientX, ev.clientY);
      if (target) optsRef.current.onDrop(post, target);
    };
    const cancel = () => {
      stop();
      setDrag(null);
    };
    const key = (ev: KeyboardEvent) => {
      if (ev.key !== 'Escape' || !active) return;
      // Esc ends the drag and nothing else (not the panel, not a dialog).
      ev.preventDefault();
      ev.stopPropagation();
      stop();
      setDrag(null);
      // The button is still held: the click its release makes is part of the called-off drag.
      window.addEventListener('pointerup', swallowNextClick, { capture: true, once: true });
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    window.addEventListener('pointercancel', cancel);
    window.addEventListener('keydown', key, { capture: true });
    stopRef.current = stop;
  }, []);

  return { drag, onPointerDown };
}
