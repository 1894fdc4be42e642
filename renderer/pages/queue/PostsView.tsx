// The Queue's Posts view: the workspace's posts filtered by status, account and dates (kept in the
// URL), ticked one by one, by range or all at once, and moved, paused or cancelled together — with
// an honest account of what happened to each. Posts can also be imported from a CSV file. Live:
// whatever changes a post elsewhere (a publish finishing, the Calendar) shows here without a reload.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { call, messageOf } from '../../api/client';
import { Kbd, Page } from '../../components/Page';
import { localTimezone } from '../../lib/timezones';
import { useCurrentWorkspace } from '../../stores/workspaces';
import '../../styles/queue.css';
import '../../styles/queue-posts.css';
import { useAccounts } from '../accounts/accounts-store';
import type { PostView } from '../calendar/post-info';
import { dayOf } from '../calendar/zoned';
import { describeBulk, mergeResults, planBulk, type BulkChoice, type BulkReport, type BulkResult } from './posts-bulk';
import { PostsBulkBar, PostsBulkReport } from './PostsBulkBar';
import { PostsCancelDialog } from './PostsCancelDialog';
import { PostsCsvImportDialog } from './PostsCsvImportDialog';
import { usePostsFeed } from './posts-feed';
import { PostsFilterBar } from './PostsFilterBar';
import { hidesUntimed, isFiltered, listQuery, NO_FILTERS, rangeLabel, statusesLabel } from './posts-filters';
import { usePostsKeys } from './posts-keys';
import { PostsMoveDialog } from './PostsMoveDialog';
import { EMPTY_SELECTION, headerState, prune, selectAll, selectedInOrder, toggleOne, toggleRange, type Selection } from './posts-selection';
import { PostsTable, rowCheckId } from './PostsTable';
import { usePostsFilters, type QueueView } from './posts-view';
import { PostsViewSwitch } from './PostsViewSwitch';
import { useTick } from './useTick';

const EMPTY_IDS: ReadonlySet<string> = new Set();

export function PostsView({ view, onView }: { view: QueueView; onView: (v: QueueView) => void }) {
  const ws = useCurrentWorkspace();
  const { filters, setFilters } = usePostsFilters();
  const accountsState = useAccounts(ws?.id ?? null);
  const accounts = useMemo(() => (accountsState.workspaceId === ws?.id ? accountsState.items : []), [accountsState.workspaceId, accountsState.items, ws?.id]);
  const tick = useTick(30_000);
  const timezone = ws?.timezone ?? localTimezone();
  // "Today" on the workspace's clock: a new day changes the query only when the day changes.
  const today = dayOf(tick, timezone);
  const query = useMemo(() => (ws ? listQuery(ws.id, filters, today, timezone) : null), [ws, filters, today, timezone]);
  const feed = usePostsFeed(query);
  const loaded = feed.status === 'ready' && feed.key === feed.wantedKey;
  // While another query loads, the last list stays (dimmed) instead of flashing empty.
  const posts: readonly PostView[] = feed.key === feed.wantedKey || feed.status !== 'error' ? feed.items : [];
  const order = useMemo(() => posts.map((p) => p.id), [posts]);
  const now = useMemo(() => Math.max(tick, Date.now()), [tick, posts]);

  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(EMPTY_IDS);
  const [dialog, setDialog] = useState<'move' | 'cancel' | 'import' | null>(null);
  const [report, setReport] = useState<BulkReport | null>(null);
  const [notice, setNotice] = useState('');
  const lastIndex = useRef(0);

  // A ticked post that left the list (filtered out, deleted elsewhere) is not acted on unseen.
  useEffect(() => {
    if (loaded) setSelection((s) => prune(s, order));
  }, [loaded, order]);

  // An account filter from another workspace (or a deleted account) would show nothing, silently.
  useEffect(() => {
    if (filters.accountId && accountsState.status === 'ready' && accountsState.workspaceId === ws?.id && !accounts.some((a) => a.id === filters.accountId)) {
      setFilters({ ...filters, accountId: null });
    }
  }, [filters, accounts, accountsState.status, accountsState.workspaceId, ws?.id, setFilters]);

  // Keep the current row when the list changes; if it left, the row now in its place.
  useEffect(() => {
    if (order.length === 0) {
      setCurrentId(null);
      return;
    }
    const i = currentId === null ? -1 : order.indexOf(currentId);
    if (i >= 0) {
      lastIndex.current = i;
      return;
    }
    if (currentId !== null) setCurrentId(order[Math.min(lastIndex.current, order.length - 1)] ?? null);
  }, [order, currentId]);

  // Focus that fell to <body> (the bulk bar that opened a dialog is gone) returns to the current row.
  useEffect(() => {
    if (dialog !== null || document.activeElement !== document.body || !currentId) return;
    document.getElementById(rowCheckId(currentId))?.focus({ preventScroll: true });
  }, [order, currentId, dialog, selection]);

  const focusRow = (id: string) => {
    setCurrentId(id);
    const el = document.getElementById(rowCheckId(id));
    el?.focus();
    el?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  };

  const chosen = posts.filter((p) => selection.ids.has(p.id));

  const run = async (choice: BulkChoice) => {
    const ids = selectedInOrder(selection, order);
    if (ids.length === 0) return;
    const targets = posts.filter((p) => selection.ids.has(p.id));
    const at = Date.now();
    const plan = planBulk(choice, targets, timezone, at);
    setBusyIds(new Set(ids));
    const parts: BulkResult[][] = [plan.refused];
    for (const req of plan.requests) {
      try {
        parts.push((await call('posts.bulk', req)).results);
      } catch (err) {
        // The whole call was refused (or never arrived): none of its posts changed.
        parts.push(req.postIds.map((postId) => ({ postId, ok: false, error: messageOf(err) })));
      }
    }
    const r = describeBulk(choice, mergeResults(ids, ...parts), targets, timezone, at);
    setReport(r);
    setNotice(r.line);
    // What did not work stays ticked, to try something else with it.
    setSelection({ ids: new Set(r.failedIds), anchor: null });
    setBusyIds(EMPTY_IDS);
    setDialog(null);
    // Also without events (another window's engine): the rows show what the database now says.
    await feed.refresh();
  };

  const askFirst = () => {
    if (selection.ids.size > 0) return true;
    setNotice('Tick one or more posts first (X ticks the current one).');
    return false;
  };

  const current = posts.find((p) => p.id === currentId) ?? null;
  usePostsKeys({
    move(delta) {
      if (order.length === 0) return;
      const i = current ? order.indexOf(current.id) : -1;
      const next = i === -1 ? (delta === 1 ? 0 : order.length - 1) : i + delta;
      if (next >= order.length && feed.more) void feed.loadMore();
      const id = order[Math.max(0, Math.min(order.length - 1, next))];
      if (id) focusRow(id);
    },
    toggle() {
      const p = current ?? posts[0];
      if (!p) return;
      setSelection((s) => toggleOne(s, p.id));
      focusRow(p.id);
    },
    extend() {
      const p = current ?? posts[0];
      if (!p) return;
      setSelection((s) => toggleRange(s, order, p.id));
      focusRow(p.id);
    },
    selectAll() {
      if (order.length === 0) return;
      setSelection(selectAll(order));
      setNotice(`${order.length} ${order.length === 1 ? 'post' : 'posts'} ticked.`);
    },
    clear() {
      if (selection.ids.size === 0) return false;
      setSelection(EMPTY_SELECTION);
      setNotice('Nothing ticked.');
      return true;
    },
    moveDialog() {
      if (askFirst()) setDialog('move');
    },
    pause() {
      if (askFirst() && busyIds.size === 0) void run({ kind: 'pause' });
    },
    cancel() {
      if (askFirst() && busyIds.size === 0) setDialog('cancel');
    },
  });

  if (!ws) return null;

  const header = headerState(selection, order);
  const filtered = isFiltered(filters);
  const busy = busyIds.size > 0;
  const localZone = localTimezone();
  const firstAt = chosen.reduce<number | null>((min, p) => (p.publishAt !== null && (min === null || p.publishAt < min) ? p.publishAt : min), null);

  let body;
  if (feed.status === 'error' && feed.key === feed.wantedKey) {
    body = (
      <p className="inline-error" role="alert">
        Could not load the posts: {messageOf(feed.error)}{' '}
        <button type="button" className="link-button" onClick={() => void feed.refresh()}>
          Try again
        </button>
      </p>
    );
  } else if (!loaded && posts.length === 0) {
    body = <p className="qloading muted">Loading posts…</p>;
  } else if (loaded && posts.length === 0) {
    body = filtered ? (
      <div className="empty qempty" data-testid="posts-empty">
        <p className="empty__title">No posts match these filters</p>
        <p className="empty__text">
          {statusesLabel(filters.statuses)}, {rangeLabel(filters.range, today)}
          {filters.accountId ? ', one account' : ''}.{hidesUntimed(filters) ? ' Drafts without a time are left out while dates are set.' : ''}
        </p>
        <p className="empty__text">
          <button type="button" className="link-button" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </button>
        </p>
      </div>
    ) : (
      <div className="empty qempty" data-testid="posts-empty">
        <p className="empty__title">No posts yet</p>
        <p className="empty__text">
          Posts you write in <Link to="/compose">Compose</Link> or import from a spreadsheet appear here, with their times and where each one goes.
        </p>
        <p className="empty__text">
          <button type="button" className="link-button" onClick={() => setDialog('import')}>
            Import posts from a CSV file
          </button>
        </p>
      </div>
    );
  } else {
    body = (
      <>
        <div className={loaded ? 'qtable-wrap' : 'qtable-wrap is-busy'}>
          <PostsTable
            posts={posts}
            caption={`Posts in ${ws.name}: ${statusesLabel(filters.statuses).toLowerCase()}, ${rangeLabel(filters.range, today)}`}
            now={now}
            timezone={timezone}
            selected={selection.ids}
            currentId={currentId}
            busyIds={busyIds}
            header={header}
            onCheck={(p, range) => {
              setSelection((s) => (range ? toggleRange(s, order, p.id) : toggleOne(s, p.id)));
              setCurrentId(p.id);
            }}
            onCheckAll={() => setSelection(header === 'all' ? EMPTY_SELECTION : selectAll(order))}
            onCurrent={(p) => setCurrentId(p.id)}
          />
        </div>
        <div className="qfoot">
          <p className="qfoot__count" data-testid="posts-count">
            Showing {posts.length.toLocaleString()} of {Math.max(feed.total, posts.length).toLocaleString()} {Math.max(feed.total, posts.length) === 1 ? 'post' : 'posts'}
          </p>
          {feed.more ? (
            <button type="button" className="button button--small" onClick={() => void feed.loadMore()} disabled={feed.loadingMore}>
              {feed.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          <p className="qkeys" aria-hidden="true">
            <Kbd>J</Kbd> <Kbd>K</Kbd> move · <Kbd>X</Kbd> tick · <Kbd>Shift</Kbd>+<Kbd>X</Kbd> range · <Kbd>Ctrl</Kbd>+<Kbd>A</Kbd> all
          </p>
        </div>
      </>
    );
  }

  return (
    <Page
      title="Queue"
      subtitle={
        <span data-testid="posts-subtitle">
          Posts · times in {timezone}
          {localZone !== timezone ? ` (this computer is on ${localZone})` : ''}
        </span>
      }
      actions={
        <>
          <button type="button" className="button button--small" onClick={() => setDialog('import')}>
            Import CSV…
          </button>
          <PostsViewSwitch view={view} onView={onView} />
        </>
      }
    >
      <div className="queue qp">
        <PostsFilterBar filters={filters} onChange={setFilters} accounts={accounts} today={today} timezone={timezone} />
        {feed.refreshError ? (
          <p className="inline-error qstale" role="status">
            This list may be out of date: {messageOf(feed.refreshError)}{' '}
            <button type="button" className="link-button" onClick={() => void feed.refresh()}>
              Refresh
            </button>
          </p>
        ) : null}
        {report ? <PostsBulkReport report={report} onDismiss={() => setReport(null)} /> : null}
        <div className="qpanel" aria-busy={!loaded} data-testid="posts-panel">
          {body}
        </div>
        <PostsBulkBar
          count={selection.ids.size}
          total={feed.total}
          busy={busy}
          onMove={() => setDialog('move')}
          onPause={() => void run({ kind: 'pause' })}
          onCancel={() => setDialog('cancel')}
          onClear={() => setSelection(EMPTY_SELECTION)}
        />
        <p className="visually-hidden" role="status" aria-live="polite">
          {notice}
        </p>
      </div>
      <PostsMoveDialog open={dialog === 'move'} count={selection.ids.size} firstAt={firstAt} timezone={timezone} onClose={() => setDialog(null)} onChoose={run} />
      <PostsCancelDialog open={dialog === 'cancel'} count={selection.ids.size} onClose={() => setDialog(null)} onConfirm={() => run({ kind: 'cancel' })} />
      <PostsCsvImportDialog open={dialog === 'import'} onClose={() => setDialog(null)} workspaceId={ws.id} timezone={timezone} accounts={accounts} />
    </Page>
  );
}
