// Desktop notifications and the app badge for the inbox: an escalated message (a flagged word, or
// the AI handing a thread to a person) shows an OS notification, and the dock / taskbar badge
// counts open escalations. The notification text is a stranger's words, so it is reduced to plain
// single-line text without bidi controls before the OS draws it.
import { app, Notification } from 'electron';
import { events, type EventPayload } from '../api/events';
import type { ApiContext } from '../core/context';
import { openEscalationCount } from '../core/inbox/escalations';
import { notificationText } from './notification-text';

const BADGE_DEBOUNCE_MS = 500;
/** More than this many in a burst (a first poll of a busy account) become one summary. */
const BURST_LIMIT = 3;
const BURST_WINDOW_MS = 10_000;

const REASONS: Record<string, string> = {
  urgent_request: 'Urgent',
  human_requested: 'Asks for a person',
  legal_matter: 'Legal matter',
  ai_limitation: 'Needs you',
  complex_issue: 'Needs you',
};

export function watchInbox(ctx: ApiContext, showWindow: () => void): () => void {
  let badgeTimer: NodeJS.Timeout | null = null;
  let burst: number[] = [];
  let summaryShown = false;

  const updateBadge = () => {
    badgeTimer = null;
    try {
      // macOS dock and Linux Unity launchers; Windows ignores it (the overlay icon needs an image).
      app.setBadgeCount(openEscalationCount(ctx.db));
    } catch (err) {
      console.error('[inbox] could not update the badge:', err);
    }
  };
  const scheduleBadge = () => {
    badgeTimer ??= setTimeout(updateBadge, BADGE_DEBOUNCE_MS);
  };

  const notify = (payload: EventPayload<'inbox.escalated'>) => {
    if (!Notification.isSupported()) return;
    const now = Date.now();
    burst = burst.filter((t) => now - t < BURST_WINDOW_MS);
    burst.push(now);
    if (burst.length > BURST_LIMIT) {
      if (summaryShown) return;
      summaryShown = true;
      const n = new Notification({ title: 'Several messages need you', body: 'Open the Inbox to see the escalated conversations.' });
      n.on('click', showWindow);
      n.show();
      return;
    }
    summaryShown = false;
    const who = payload.customerName ? notificationText(payload.customerName, 60) : 'Someone';
    const n = new Notification({
      title: `${REASONS[payload.reason] ?? 'Needs you'}: ${who}`,
      body: notificationText(payload.message, 180),
      silent: false,
    });
    n.on('click', showWindow);
    n.show();
  };

  const unsubscribe = ctx.events.subscribe((event, payload) => {
    if (event === 'inbox.escalated') {
      const parsed = events['inbox.escalated'].safeParse(payload);
      if (parsed.success) notify(parsed.data);
      scheduleBadge();
    } else if (event === 'inbox.changed') {
      scheduleBadge();
    }
  });
  updateBadge();
  return () => {
    unsubscribe();
    if (badgeTimer) clearTimeout(badgeTimer);
  };
}
