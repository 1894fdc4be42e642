// `?`: every key the app answers to, in one sheet.
import { Dialog } from '../components/Dialog';
import { Kbd } from '../components/Page';
import { AREAS } from '../pages/areas';
import { CALENDAR_SHORTCUTS } from '../pages/calendar/useCalendarKeys';
import { COMPOSE_SHORTCUTS } from '../pages/compose/compose-keys';
import { INBOX_SHORTCUTS } from '../pages/inbox/inbox-keys';
import { POSTS_SHORTCUTS } from '../pages/queue/posts-keys';
import { QUEUE_SHORTCUTS } from '../pages/queue/useQueueKeys';
import { useUi } from '../stores/ui';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function KeyboardHelp() {
  const open = useUi((s) => s.overlay === 'help');
  const close = useUi((s) => s.close);
  return (
    <Dialog open={open} onClose={close} title="Keyboard shortcuts" description="Letters work anywhere except while typing in a field." className="help">
      <div className="help__grid">
        <section aria-labelledby="help-go">
          <h3 id="help-go">Go to</h3>
          <dl className="help__list">
            {AREAS.map((a) => (
              <div key={a.id} className="help__row">
                <dt>{a.label}</dt>
                <dd>
                  <Kbd>G</Kbd> <Kbd>{a.key.toUpperCase()}</Kbd>
                </dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="help-everywhere">
          <h3 id="help-everywhere">Everywhere</h3>
          <dl className="help__list">
            <div className="help__row">
              <dt>Command palette</dt>
              <dd>
                <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd> <Kbd>K</Kbd>
              </dd>
            </div>
            <div className="help__row">
              <dt>This sheet</dt>
              <dd>
                <Kbd>?</Kbd>
              </dd>
            </div>
            <div className="help__row">
              <dt>Close a dialog or menu</dt>
              <dd>
                <Kbd>Esc</Kbd>
              </dd>
            </div>
            <div className="help__row">
              <dt>Move through lists</dt>
              <dd>
                <Kbd>↑</Kbd> <Kbd>↓</Kbd>
              </dd>
            </div>
            <div className="help__row">
              <dt>Next / previous control</dt>
              <dd>
                <Kbd>Tab</Kbd> <span className="muted">/</span> <Kbd>Shift</Kbd> <Kbd>Tab</Kbd>
              </dd>
            </div>
          </dl>
        </section>
        <ShortcutSection id="help-queue" title="Queue" shortcuts={QUEUE_SHORTCUTS} />
        <ShortcutSection id="help-queue-posts" title="Queue — Posts" shortcuts={POSTS_SHORTCUTS} />
        <ShortcutSection id="help-compose" title="Compose" shortcuts={COMPOSE_SHORTCUTS} />
        <ShortcutSection id="help-calendar" title="Calendar" shortcuts={CALENDAR_SHORTCUTS} />
        <ShortcutSection id="help-inbox" title="Inbox" shortcuts={INBOX_SHORTCUTS} />
      </div>
    </Dialog>
  );
}

/** One page's keys, as the page itself declares them (so the help never drifts from the handler). */
function ShortcutSection({ id, title, shortcuts }: { id: string; title: string; shortcuts: readonly { keys: readonly string[]; label: string }[] }) {
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <dl className="help__list">
        {shortcuts.map((s) => (
          <div key={s.label} className="help__row">
            <dt>{s.label}</dt>
            <dd>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 ? ' ' : null}
                  <Kbd>{k}</Kbd>
                </span>
              ))}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
