// Each area's page, loaded when first opened: the shell and the page in view are all a cold start
// parses (the one-bundle build was ~1 MB of script before the first screen). The page the window
// opens on starts loading with the app itself, beside its first API calls, and renders without
// suspending once it is there (a suspended first render costs React's 300 ms reveal throttle).
// Once the first screen has settled, the other pages are fetched in the background so moving
// between pages never waits. The Record makes the type check fail when an area has no page.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { AREAS, type AreaId } from './areas';

type Loader = () => Promise<{ default: ComponentType }>;

const LOADERS: Record<AreaId, Loader> = {
  dashboard: () => import('./dashboard/DashboardPage').then((m) => ({ default: m.DashboardPage })),
  compose: () => import('./compose/ComposePage').then((m) => ({ default: m.ComposePage })),
  calendar: () => import('./calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })),
  queue: () => import('./queue/QueuePage').then((m) => ({ default: m.QueuePage })),
  inbox: () => import('./inbox/InboxPage').then((m) => ({ default: m.InboxPage })),
  knowledge: () => import('./knowledge/KnowledgePage').then((m) => ({ default: m.KnowledgePage })),
  studio: () => import('./studio/StudioPage').then((m) => ({ default: m.StudioPage })),
  accounts: () => import('./accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })),
  analytics: () => import('./analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })),
  campaigns: () => import('./campaigns/CampaignsPage').then((m) => ({ default: m.CampaignsPage })),
  settings: () => import('./settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
};

const ids = Object.keys(LOADERS) as AreaId[];
/** Pages whose code has arrived: rendered directly, never through Suspense. */
const loaded = new Map<AreaId, ComponentType>();
const loading = new Map<AreaId, Promise<{ default: ComponentType }>>();

function load(id: AreaId): Promise<{ default: ComponentType }> {
  let p = loading.get(id);
  if (!p) {
    p = LOADERS[id]().then((m) => {
      loaded.set(id, m.default);
      return m;
    });
    // A failed chunk (the host restarted on a new build) may be asked for again.
    p.catch(() => loading.delete(id));
    loading.set(id, p);
  }
  return p;
}

const lazies = Object.fromEntries(ids.map((id) => [id, lazy(() => load(id))])) as Record<AreaId, LazyExoticComponent<ComponentType>>;

function pageFor(id: AreaId): ComponentType {
  function AreaPage() {
    const Loaded = loaded.get(id);
    if (Loaded) return <Loaded />;
    const Lazy = lazies[id];
    return <Lazy />;
  }
  AreaPage.displayName = `Page(${id})`;
  return AreaPage;
}

export const PAGES = Object.fromEntries(ids.map((id) => [id, pageFor(id)])) as Record<AreaId, ComponentType>;

/** The area a hash route shows ('#/inbox?x=1', '#/compose/<id>'), if any. */
export function areaOfHash(hash: string): AreaId | null {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const hit = AREAS.find((a) => path === a.path || path.startsWith(`${a.path}/`));
  return hit ? hit.id : null;
}

/** Start loading the page the window opens on, beside the app's first API calls. */
export function warmStartPage(hash: string): void {
  const id = areaOfHash(hash) ?? 'dashboard';
  void load(id).catch(() => undefined);
}

let preloaded = false;
/** Parsing every page competes with the first page's own code and data (measured: preloading as
 *  soon as the app was ready pushed the inbox's first rows from ~450 to ~1000 ms), so wait until
 *  the first screen has surely settled, then fetch the rest one idle moment at a time. */
const PRELOAD_AFTER_MS = 4_000;

/** Fetch every page's code in the background after the first screen, once. */
export function preloadPages(): void {
  if (preloaded) return;
  preloaded = true;
  const queue = [...ids];
  const idle = (fn: () => void) => ('requestIdleCallback' in window ? window.requestIdleCallback(fn, { timeout: 2_000 }) : setTimeout(fn, 50));
  const next = () => {
    const id = queue.shift();
    if (!id) return;
    void load(id)
      .catch(() => undefined)
      .finally(() => idle(next));
  };
  setTimeout(() => idle(next), PRELOAD_AFTER_MS);
}
