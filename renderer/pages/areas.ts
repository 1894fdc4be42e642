// Every area of the product, in sidebar order. The sidebar, the command palette, the `g` keys and
// the router all read this list; pages/routes.tsx maps each id to its page component.
import type { IconName } from '../components/Icon';

export type AreaId =
  | 'dashboard'
  | 'compose'
  | 'calendar'
  | 'queue'
  | 'inbox'
  | 'knowledge'
  | 'studio'
  | 'accounts'
  | 'analytics'
  | 'campaigns'
  | 'settings';

export interface Area {
  id: AreaId;
  label: string;
  path: `/${string}`;
  /** The second key of the `g <key>` shortcut. */
  key: string;
  icon: IconName;
  /** One line for the command palette. */
  summary: string;
  /** Sidebar group: work you do every day, or setup. */
  group: 'work' | 'setup';
}

export const AREAS: readonly Area[] = [
  { id: 'dashboard', label: 'Dashboard', path: '/dashboard', key: 'd', icon: 'dashboard', summary: 'Your brand at a glance', group: 'work' },
  { id: 'compose', label: 'Compose', path: '/compose', key: 'c', icon: 'compose', summary: 'Write a post for several accounts', group: 'work' },
  { id: 'calendar', label: 'Calendar', path: '/calendar', key: 'l', icon: 'calendar', summary: 'Scheduled posts by day and week', group: 'work' },
  { id: 'queue', label: 'Queue', path: '/queue', key: 'q', icon: 'queue', summary: 'Everything Postdesk runs on a timer: posts, refreshes, maintenance', group: 'work' },
  { id: 'inbox', label: 'Inbox', path: '/inbox', key: 'i', icon: 'inbox', summary: 'DMs, comments and mentions in one place', group: 'work' },
  { id: 'knowledge', label: 'Knowledge', path: '/knowledge', key: 'k', icon: 'knowledge', summary: 'Documents and FAQs the AI answers from', group: 'work' },
  { id: 'studio', label: 'AI Studio', path: '/studio', key: 'o', icon: 'sparkle', summary: 'Saved chats with your AI, with a model per chat, grounded in your knowledge base', group: 'work' },
  { id: 'analytics', label: 'Analytics', path: '/analytics', key: 'n', icon: 'analytics', summary: 'What works, per post and account', group: 'work' },
  { id: 'campaigns', label: 'Campaigns', path: '/campaigns', key: 'p', icon: 'campaigns', summary: 'Posts, assets and results per campaign', group: 'work' },
  { id: 'accounts', label: 'Accounts', path: '/accounts', key: 'a', icon: 'accounts', summary: 'Connect and check social accounts', group: 'setup' },
  { id: 'settings', label: 'Settings', path: '/settings', key: 's', icon: 'settings', summary: 'Brand profile, inbox rules, AI, theme, where data lives', group: 'setup' },
];

export function areaById(id: AreaId): Area {
  const a = AREAS.find((x) => x.id === id);
  if (!a) throw new Error(`unknown area ${id}`);
  return a;
}

export function areaByKey(key: string): Area | undefined {
  return AREAS.find((a) => a.key === key);
}
