// The virtual list: a scroll box whose spacer is sized from `total`, with only the rows on screen
// (plus a few either side) in the DOM, each placed by a transform at index × row height. Scrolling
// reads one number (scrollTop) per frame and re-renders only when the first or last row changes;
// nothing is measured per row, so there is no layout thrash with 100k conversations.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ConversationWindow } from './conversation-window';
import { ConversationRow, PlaceholderRow, rowDomId } from './ConversationRow';
import { contentHeight, scrollToShow, visibleRows, type RowRange } from './virtual-window';

/** Keep in step with .ib-row's height in inbox.css. */
export const ROW_HEIGHT = 76;
const OVERSCAN = 6;
const STEP = 4;

export interface ListHandle {
  /** Scroll just enough to show row `index` (nothing if it is visible). */
  show(index: number): void;
  focus(): void;
}

export interface ConversationListProps {
  list: ConversationWindow;
  label: string;
  cursorIndex: number | null;
  cursorId: string | null;
  openId: string | null;
  now: number;
  timezone: string;
  onActivate(id: string, index: number): void;
}

export const ConversationList = forwardRef<ListHandle, ConversationListProps>(function ConversationList(p, ref) {
  const box = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(0);
  const [range, setRange] = useState<RowRange>({ start: 0, end: 0 });
  const frame = useRef(0);
  const total = p.list.total ?? 0;
  const { show, subscribe, getVersion } = p.list;
  // Re-render as pages of rows land (the rows themselves are read from the cache below).
  useSyncExternalStore(subscribe, getVersion);

  const measure = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const seen = visibleRows({ scrollTop: el.scrollTop, height: el.clientHeight, rowHeight: ROW_HEIGHT, total, overscan: OVERSCAN });
    // Whole steps of a few rows: a slow scroll re-renders the list every few rows, not every pixel row.
    const next = { start: Math.floor(seen.start / STEP) * STEP, end: Math.min(total, Math.ceil(seen.end / STEP) * STEP) };
    setRange((r) => (r.start === next.start && r.end === next.end ? r : next));
  }, [total]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(measure, [measure, height]);

  useEffect(() => {
    show(range);
  }, [range, show]);

  useEffect(() => () => cancelAnimationFrame(frame.current), []);

  const onScroll = () => {
    // One read per frame, however many scroll events the wheel sends.
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      measure();
    });
  };

  useImperativeHandle(
    ref,
    () => ({
      show(index) {
        const el = box.current;
        if (!el) return;
        const to = scrollToShow(index, el.scrollTop, el.clientHeight, ROW_HEIGHT);
        if (to !== null) el.scrollTop = to;
      },
      focus() {
        box.current?.focus({ preventScroll: true });
      },
    }),
    [],
  );

  const rows = [];
  for (let i = range.start; i < range.end; i++) {
    const c = p.list.rowAt(i);
    const top = i * ROW_HEIGHT;
    rows.push(
      c ? (
        <ConversationRow
          key={i}
          c={c}
          index={i}
          total={total}
          top={top}
          cursor={p.cursorId !== null ? c.id === p.cursorId : i === p.cursorIndex}
          open={c.id === p.openId}
          now={p.now}
          timezone={p.timezone}
          onActivate={p.onActivate}
        />
      ) : (
        <PlaceholderRow key={i} index={i} total={total} top={top} />
      ),
    );
  }
  const cursorShown = p.cursorIndex !== null && p.cursorIndex >= range.start && p.cursorIndex < range.end;

  return (
    <div
      ref={box}
      className="ib-list"
      role="listbox"
      aria-label={p.label}
      tabIndex={0}
      data-inbox-list=""
      data-testid="inbox-list"
      data-total={total}
      aria-activedescendant={cursorShown && p.cursorIndex !== null ? rowDomId(p.cursorIndex) : undefined}
      onScroll={onScroll}
    >
      <div className="ib-list__space" style={{ height: contentHeight(total, ROW_HEIGHT) }}>
        {rows}
      </div>
    </div>
  );
});
