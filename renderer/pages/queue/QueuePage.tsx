import { ComingPage } from '../../components/ComingPage';

export function QueuePage() {
  return (
    <ComingPage
      spec={{
        area: 'queue',
        issue: 6,
        issueTitle: 'Posts: compose offline, schedule with recurrence, approve, publish reliably',
        willDo: [
          'Every post waiting to publish, with its status on each account.',
          'Filter by status, account and date; reschedule, pause or cancel several at once.',
          'Approval when you want it: draft → pending → approved or rejected with a note.',
          'Partial results told honestly — “published on 2 of 3 accounts” — with the error in words.',
        ],
      }}
    />
  );
}
