import { ComingPage } from '../../components/ComingPage';

export function InboxPage() {
  return (
    <ComingPage
      spec={{
        area: 'inbox',
        issue: 7,
        issueTitle: 'Inbox: DMs, comments and mentions from every account in one keyboard-driven inbox',
        willDo: [
          'DMs, comments on your posts and mentions from every connected account, in one list.',
          'Reply, close, snooze, tag and prioritise from the keyboard: J/K to move, R to reply, E to close.',
          'Rules that flag or set aside messages by keyword; AI triage only when you turn it on.',
          'Nothing is sent to a customer without you, unless you enable auto-reply for that account.',
        ],
        meanwhile: { text: 'The inbox fills from connected accounts.', to: '/accounts', label: 'See what Accounts will connect' },
      }}
    />
  );
}
