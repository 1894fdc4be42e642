// Which posts are ticked, as a file manager does it: a click (or x) toggles one and becomes the
// anchor; a shift-click (or Shift+X) sets every row between the anchor and this one to what this
// one becomes; Ctrl/Cmd+A ticks every row loaded. Pure, so tested without a browser.

export interface Selection {
  ids: ReadonlySet<string>;
  /** The row a range starts from: the last one toggled on its own. */
  anchor: string | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export function toggleOne(sel: Selection, id: string): Selection {
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/**
 * Shift-click on `id`: it flips, and every row from the anchor to it follows it (ticked or not).
 * Without an anchor still on screen it is a plain toggle. The anchor stays where it was, so a
 * second shift-click re-draws the range from the same start.
 */
export function toggleRange(sel: Selection, order: readonly string[], id: string): Selection {
  const to = order.indexOf(id);
  const from = sel.anchor === null ? -1 : order.indexOf(sel.anchor);
  if (to === -1 || from === -1) return toggleOne(sel, id);
  const on = !sel.ids.has(id);
  const ids = new Set(sel.ids);
  const [a, b] = from <= to ? [from, to] : [to, from];
  for (const rowId of order.slice(a, b + 1)) {
    if (on) ids.add(rowId);
    else ids.delete(rowId);
  }
  return { ids, anchor: sel.anchor };
}

export function selectAll(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Keep only rows still on screen (a post that left the filtered list is not silently acted on). */
export function prune(sel: Selection, order: readonly string[]): Selection {
  const shown = new Set(order);
  const kept = [...sel.ids].filter((id) => shown.has(id));
  const anchor = sel.anchor !== null && shown.has(sel.anchor) ? sel.anchor : null;
  if (kept.length === sel.ids.size && anchor === sel.anchor) return sel;
  return { ids: new Set(kept), anchor };
}

/** The ticked rows in the order they are shown (what a bulk action sends, and reports in). */
export function selectedInOrder(sel: Selection, order: readonly string[]): string[] {
  return order.filter((id) => sel.ids.has(id));
}

/** The header checkbox: all, none, or some (indeterminate). */
export function headerState(sel: Selection, order: readonly string[]): 'all' | 'none' | 'some' {
  const n = order.filter((id) => sel.ids.has(id)).length;
  if (n === 0) return 'none';
  return n === order.length ? 'all' : 'some';
}
