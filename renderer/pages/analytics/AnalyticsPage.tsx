import { ComingPage } from '../../components/ComingPage';

export function AnalyticsPage() {
  return (
    <ComingPage
      spec={{
        area: 'analytics',
        issue: 10,
        issueTitle: 'Analytics, campaigns, clients and ads',
        willDo: [
          'Engagement over time, per account and platform, from each network’s own numbers.',
          'Your top posts, with a “post again” action.',
          'Best times to post, from your own history (day × hour, in the workspace timezone).',
          'Export a CSV or a PDF report for any date range.',
        ],
      }}
    />
  );
}
