// Calendar: every post with a time, by month or by week, on the workspace's clock. Drag a post to
// another day (keeping its time) or to a slot in the week (taking that time) to reschedule it; the
// move shows at once and is put back, with the engine's reason, if refused. Click a post for its
// text, accounts and actions. Live through `posts.changed`.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { messageOf } from '../../api/client';
import { Page } from '../../components/Page';
import { localTimezone } from '../../lib/timezones';
import { toastSuccess, useUi } from '../../stores/ui';
import { useCurrentWorkspace } from '../../stores/workspaces';
import '../../styles/accounts.css';
import '../../styles/calendar.css';
import { accountHandle, accountName } from '../accounts/account-labels';
import { useAccounts } from '../accounts/accounts-store';
import { useTick } from '../queue/useTick';
import { CalendarToolbar, Legend } from './CalendarControls';
import { useCalendarView } from './calendar-view';
import { DayDialog } from './DayDialog';
import { firstDayOfWeek, monthGrid, periodLabel, stepPeriod, timeWindow, visibleDays, weekDays } from './grid';
import { clockTime, fullTime, zoneAbbreviation } from './labels';
import { MonthView } from './MonthView';
import { byDay, moveToDay, slotTime } from './placement';
import { DRAG_HINT_ID, type ChipContext } from './PostChip';
import { accountColours, firstLine, isMovable, type PostStatus, type PostView } from './post-info';
import { PostPanel, postErrorHint } from './PostPanel';
import { useCalendarKeys } from './useCalendarKeys';
import { usePostDrag, type DropTarget } from './usePostDrag';
import { usePosts } from './usePosts';
import { WeekView } from './WeekView';
import { civilDate, dayOf, isKnownTimezone, type DayNumber } from './zoned';

/** Where a drop would put the post, or null when it would not move. */
function dropTime(post: PostView, target: DropTarget, timezone: string): number | null {
  if (post.publishAt === null) return null;
  const at = target.minutes === null ? moveToDay(post.publishAt, target.day, timezone) : slotTime(target.day, target.minutes, timezone);
  return at === post.publishAt ? null : at;
}

export function CalendarPage() {
  const ws = useCurrentWorkspace();
  const view = useCalendarView();
  const timezone = ws && isKnownTimezone(ws.timezone) ? ws.timezone : localTimezone();
  const tick = useTick(30_000);
  const today = dayOf(tick, timezone);
  const anchor = view.anchor ?? today;
  const weekStart = useMemo(() => firstDayOfWeek(), []);
  const days = useMemo(() => visibleDays(view.mode, anchor, weekStart), [view.mode, anchor, weekStart]);
  const { from, to } = useMemo(() => timeWindow(days, timezone), [days, timezone]);
  const posts = usePosts(ws?.id ?? null, from, to);
  const accountsStore = useAccounts(ws?.id ?? null);
  const accounts = useMemo(() => (ws && accountsStore.workspaceId === ws.id ? accountsStore.items : []), [ws, accountsStore.workspaceId, accountsStore.items]);
  const [selected, setSelected] = useState<PostView | null>(null);
  const [moreDay, setMoreDay] = useState<DayNumber | null>(null);
  const [notice, setNotice] = useState('');
  const opener = useRef<HTMLElement | null>(null);

  // Another workspace: nothing of the last one stays open or filtered.
  useEffect(() => {
    setSelected(null);
    setMoreDay(null);
    useCalendarView.getState().setAccount(null);
  }, [ws?.id]);

  const colours = useMemo(() => {
    // Accounts removed since a post was made still get a colour of their own.
    const known = new Set(accounts.map((a) => a.id));
    const gone = [...new Set([...posts.items, ...posts.series].flatMap((p) => p.targets.map((t) => t.accountId)))].filter((id) => !known.has(id)).map((id) => ({ id, connectedAt: Number.MAX_SAFE_INTEGER }));
    return accountColours([...accounts, ...gone]);
  }, [accounts, posts.items, posts.series]);
  const colourOf = useCallback((id: string) => colours.get(id) ?? 0, [colours]);

  const accountId = view.accountId && accounts.some((a) => a.id === view.accountId) ? view.accountId : null;
  const loaded = posts.status === 'ready' && posts.key === posts.wantedKey;
  const visible = useMemo(() => (accountId ? posts.entries.filter((e) => e.post.targets.some((t) => t.accountId === accountId)) : posts.entries), [posts.entries, accountId]);
  const postsByDay = useMemo(() => byDay(visible, (e) => dayOf(e.at, timezone), (e) => e.at), [visible, timezone]);
  const statusesShown = useMemo(() => new Set<PostStatus>(visible.map((e) => e.post.status)), [visible]);
  const current = selected ? (posts.shown.find((p) => p.id === selected.id) ?? posts.series.find((p) => p.id === selected.id) ?? selected) : null;

  const move = useCallback(
    async (post: PostView, at: number) => {
      await posts.move(post, at);
      setNotice(`Moved to ${fullTime(at, timezone)}.`);
    },
    [posts, timezone],
  );

  const onDrop = (post: PostView, target: DropTarget) => {
    const at = dropTime(post, target, timezone);
    if (at === null) return;
    const what = `“${firstLine(post.content, 40)}”`;
    if (at <= Date.now()) {
      useUi.getState().toast({ kind: 'error', title: `Could not move ${what}`, message: `${fullTime(at, timezone)} has already passed.`, hint: 'Drop it on today or a later day, or choose a later time in the week view.' });
      return;
    }
    move(post, at).catch((err: unknown) => {
      useUi.getState().toast({ kind: 'error', title: `Could not move ${what}`, message: messageOf(err), hint: `It is back at ${post.publishAt !== null ? fullTime(post.publishAt, timezone) : 'its old time'}. ${postErrorHint(err)}` });
      setNotice(`The move was refused; the post is back where it was.`);
      void posts.refresh();
    });
  };
  const { drag, onPointerDown } = usePostDrag({ canDrag: isMovable, onDrop });

  const open = useCallback((post: PostView, el: HTMLElement) => {
    opener.current = el;
    setMoreDay(null);
    setSelected(post);
  }, []);
  const closePanel = useCallback(() => {
    setSelected(null);
    const el = opener.current;
    // The chip may have moved (or left the view) meanwhile: find it again by its post.
    const again = el?.isConnected ? el : el?.dataset.postId ? document.querySelector<HTMLElement>(`[data-post-id="${CSS.escape(el.dataset.postId)}"]`) : null;
    again?.focus({ preventScroll: true });
  }, []);

  useCalendarKeys({
    step: (delta) => view.setAnchor(stepPeriod(view.mode, anchor, delta)),
    today: () => view.setAnchor(null),
    mode: (m) => view.setMode(m),
    escape: () => {
      if (!current) return false;
      closePanel();
      return true;
    },
  });

  const ctx: ChipContext = {
    timezone,
    colourBy: view.colourBy,
    colourOf,
    selectedId: current?.id ?? null,
    moving: posts.moving,
    draggingId: drag?.post.id ?? null,
    onOpen: open,
    onPointerDown,
  };

  if (!ws) return null;
  const label = periodLabel(view.mode, anchor, weekStart);
  const localZone = localTimezone();
  const filterName = accountId ? (() => {
    const a = accounts.find((x) => x.id === accountId);
    return a ? (accountHandle(a) ?? accountName(a)) : 'this account';
  })() : null;
  const dragAt = drag?.target ? dropTime(drag.post, drag.target, timezone) : null;
  const { year, month } = civilDate(anchor);

  return (
    <Page
      title="Calendar"
      subtitle={
        <>
          Times in {timezone} ({zoneAbbreviation(tick, timezone)}){localZone !== timezone ? ` — this computer is on ${localZone}` : ''} ·{' '}
          <Link to="/settings" className="link">
            Change
          </Link>
        </>
      }
      actions={
        <Link to="/compose" className="button button--primary">
          New post
        </Link>
      }
    >
      <div className="calendar">
        <CalendarToolbar
          mode={view.mode}
          label={label}
          colourBy={view.colourBy}
          accounts={accounts}
          accountId={accountId}
          onStep={(d) => view.setAnchor(stepPeriod(view.mode, anchor, d))}
          onToday={() => view.setAnchor(null)}
          onMode={view.setMode}
          onColourBy={view.setColourBy}
          onAccount={view.setAccount}
        />
        <Legend colourBy={view.colourBy} accounts={accounts} colourOf={colourOf} statusesShown={statusesShown} accountId={accountId} onAccount={view.setAccount} />

        {posts.status === 'error' && posts.key === posts.wantedKey ? (
          <p className="inline-error" role="alert">
            Could not load the posts: {messageOf(posts.error)}{' '}
            <button type="button" className="link-button" onClick={() => void posts.refresh()}>
              Try again
            </button>
          </p>
        ) : null}
        {posts.refreshError ? (
          <p className="inline-error cal-stale" role="status">
            The calendar may be out of date: {messageOf(posts.refreshError)}{' '}
            <button type="button" className="link-button" onClick={() => void posts.refresh()}>
              Refresh
            </button>
          </p>
        ) : null}
        {posts.truncated && loaded ? <p className="cal-note muted">This period holds more posts than the calendar shows; narrow it to one account to see them all.</p> : null}
        {loaded && visible.length === 0 ? (
          <div className="cal-empty" data-testid="calendar-empty">
            <p className="cal-empty__title">{filterName ? `Nothing for ${filterName} in ${label}.` : `Nothing planned for ${label}.`}</p>
            <p className="cal-empty__text">
              {filterName ? (
                <button type="button" className="link-button" onClick={() => view.setAccount(null)}>
                  Show all accounts
                </button>
              ) : null}
              {filterName ? ' or ' : ''}
              <Link to="/compose" className="link">
                {filterName ? 'write one in Compose' : 'Write a post in Compose'}
              </Link>
              {filterName ? '.' : ' and schedule it; it shows here on its day.'}
            </p>
          </div>
        ) : null}

        <div className={current ? 'cal-layout has-panel' : 'cal-layout'}>
          <div className={loaded ? 'cal-main' : 'cal-main is-busy'} aria-busy={!loaded}>
            {view.mode === 'month' ? (
              <MonthView
                grid={monthGrid(year, month, weekStart)}
                weekStart={weekStart}
                today={today}
                postsByDay={postsByDay}
                ctx={ctx}
                dropTarget={drag?.target ?? null}
                label={label}
                onMore={(day, el) => {
                  opener.current = el;
                  setMoreDay(day);
                }}
              />
            ) : (
              <WeekView days={weekDays(anchor, weekStart)} weekStart={weekStart} today={today} now={tick} postsByDay={postsByDay} ctx={ctx} dropTarget={drag?.target ?? null} label={label} />
            )}
          </div>
          {current ? (
            <PostPanel
              post={current}
              timezone={timezone}
              now={tick}
              onClose={closePanel}
              onReschedule={async (post, at) => {
                await move(post, at);
                view.setAnchor(dayOf(at, timezone));
                toastSuccess('Rescheduled', fullTime(at, timezone));
              }}
              onUpdated={(p) => {
                posts.replace(p);
                setSelected(p);
              }}
            />
          ) : null}
        </div>
        <p id={DRAG_HINT_ID} hidden>
          Drag to another day or time to reschedule.
        </p>
        <p className="visually-hidden" role="status" aria-live="polite">
          {notice}
        </p>
      </div>

      {drag ? (
        <div className="cal-ghost" style={{ transform: `translate(${drag.x + 12}px, ${drag.y + 8}px)` }} aria-hidden="true">
          <span className="cal-ghost__time">{dragAt !== null ? `${fullTime(dragAt, timezone)}` : drag.target ? 'Same time' : 'Drop on a day'}</span>
          <span className="cal-ghost__text">{firstLine(drag.post.content, 50)}</span>
          {dragAt !== null && dragAt <= Date.now() ? <span className="cal-ghost__warn">Already passed</span> : null}
          {dragAt === null && drag.post.publishAt !== null ? <span className="muted">{clockTime(drag.post.publishAt, timezone)}</span> : null}
        </div>
      ) : null}
      <DayDialog
        day={moreDay}
        posts={moreDay !== null ? (postsByDay.get(moreDay) ?? []) : []}
        ctx={ctx}
        onClose={() => {
          setMoreDay(null);
        }}
      />
    </Page>
  );
}
