// The sidebar: workspace, search, every area, theme and help.
import { NavLink } from 'react-router-dom';
import { Icon } from '../components/Icon';
import { Kbd } from '../components/Page';
import { AREAS, type Area } from '../pages/areas';
import { badgeText, useInboxCounts } from '../pages/inbox/inbox-counts';
import { useUi } from '../stores/ui';
import { useCurrentWorkspace } from '../stores/workspaces';
import '../styles/inbox-badge.css';
import { ConnectionIndicator } from './ConnectionIndicator';
import { ThemeSwitch } from './ThemeSwitch';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The Inbox's unread count and, apart from it, a mark for open escalations: live via the counts store. */
function InboxBadges() {
  const ws = useCurrentWorkspace();
  const { counts } = useInboxCounts(ws?.id ?? null);
  if (!counts) return null;
  return (
    <>
      {counts.escalated > 0 ? (
        <span className="nav__escalated" title={`${counts.escalated} escalated`} data-testid="inbox-escalated-badge">
          !<span className="visually-hidden">, {counts.escalated} escalated</span>
        </span>
      ) : null}
      {counts.unread > 0 ? (
        <span className="nav__badge" data-testid="inbox-unread-badge">
          {badgeText(counts.unread)}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </>
  );
}

function NavItem({ area }: { area: Area }) {
  return (
    <li>
      <NavLink to={area.path} className="nav__link" aria-keyshortcuts={`g ${area.key}`}>
        <Icon name={area.icon} size={16} className="nav__icon" />
        <span className="nav__label">{area.label}</span>
        {area.id === 'inbox' ? <InboxBadges /> : null}
        <span className="nav__keys" aria-hidden="true">
          G {area.key.toUpperCase()}
        </span>
      </NavLink>
    </li>
  );
}

export function Sidebar() {
  const open = useUi((s) => s.open);
  return (
    <aside className="sidebar" aria-label="Sidebar">
      <div className="sidebar__top">
        <div className="sidebar__brand" aria-hidden="true">
          <span className="logo">
            <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
              <path d="M4 5.5h16v10H9l-5 4z" />
              <path d="M8.5 10.5h7" />
            </svg>
          </span>
          Postdesk
        </div>
        <WorkspaceSwitcher />
        <button type="button" className="sidebar__search" onClick={() => open('palette')} aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}>
          <Icon name="search" size={14} />
          <span className="sidebar__search-label">Jump to…</span>
          <span className="sidebar__search-keys" aria-hidden="true">
            <Kbd>{isMac ? '⌘' : 'Ctrl'}</Kbd>
            <Kbd>K</Kbd>
          </span>
        </button>
      </div>
      <nav aria-label="Areas" className="nav">
        <ul className="nav__list">
          {AREAS.filter((a) => a.group === 'work').map((a) => (
            <NavItem key={a.id} area={a} />
          ))}
        </ul>
        <p className="nav__group" aria-hidden="true">
          Setup
        </p>
        <ul className="nav__list">
          {AREAS.filter((a) => a.group === 'setup').map((a) => (
            <NavItem key={a.id} area={a} />
          ))}
        </ul>
      </nav>
      <div className="sidebar__footer">
        <ConnectionIndicator />
        <div className="sidebar__footer-row">
          <ThemeSwitch name="theme-sidebar" />
          <button type="button" className="icon-button" onClick={() => open('help')} aria-label="Keyboard shortcuts" aria-keyshortcuts="?" title="Keyboard shortcuts (?)">
            <Icon name="keyboard" size={16} />
          </button>
        </div>
      </div>
    </aside>
  );
}
