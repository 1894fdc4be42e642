import { ComingPage } from '../../components/ComingPage';

export function CalendarPage() {
  return (
    <ComingPage
      spec={{
        area: 'calendar',
        issue: 6,
        issueTitle: 'Posts: compose offline, schedule with recurrence, approve, publish reliably',
        willDo: [
          'Month and week views of everything scheduled, in the workspace’s timezone.',
          'Drag a post to another day or hour to reschedule it.',
          'Colours by account and status, so gaps and clashes stand out.',
          'Repeating posts shown on every date they will go out.',
        ],
        meanwhile: { text: 'The calendar uses the workspace timezone.', to: '/settings', label: 'Check the timezone' },
      }}
    />
  );
}
