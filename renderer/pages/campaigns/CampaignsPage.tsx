import { ComingPage } from '../../components/ComingPage';

export function CampaignsPage() {
  return (
    <ComingPage
      spec={{
        area: 'campaigns',
        issue: 10,
        issueTitle: 'Analytics, campaigns, clients and ads',
        willDo: [
          'Campaigns with a goal, audience, dates and budget.',
          'Attach posts, ads and assets; import conversions from UTM-tagged CSV exports.',
          'One view of a campaign’s totals, organic and paid side by side.',
          'For agencies: a monthly overview per client workspace.',
        ],
      }}
    />
  );
}
