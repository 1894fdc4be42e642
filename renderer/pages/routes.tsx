// Each area's page. The Record makes the type check fail when an area has no page.
import type { ComponentType } from 'react';
import { AccountsPage } from './accounts/AccountsPage';
import { AnalyticsPage } from './analytics/AnalyticsPage';
import type { AreaId } from './areas';
import { CalendarPage } from './calendar/CalendarPage';
import { CampaignsPage } from './campaigns/CampaignsPage';
import { ComposePage } from './compose/ComposePage';
import { DashboardPage } from './dashboard/DashboardPage';
import { InboxPage } from './inbox/InboxPage';
import { KnowledgePage } from './knowledge/KnowledgePage';
import { QueuePage } from './queue/QueuePage';
import { SettingsPage } from './settings/SettingsPage';

export const PAGES: Record<AreaId, ComponentType> = {
  dashboard: DashboardPage,
  compose: ComposePage,
  calendar: CalendarPage,
  queue: QueuePage,
  inbox: InboxPage,
  knowledge: KnowledgePage,
  accounts: AccountsPage,
  analytics: AnalyticsPage,
  campaigns: CampaignsPage,
  settings: SettingsPage,
};
