// The Inbox: DMs, comments on our posts and mentions from every account in one list, with the
// open thread beside it and the customer behind it. The list is virtual (100k conversations scroll
// as lightly as 10), search runs as you type, and everything answers to the keyboard — j/k, Enter,
// r, e, s, / — as the keyboard help lists. Strangers' text is shown as text, always.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { call, messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { Kbd, Page } from '../../components/Page';
import { readLocal, writeLocal } from '../../lib/storage';
import { localTimezone } from '../../lib/timezones';
import { toastError } from '../../stores/ui';
import { useCurrentWorkspace } from '../../stores/workspaces';
import '../../styles/accounts.css';
import '../../styles/inbox.css';
import { accountName } from '../accounts/account-labels';
import { useAccounts } from '../accounts/accounts-store';
import { useTick } from '../queue/useTick';
import { ConversationList, type ListHandle } from './ConversationList';
import { useConversationWindow } from './conversation-window';
import { useInboxCounts } from './inbox-counts';
import { isFiltered, listQuery, NO_FILTERS, VIEWS } from './inbox-filters';
import { InboxFilterBar, InboxTabs, LIST_PANEL_ID } from './InboxFilterBar';
import { useInboxKeys } from './inbox-keys';
import { useInboxSearch } from './inbox-search';
import type { SearchHit, Status } from './inbox-types';
import { useInboxUrl } from './inbox-url';
import { networkName, personName } from './labels';
import { pollSummary, usePollProgress } from './poll-progress';
import { SearchResults } from './SearchResults';
import { useThread } from './thread-data';
import { ThreadPane, type ThreadPaneHandle } from './ThreadPane';
import { clockAt, exactAt } from './inbox-time';

const SIDE_KEY = 'postdesk.inbox.side';

interface Cursor {
  id: string | null;
  index: number | null;
}

interface Notice {
  text: string;
  undo?: () => void;
}

export function InboxPage() {
  const ws = useCurrentWorkspace();
  const workspaceId = ws?.id ?? null;
  const timezone = ws?.timezone ?? localTimezone();
  const now = useTick(30_000);
  const { filters, filtersKey, setFilters, openId, setOpenId } = useInboxUrl();
  const { counts, reload: reloadCounts } = useInboxCounts(workspaceId);
  const accountsState = useAccounts(workspaceId);
  const accounts = useMemo(() => (accountsState.workspaceId === workspaceId ? accountsState.items : []), [accountsState.workspaceId, accountsState.items, workspaceId]);

  // The key stands for the filters' content: a new object with the same filters does not refetch.
  const query = useMemo(() => (workspaceId ? listQuery(workspaceId, filters) : null), [workspaceId, filtersKey]);
  const list = useConversationWindow(query);
  const listRef = useRef<ListHandle>(null);
  const [cursor, setCursor] = useState<Cursor>({ id: null, index: null });

  const [searchText, setSearchText] = useState('');
  const search = useInboxSearch(workspaceId, searchText);
  const searching = searchText.trim() !== '';
  const hits: readonly SearchHit[] = search.status === 'ready' ? search.hits : search.status === 'searching' ? (search.hits ?? []) : [];
  const [hitCursor, setHitCursor] = useState<number | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);

  const thread = useThread(openId);
  const pane = useRef<ThreadPaneHandle>(null);
  const pendingFocus = useRef<'reply' | 'snooze' | null>(null);
  // The customer panel needs room: open by default only on a wide window, then as the user left it.
  const [sideOpen, setSideOpen] = useState(() => {
    const saved = readLocal(SIDE_KEY);
    return saved === null ? window.innerWidth >= 1480 : saved === '1';
  });
  const [notice, setNotice] = useState<Notice | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const poll = usePollProgress(workspaceId);

  useEffect(() => {
    if (!workspaceId) return;
    let live = true;
    call('inbox.tags', { workspaceId }).then(
      (t) => live && setTags(t),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [workspaceId, thread.thread?.conversation.tags]);

  // A new list (other filters, another workspace): the cursor starts at the top again.
  useEffect(() => {
    setCursor({ id: null, index: null });
  }, [filtersKey, workspaceId]);
  useEffect(() => setHitCursor(null), [search.status === 'ready' ? search.hits : null]);

  // Keep the cursor on its conversation when the list refreshes (it may have moved), and give an
  // index-only cursor (a row that was still loading) its conversation once the row arrives. Run as
  // pages land (a subscription, so the page itself does not re-render for rows scrolling by).
  const { indexOf, rowAt, subscribe } = list;
  useEffect(() => {
    const sync = () =>
      setCursor((cur) => {
        if (cur.id !== null) {
          const at = indexOf(cur.id);
          return at >= 0 && at !== cur.index ? { id: cur.id, index: at } : cur;
        }
        if (cur.index !== null) {
          const row = rowAt(cur.index);
          return row ? { id: row.id, index: cur.index } : cur;
        }
        // First load: the open thread's row if it is listed, else the top row.
        const at = openId ? indexOf(openId) : -1;
        if (at >= 0) return { id: openId, index: at };
        const first = rowAt(0);
        return first ? { id: first.id, index: 0 } : cur;
      });
    sync();
    return subscribe(sync);
  }, [indexOf, rowAt, subscribe, openId]);

  // Mark read when opened (and when more arrives while it is open and on screen).
  const openConv = thread.thread?.conversation;
  useEffect(() => {
    if (!openConv || openConv.unreadCount === 0 || document.visibilityState !== 'visible') return;
    call('inbox.markRead', { conversationIds: [openConv.id] }).catch(() => {
      // The row stays bold: the list says honestly that it is still unread.
    });
  }, [openConv?.id, openConv?.unreadCount, openConv]);

  // r / s pressed before the thread was open: act once it is.
  useEffect(() => {
    if (!thread.thread || !pendingFocus.current) return;
    const what = pendingFocus.current;
    pendingFocus.current = null;
    requestAnimationFrame(() => (what === 'reply' ? pane.current?.focusReply() : pane.current?.openSnooze()));
  }, [thread.thread]);

  const refreshAll = useCallback(() => {
    list.refresh();
    void thread.reload();
    reloadCounts();
  }, [list, thread, reloadCounts]);

  const open = useCallback(
    (id: string | null) => {
      setOpenId(id);
    },
    [setOpenId],
  );

  const activateRow = useCallback(
    (id: string, index: number) => {
      setCursor({ id, index });
      open(id);
    },
    [open],
  );

  const activateHit = (h: SearchHit, i: number) => {
    setHitCursor(i);
    open(h.conversation.id);
  };

  /** The row after `id` in the list (or before it at the end), to open once `id` leaves the view. */
  const neighbour = (id: string): { id: string | null; index: number | null } => {
    if (searching) {
      const at = hits.findIndex((h) => h.conversation.id === id);
      const next = at >= 0 ? (hits[at + 1] ?? hits[at - 1]) : undefined;
      return { id: next?.conversation.id ?? null, index: null };
    }
    const at = list.indexOf(id);
    if (at < 0) return { id: null, index: null };
    const after = list.rowAt(at + 1);
    if (after) return { id: after.id, index: at + 1 };
    const before = at > 0 ? list.rowAt(at - 1) : null;
    return before ? { id: before.id, index: at - 1 } : { id: null, index: null };
  };

  /** After closing or snoozing the open thread: the next one opens, as in a mail client. */
  const advanceFrom = (id: string) => {
    const next = neighbour(id);
    if (openId === id) open(next.id);
    if (!searching && next.id) setCursor({ id: next.id, index: next.index });
  };

  const setStatus = async (id: string, status: Status, previous: Status, name: string) => {
    try {
      await call('inbox.setStatus', { conversationIds: [id], status });
      // Closing moves on to the next thread, as archiving does in a mail client (also in the All
      // tab, where the closed one stays listed); another status moves on only if it leaves the tab.
      if (status === 'closed' || (filters.view !== 'all' && filters.view !== status)) advanceFrom(id);
      setNotice({
        text: status === 'closed' ? `Closed the conversation with ${name}.` : status === 'pending' ? `Marked the conversation with ${name} pending.` : `Reopened the conversation with ${name}.`,
        undo: () => void call('inbox.setStatus', { conversationIds: [id], status: previous }).then(refreshAll, (err: unknown) => toastError('Could not undo', err)),
      });
    } catch (err) {
      toastError(status === 'closed' ? 'Could not close the conversation' : 'Could not change the status', err);
    } finally {
      refreshAll();
    }
  };

  const snooze = async (id: string, until: number | null, name: string) => {
    try {
      await call('inbox.snooze', { conversationIds: [id], until });
      if (until !== null && filters.view !== 'snoozed' && filters.view !== 'all') advanceFrom(id);
      setNotice(
        until === null
          ? { text: `Woke the conversation with ${name}.` }
          : {
              text: `Snoozed the conversation with ${name} until ${clockAt(until, Date.now(), timezone)}.`,
              undo: () => void call('inbox.snooze', { conversationIds: [id], until: null }).then(refreshAll, (err: unknown) => toastError('Could not undo', err)),
            },
      );
    } catch (err) {
      toastError('Could not snooze the conversation', err);
    } finally {
      refreshAll();
    }
  };

  const targetId = openId ?? (searching ? (hitCursor !== null ? (hits[hitCursor]?.conversation.id ?? null) : null) : cursor.id);

  useInboxKeys({
    move(delta) {
      if (searching) {
        if (hits.length === 0) return;
        const next = hitCursor === null ? (delta === 1 ? 0 : hits.length - 1) : Math.max(0, Math.min(hits.length - 1, hitCursor + delta));
        setHitCursor(next);
        document.getElementById(`ib-hit-${next}`)?.scrollIntoView({ block: 'nearest' });
        return;
      }
      const total = list.total ?? 0;
      if (total === 0) return;
      let at = cursor.id !== null ? list.indexOf(cursor.id) : -1;
      if (at < 0) at = cursor.index ?? -1;
      const next = at < 0 ? 0 : Math.max(0, Math.min(total - 1, at + delta));
      setCursor({ id: list.rowAt(next)?.id ?? null, index: next });
      listRef.current?.show(next);
    },
    open() {
      const id = searching ? (hitCursor !== null ? (hits[hitCursor]?.conversation.id ?? null) : null) : cursor.id;
      if (id) open(id);
    },
    reply() {
      if (openId && thread.thread) pane.current?.focusReply();
      else if (targetId) {
        pendingFocus.current = 'reply';
        open(targetId);
      }
    },
    close() {
      const t = thread.thread?.conversation;
      if (t && t.id === openId) {
        if (t.status !== 'closed') void setStatus(t.id, 'closed', t.status, personName(t));
      }
    },
    snooze() {
      if (openId && thread.thread) pane.current?.openSnooze();
      else if (targetId) {
        pendingFocus.current = 'snooze';
        open(targetId);
      }
    },
    search() {
      searchBox.current?.focus();
      searchBox.current?.select();
    },
  });

  if (!ws) return null;

  const total = list.total;
  const viewLabel = VIEWS.find((v) => v.id === filters.view)?.label ?? 'Open';
  const summary = pollSummary(poll.polls, (id) => {
    const a = accounts.find((x) => x.id === id);
    return a ? `${networkName(a.platform)} (${accountName(a)})` : 'an account';
  });
  const lastPoll = poll.states?.reduce<number | null>((max, s) => (s.lastPollAt !== null && (max === null || s.lastPollAt > max) ? s.lastPollAt : max), null) ?? null;
  const pollErrors = poll.states?.filter((s) => s.lastError) ?? [];

  let listBody;
  if (searching) {
    listBody = <SearchResults search={search} hits={hits} cursor={hitCursor} openId={openId} now={now} timezone={timezone} onActivate={activateHit} />;
  } else if (list.status === 'error') {
    listBody = (
      <p className="inline-error ib-pad" role="alert">
        Could not load the inbox: {messageOf(list.error)}{' '}
        <button type="button" className="link-button" onClick={() => list.refresh()}>
          Try again
        </button>
      </p>
    );
  } else if (list.status === 'loading') {
    listBody = <p className="muted ib-pad">Loading conversations…</p>;
  } else if (total === 0) {
    listBody = isFiltered(filters) ? (
      <div className="empty ib-pad" data-testid="inbox-empty">
        <p className="empty__title">No conversations match these filters</p>
        <p className="empty__text">
          <button type="button" className="link-button" onClick={() => setFilters({ ...NO_FILTERS, view: filters.view })}>
            Clear filters
          </button>
        </p>
      </div>
    ) : (
      <div className="empty ib-pad" data-testid="inbox-empty">
        <p className="empty__title">{filters.view === 'open' ? 'Nothing open — all caught up' : `No ${viewLabel.toLowerCase()} conversations`}</p>
        <p className="empty__text">
          DMs, comments on your posts and mentions from your <Link to="/accounts">connected accounts</Link> arrive here.
        </p>
      </div>
    );
  } else {
    listBody = (
      <ConversationList
        ref={listRef}
        list={list}
        label={`${viewLabel} conversations`}
        cursorIndex={cursor.index}
        cursorId={cursor.id}
        openId={openId}
        now={now}
        timezone={timezone}
        onActivate={activateRow}
      />
    );
  }

  return (
    <Page
      title="Inbox"
      subtitle={
        <span className="ib-subtitle">
          {summary ? (
            <span role="status" data-testid="poll-status">
              {summary}
            </span>
          ) : lastPoll !== null ? (
            <span title={exactAt(lastPoll, timezone)}>Checked {Math.max(0, Math.round((now - lastPoll) / 60_000))} min ago</span>
          ) : (
            <span>DMs, comments and mentions from every account</span>
          )}
          {pollErrors.length > 0 && !summary ? (
            <span className="ib-subtitle__warn" title={pollErrors.map((s) => `${s.accountLabel}: ${s.lastError ?? ''}`).join('\n')}>
              {' · '}
              {pollErrors.length === 1 ? `${pollErrors[0]?.accountLabel ?? 'An account'} could not be checked` : `${pollErrors.length} accounts could not be checked`}
            </span>
          ) : null}
          {poll.error ? <span className="ib-subtitle__warn"> · Refresh failed: {poll.error}</span> : null}
        </span>
      }
      actions={
        <button type="button" className="button button--small" onClick={() => void poll.refresh()} disabled={poll.refreshing || [...poll.polls.values()].some((x) => x.status === 'polling')}>
          <Icon name="refresh" size={14} /> Refresh now
        </button>
      }
    >
      <div className="inbox">
        <div className="ib-top">
          <InboxTabs view={filters.view} counts={counts} onView={(view) => setFilters({ ...filters, view })} />
          <div className="ib-search">
            <Icon name="search" size={14} className="ib-search__icon" />
            <input
              ref={searchBox}
              type="search"
              className="input ib-search__input"
              placeholder="Search messages"
              aria-label="Search messages"
              aria-keyshortcuts="/"
              value={searchText}
              maxLength={512}
              onChange={(e) => setSearchText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault();
                  setSearchText('');
                  listRef.current?.focus();
                } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
                  // Into the results, where j/k and Enter work.
                  e.preventDefault();
                  if (searching && hits.length > 0) {
                    setHitCursor(0);
                    document.querySelector<HTMLElement>('[data-testid="inbox-search-results"]')?.focus();
                  }
                }
              }}
            />
            {search.status === 'ready' ? (
              <span className="ib-search__count muted" role="status">
                {search.hits.length === 50 ? '50+' : search.hits.length} {search.hits.length === 1 ? 'match' : 'matches'}
              </span>
            ) : null}
          </div>
        </div>
        {!searching ? <InboxFilterBar filters={filters} onChange={setFilters} accounts={accounts} tags={tags} /> : null}
        {list.refreshError && !searching ? (
          <p className="inline-error" role="status">
            This list may be out of date: {messageOf(list.refreshError)}{' '}
            <button type="button" className="link-button" onClick={() => list.refresh()}>
              Refresh
            </button>
          </p>
        ) : null}
        <div className="ib-panes">
          <div className="ib-left" id={LIST_PANEL_ID} role="tabpanel" aria-labelledby={`ib-tab-${filters.view}`} aria-busy={!searching && list.status === 'loading'} data-testid="inbox-panel">
            {listBody}
            <div className="ib-left__foot">
              <span data-testid="inbox-count">{searching ? `Search: ${searchText.trim()}` : total === null ? '' : `${total.toLocaleString()} ${total === 1 ? 'conversation' : 'conversations'}`}</span>
              <span className="muted" aria-hidden="true">
                <Kbd>J</Kbd> <Kbd>K</Kbd> move · <Kbd>Enter</Kbd> open · <Kbd>?</Kbd> keys
              </span>
            </div>
          </div>
          <ThreadPane
            ref={pane}
            data={thread}
            now={now}
            timezone={timezone}
            sideOpen={sideOpen}
            onToggleSide={() => {
              setSideOpen((o) => {
                writeLocal(SIDE_KEY, o ? '0' : '1');
                return !o;
              });
            }}
            onStatus={(status) => {
              const t = thread.thread?.conversation;
              if (t) void setStatus(t.id, status, t.status, personName(t));
            }}
            onSnooze={(until) => {
              const t = thread.thread?.conversation;
              if (t) void snooze(t.id, until, personName(t));
            }}
            onMarkUnread={() => {
              const t = thread.thread?.conversation;
              if (!t) return;
              void call('inbox.markUnread', { conversationIds: [t.id] }).then(
                () => {
                  // Reading it again would mark it read at once: close it, keep the cursor on it.
                  open(null);
                  listRef.current?.focus();
                  refreshAll();
                },
                (err: unknown) => toastError('Could not mark it unread', err),
              );
            }}
            onOpenConversation={(id) => open(id)}
            onLeaveReply={() => {
              const results = searching ? document.querySelector<HTMLElement>('[data-testid="inbox-search-results"]') : null;
              if (results) results.focus();
              else listRef.current?.focus();
            }}
            onChanged={refreshAll}
          />
        </div>
        <p className="ib-notice" role="status" aria-live="polite" data-testid="inbox-notice">
          {notice ? (
            <>
              <bdi>{notice.text}</bdi>{' '}
              {notice.undo ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    notice.undo?.();
                    setNotice(null);
                  }}
                >
                  Undo
                </button>
              ) : null}
            </>
          ) : null}
        </p>
      </div>
    </Page>
  );
}
