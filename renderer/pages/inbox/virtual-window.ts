// The arithmetic of the virtual list: which rows are on screen, which pages of rows to fetch for
// them, and where to scroll so a row is in view. Rows have one fixed height, so all of it is
// multiplication — no measuring, and so no layout thrash while scrolling. Pure, so it is tested.

export interface Viewport {
  scrollTop: number;
  height: number;
  rowHeight: number;
  total: number;
  /** Rows rendered beyond each edge, so a fast scroll shows rows rather than blank space. */
  overscan: number;
}

export interface RowRange {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
}

/** The rows to render: what is visible plus `overscan` on each side, clamped to [0, total). */
export function visibleRows(v: Viewport): RowRange {
  if (v.total <= 0 || v.rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, v.scrollTop) / v.rowHeight);
  const last = Math.ceil((Math.max(0, v.scrollTop) + Math.max(0, v.height)) / v.rowHeight);
  const start = Math.max(0, Math.min(v.total - 1, first - v.overscan));
  const end = Math.min(v.total, Math.max(start + 1, last + v.overscan));
  return { start, end };
}

/** The page numbers (of `pageSize` rows each) that hold rows start..end-1. */
export function pagesFor(range: RowRange, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const first = Math.floor(range.start / pageSize);
  const last = Math.floor((range.end - 1) / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

/**
 * Where to scroll so row `index` is fully visible, moving as little as possible; null when it
 * already is (so pressing j on a visible row never jolts the list).
 */
export function scrollToShow(index: number, scrollTop: number, height: number, rowHeight: number): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return null;
}

/** Chromium stops growing an element near 33.5 million px; beyond that the list cannot scroll on. */
export const MAX_SCROLL_PX = 33_000_000;

/** The spacer's height for `total` rows (capped where the browser would cap it anyway). */
export function contentHeight(total: number, rowHeight: number): number {
  return Math.min(MAX_SCROLL_PX, Math.max(0, total) * rowHeight);
}

/**
 * A small least-recently-used store of fetched pages. Pages on screen are kept whatever their
 * age; the rest go oldest-first once there are more than `capacity`.
 */
export class PageCache<T> {
  private readonly pages = new Map<number, T>();

  constructor(readonly capacity: number) {}

  get(page: number): T | undefined {
    const v = this.pages.get(page);
    if (v !== undefined) {
      // Map order is insertion order: re-inserting makes it the most recent.
      this.pages.delete(page);
      this.pages.set(page, v);
    }
    return v;
  }

  /** Read without counting it as a use (rendering reads every visible row each frame). */
  peek(page: number): T | undefined {
    return this.pages.get(page);
  }

  has(page: number): boolean {
    return this.pages.has(page);
  }

  set(page: number, value: T, keep: ReadonlySet<number> = new Set()): void {
    this.pages.delete(page);
    this.pages.set(page, value);
    for (const p of this.pages.keys()) {
      if (this.pages.size <= this.capacity) break;
      if (p !== page && !keep.has(p)) this.pages.delete(p);
    }
  }

  clear(): void {
    this.pages.clear();
  }

  keys(): number[] {
    return [...this.pages.keys()];
  }

  get size(): number {
    return this.pages.size;
  }
}
