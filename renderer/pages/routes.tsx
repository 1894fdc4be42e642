// Each area's page, loaded when first opened: the shell and the page in view are all a cold start
// parses (the one-bundle build was ~1 MB of script before the first screen). Once the first page
// has painted, the others are fetched in the background so moving between pages never waits.
// The Record makes the type check fail when an area has no page.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { AreaId } from './areas';

type Loader = () => Promise<{ default: ComponentType }>;

const LOADERS: Record<AreaId, Loader> = {
  dashboard: () => import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
  compose: () => import('./compose/ComposePage').then((m) => ({ default: m.ComposePage })),
  calendar: () => import('./calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })),
  queue: () => import('./queue/QueuePage').then((m) => ({ default: m.QueuePage })),
  inbox: () => import('./inbox/InboxPage').then((m) => ({ default: m.InboxPage })),
  knowledge: () => import('./knowledge/KnowledgePage').then((m) => ({ default: m.KnowledgePage })),
  accounts: () => import('./accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })),
  analytics: () => import('./analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })),
  campaigns: () => import('./campaigns/CampaignsPage').then((m) => ({ default: m.CampaignsPage })),
  settings: () => import('./settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
};

export const PAGES = Object.fromEntries(Object.entries(LOADERS).map(([id, load]) => [id, lazy(load)])) as Record<AreaId, LazyExoticComponent<ComponentType>>;

let preloaded = false;

/** Fetch every page's code while the browser is idle (after the first screen), once. */
export function preloadPages(): void {
  if (preloaded) return;
  preloaded = true;
  const run = () => {
    for (const load of Object.values(LOADERS)) void load().catch(() => undefined);
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 500);
}
