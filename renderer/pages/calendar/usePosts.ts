// The Calendar's data: every post of the workspace whose time falls in the window on screen and
// every date a repeating post goes out on in it, live through `posts.changed` (debounced, like the
// Queue) and a reconnected event stream, plus moves that show at once and roll back if the engine
// refuses them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { call } from '../../api/client';
import { usePostsChanged } from '../../api/usePostsChanged';
import { calendarEntries, repeats, type CalendarEntry, type Occurrence } from './entries';
import type { PostView } from './post-info';

/** posts.list's largest page. */
const PAGE = 500;
/** A window holding more than this is not a calendar any more; what is shown says so. */
const MAX_POSTS = 3_000;
/** posts.occurrences' widest window. */
const OCCURRENCE_SPAN_MS = 62 * 86_400_000;

export interface PostsState {
  status: 'loading' | 'ready' | 'error';
  /** Which workspace and window `items` belong to (they stay on screen while the next window loads). */
  key: string;
  items: PostView[];
  /** The dates of repeating posts in the window, and the series they belong to. */
  occurrences: Occurrence[];
  series: PostView[];
  /** More posts (or repeats) fall in the window than were fetched. */
  truncated: boolean;
  error: unknown;
  /** A background refresh failed: what is shown may be out of date. */
  refreshError: unknown;
}

export interface Posts extends PostsState {
  wantedKey: string;
  /** Posts with the moves still waiting for the engine applied. */
  shown: PostView[];
  /** What the calendar draws: `shown` at their times, and the repeats of repeating posts. */
  entries: CalendarEntry[];
  /** Ids of posts whose move is in flight. */
  moving: ReadonlySet<string>;
  refresh(): Promise<void>;
  /** Move a post to `at` at once; resolves with the engine's post, or rejects (and puts it back) when refused. */
  move(post: PostView, at: number): Promise<PostView>;
  /** Put a post the API just returned in place (panel actions), before the event's refetch lands. */
  replace(post: PostView): void;
}

const INITIAL: PostsState = { status: 'loading', key: '', items: [], occurrences: [], series: [], truncated: false, error: null, refreshError: null };

type Window = Pick<PostsState, 'items' | 'occurrences' | 'series' | 'truncated'>;

async function fetchPosts(workspaceId: string, from: number, to: number): Promise<{ items: PostView[]; truncated: boolean }> {
  const items: PostView[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await call('posts.list', { workspaceId, from, to, limit: PAGE, offset });
    items.push(...page.items);
    if (page.items.length < PAGE || items.length >= page.total) return { items, truncated: false };
    if (items.length >= MAX_POSTS) return { items, truncated: true };
  }
}

async function fetchOccurrences(workspaceId: string, from: number, to: number): Promise<Pick<Window, 'occurrences' | 'series' | 'truncated'>> {
  const occurrences: Occurrence[] = [];
  const series = new Map<string, PostView>();
  let truncated = false;
  // The views ask for six weeks at most; a longer window is asked for in pieces.
  for (let start = from; start < to; start += OCCURRENCE_SPAN_MS) {
    const r = await call('posts.occurrences', { workspaceId, from: start, to: Math.min(to, start + OCCURRENCE_SPAN_MS) });
    occurrences.push(...r.items);
    for (const p of r.posts) series.set(p.id, p);
    truncated ||= r.truncated;
  }
  return { occurrences, series: [...series.values()], truncated };
}

async function fetchWindow(workspaceId: string, from: number, to: number): Promise<Window> {
  const [posts, repeating] = await Promise.all([fetchPosts(workspaceId, from, to), fetchOccurrences(workspaceId, from, to)]);
  return { items: posts.items, occurrences: repeating.occurrences, series: repeating.series, truncated: posts.truncated || repeating.truncated };
}

export function usePosts(workspaceId: string | null, from: number, to: number): Posts {
  const [state, setState] = useState<PostsState>(INITIAL);
  const [pending, setPending] = useState<ReadonlyMap<string, number>>(new Map());
  const wantedKey = `${workspaceId ?? ''}|${from}|${to}`;
  const generation = useRef(0);
  const windowRef = useRef({ from, to });
  windowRef.current = { from, to };

  const load = useCallback(
    async (background: boolean) => {
      if (!workspaceId) return;
      const g = ++generation.current;
      try {
        const r = await fetchWindow(workspaceId, from, to);
        if (g !== generation.current) return;
        setState({ status: 'ready', key: wantedKey, ...r, error: null, refreshError: null });
      } catch (error) {
        if (g !== generation.current) return;
        // A failed background refresh keeps the last good posts (and says so); a failed first load is an error.
        setState((s) => (background && s.status === 'ready' && s.key === wantedKey ? { ...s, refreshError: error } : { ...INITIAL, status: 'error', key: wantedKey, error }));
      }
    },
    [workspaceId, from, to, wantedKey],
  );
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    void load(false);
  }, [load]);

  usePostsChanged(workspaceId, () => void loadRef.current(true));

  const replace = useCallback((post: PostView) => {
    setState((s) => {
      const { from: f, to: t } = windowRef.current;
      const inWindow = post.publishAt !== null && post.publishAt >= f && post.publishAt < t;
      const others = s.items.filter((p) => p.id !== post.id);
      // A series that stopped repeating (unscheduled, cancelled) or moved loses its repeats at once:
      // its dates are stale until the refetch that the change's event brings.
      const before = s.series.find((p) => p.id === post.id);
      const stale = before !== undefined && (!repeats(post) || before.publishAt !== post.publishAt || before.rrule !== post.rrule);
      return {
        ...s,
        items: inWindow ? [...others, post].sort((a, b) => (a.publishAt ?? 0) - (b.publishAt ?? 0)) : others,
        series: s.series.map((p) => (p.id === post.id ? post : p)),
        occurrences: stale ? s.occurrences.filter((o) => o.postId !== post.id) : s.occurrences,
      };
    });
  }, []);

  const move = useCallback(
    async (post: PostView, at: number) => {
      setPending((m) => new Map(m).set(post.id, at));
      const settle = () =>
        setPending((m) => {
          const next = new Map(m);
          next.delete(post.id);
          return next;
        });
      try {
        const updated = await call('posts.reschedule', { postId: post.id, at });
        replace(updated);
        settle();
        return updated;
      } catch (err) {
        // The engine said no: the post goes back where it was (the list still has it there).
        settle();
        throw err;
      }
    },
    [replace],
  );

  const refresh = useCallback(() => loadRef.current(true), []);
  const shown = useMemo(
    () => (pending.size === 0 ? state.items : state.items.map((p) => (pending.has(p.id) ? { ...p, publishAt: pending.get(p.id) ?? p.publishAt } : p))),
    [state.items, pending],
  );
  const moving = useMemo(() => new Set(pending.keys()), [pending]);
  const entries = useMemo(() => calendarEntries(shown, state.occurrences, state.series, moving), [shown, state.occurrences, state.series, moving]);
  return { ...state, wantedKey, shown, entries, moving, refresh, move, replace };
}
